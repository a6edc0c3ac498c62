/**
 * What the tray and notifications say about provider health, from a real controller whose
 * breakers are fed the outcomes the proxy reports.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../src/shared/appState';
import { healthNotice } from '../../src/main/app/healthNotice';
import {
  buildTrayMenu,
  statusLine,
  trayIconState,
  type TrayActions,
  type TrayMenuItem,
} from '../../src/main/desktop/trayMenu';
import { pinnedBaseUrl } from '../../src/main/app/exportLines';
import { makeController } from './fixtures';

const running = (state: AppState): AppState => ({
  ...state,
  proxy: { state: 'running', host: '127.0.0.1', port: 8082 },
});

function routed() {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const controller = makeController({
    now: () => now,
    keys: { openai: 'sk-test-openai-0123456789abcdef', groq: 'gsk_' + 'test0123456789abcdef' },
    settings: {
      fallbackProviders: ['groq'],
      profiles: [
        {
          name: 'cheap',
          provider: 'groq',
          bigModel: '',
          smallModel: '',
          opusModel: '',
          rules: {
            background: '',
            think: '',
            longContext: '',
            image: '',
            webSearch: '',
            longContextThreshold: 60000,
          },
          fallbackProviders: [],
        },
      ],
    },
  });
  return { controller, advance: (ms: number) => (now += ms) };
}

describe('tray status with provider health', () => {
  it('all well: running icon, plain status line', () => {
    const { controller } = routed();
    const state = running(controller.getState());
    expect(trayIconState(state)).toBe('running');
    expect(statusLine(state)).toBe('Proxy on 127.0.0.1:8082 · OpenAI');
  });

  it('the active provider failing: a fallback serves, the icon says degraded', () => {
    const { controller } = routed();
    controller.health.failure('openai', 'overloaded');
    const state = running(controller.getState());
    expect(trayIconState(state)).toBe('degraded');
    expect(statusLine(state)).toBe(
      'Proxy on 127.0.0.1:8082 · OpenAI · OpenAI failing · serving from a fallback',
    );
  });

  it('the active provider down: says when it is tried again', () => {
    const { controller } = routed();
    for (let i = 0; i < 3; i++) controller.health.failure('openai', 'overloaded');
    const state = running(controller.getState());
    expect(statusLine(state)).toMatch(/OpenAI down \(retry \d\d:\d\d:\d\d\) · serving from a fallback$/);
    expect(state.health.find((h) => h.id === 'openai')).toMatchObject({
      state: 'down',
      lastError: 'overloaded',
    });
  });

  it('a key refused: needs attention', () => {
    const { controller } = routed();
    controller.health.needsAttention('openai', 'Incorrect API key provided');
    expect(statusLine(running(controller.getState()))).toContain(
      'OpenAI needs attention: Incorrect API key provided',
    );
  });

  it('a fallback down shows too', () => {
    const { controller } = routed();
    for (let i = 0; i < 3; i++) controller.health.failure('groq', 'gone');
    expect(statusLine(running(controller.getState()))).toContain('fallback Groq down');
  });
});

describe('copy menu: pinned export lines', () => {
  it('offers every provider and profile', () => {
    const { controller } = routed();
    const actions = { copyPinnedExportLine: vi.fn() } as unknown as TrayActions;
    const menu = buildTrayMenu({ state: running(controller.getState()), recent: [], models: {} }, actions);
    const pinned = menu.find((i) => i.id === 'copy-pinned')!.submenu as TrayMenuItem[];
    const labels = pinned.filter((i) => i.label).map((i) => i.label);
    expect(labels).toContain('Groq (/p/groq)');
    expect(labels).toContain('Profile cheap (/p/cheap)');
    pinned.find((i) => i.label === 'Profile cheap (/p/cheap)')!.click!();
    expect(actions.copyPinnedExportLine).toHaveBeenCalledWith('cheap');
    expect(pinnedBaseUrl('http://127.0.0.1:8082/', 'cheap')).toBe('http://127.0.0.1:8082/p/cheap');
  });
});

describe('health notifications', () => {
  it('announces the active provider going down and coming back, nothing else', () => {
    const { controller, advance } = routed();
    const notices: string[] = [];
    controller.onHealthChange((change) => {
      const notice = healthNotice(controller.getState(), change);
      if (notice) notices.push(`${notice.title}: ${notice.body}`);
    });
    for (let i = 0; i < 3; i++) controller.health.failure('openai', 'overloaded');
    for (let i = 0; i < 3; i++) controller.health.failure('groq', 'not the active one');
    advance(30_000);
    expect(controller.health.admit('openai')).toBe(true); // the probe: not news
    controller.health.success('openai');
    expect(notices).toEqual([
      'OpenAI is down: overloaded Requests go to groq meanwhile.',
      'OpenAI is back: Requests go to it again.',
    ]);
  });
});
