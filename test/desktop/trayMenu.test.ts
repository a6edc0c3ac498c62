import { describe, expect, it, vi, type Mock } from 'vitest';
import type { AppState } from '../../src/shared/appState';
import type { RequestRecord } from '../../src/shared/requestRecord';
import {
  buildTrayMenu,
  MAX_MENU_MODELS,
  statusLine,
  trayIconState,
  trayTooltip,
  type TrayActions,
  type TrayMenuItem,
} from '../../src/main/desktop/trayMenu';
import { makeController } from './fixtures';

type ActionSpies = { [K in keyof TrayActions]: Mock<TrayActions[K]> };
const ACTION_NAMES: (keyof TrayActions)[] = [
  'setActiveProvider',
  'setModel',
  'refreshModels',
  'copyExportLine',
  'copyClaudeCommand',
  'copyPinnedExportLine',
  'openLog',
  'openSettings',
  'openUsage',
  'setPaused',
  'setStartAtLogin',
  'quit',
];

function actions(): ActionSpies {
  return Object.fromEntries(ACTION_NAMES.map((name) => [name, vi.fn()])) as unknown as ActionSpies;
}

function running(state: AppState, port = 8082): AppState {
  return { ...state, proxy: { state: 'running', host: '127.0.0.1', port } };
}

function find(items: TrayMenuItem[], predicate: (item: TrayMenuItem) => boolean): TrayMenuItem {
  for (const item of items) {
    if (predicate(item)) return item;
    if (item.submenu) {
      try {
        return find(item.submenu, predicate);
      } catch {
        // keep looking
      }
    }
  }
  throw new Error('menu item not found');
}
const byId = (items: TrayMenuItem[], id: string) => find(items, (i) => i.id === id);
const byLabel = (items: TrayMenuItem[], label: string) => find(items, (i) => i.label === label);

function record(patch: Partial<RequestRecord>): RequestRecord {
  return {
    id: 'r1',
    startedAt: new Date(2025, 0, 31, 12, 1, 3).getTime(),
    method: 'POST',
    path: '/v1/messages',
    clientModel: 'claude-sonnet-4-5-20250929',
    provider: 'openai',
    upstreamModel: 'gpt-5',
    status: 200,
    latencyMs: 1234,
    state: 'done',
    ...patch,
  };
}

describe('buildTrayMenu', () => {
  it('with no keys: every keyed provider is disabled and says why, and Settings is offered', () => {
    const state = running(makeController().getState());
    const a = actions();
    const menu = buildTrayMenu({ state, recent: [], models: {} }, a);
    const openai = byId(menu, 'provider-openai');
    expect(openai.enabled).toBe(false);
    expect(openai.label).toContain('no API key');
    expect(openai.type).toBe('radio');
    expect(openai.checked).toBe(true);
    byId(menu, 'add-key').click!();
    expect(a.openSettings).toHaveBeenCalledOnce();
    expect(byLabel(menu, 'No requests yet').enabled).toBe(false);
  });

  it('running: status line, provider radio group, mapping, copy items and actions', () => {
    const controller = makeController({ keys: { openai: 'sk-test-1234', groq: 'gsk-test-5678' } });
    const state = running(controller.getState());
    const a = actions();
    const menu = buildTrayMenu(
      {
        state,
        recent: [],
        models: {
          openai: { providerId: 'openai', models: ['gpt-4.1', 'gpt-5.1', 'o3'], error: null, fetchedAt: 1 },
        },
      },
      a,
    );
    expect(menu[0]).toMatchObject({
      id: 'status',
      label: 'Proxy on 127.0.0.1:8082 · OpenAI',
      enabled: false,
    });
    expect(trayIconState(state)).toBe('running');
    expect(trayTooltip(state)).toBe('Turnout · Proxy on 127.0.0.1:8082 · OpenAI');

    const groq = byId(menu, 'provider-groq');
    expect(groq).toMatchObject({ enabled: true, checked: false, label: 'Groq' });
    groq.click!();
    expect(a.setActiveProvider).toHaveBeenCalledWith('groq');

    const big = byId(menu, 'model-bigModel');
    expect(big.label).toBe('Big (sonnet): gpt-5.1');
    expect(big.submenu![0]).toMatchObject({ label: 'gpt-5.1', type: 'radio', checked: true });
    byLabel(big.submenu!, 'o3').click!();
    expect(a.setModel).toHaveBeenCalledWith('openai', 'bigModel', 'o3');
    expect(byId(menu, 'model-smallModel').label).toBe('Small (haiku): gpt-5-mini');
    // The opus slot is only listed when it is set.
    expect(() => byId(menu, 'model-opusModel')).toThrow();
    byLabel(big.submenu!, 'Refresh model list').click!();
    expect(a.refreshModels).toHaveBeenCalledWith('openai');

    byId(menu, 'copy-export').click!();
    expect(a.copyExportLine).toHaveBeenCalledWith('posix');
    const others = byId(menu, 'copy-other-shells').submenu!;
    expect(others.map((i) => i.label)).toEqual(['fish', 'PowerShell', 'cmd']);
    others[1].click!();
    expect(a.copyExportLine).toHaveBeenLastCalledWith('powershell');
    byId(menu, 'copy-claude').click!();
    expect(a.copyClaudeCommand).toHaveBeenCalledOnce();

    byId(menu, 'open-log').click!();
    expect(a.openLog).toHaveBeenCalledWith();
    byId(menu, 'open-settings').click!();
    expect(a.openSettings).toHaveBeenCalledOnce();
    const pause = byId(menu, 'pause');
    expect(pause).toMatchObject({ label: 'Pause proxy', enabled: true });
    pause.click!();
    expect(a.setPaused).toHaveBeenCalledWith(true);
    const login = byId(menu, 'start-at-login');
    expect(login).toMatchObject({ type: 'checkbox', checked: false });
    login.click!();
    expect(a.setStartAtLogin).toHaveBeenCalledWith(true);
    byId(menu, 'quit').click!();
    expect(a.quit).toHaveBeenCalledOnce();
    expect(() => byId(menu, 'add-key')).toThrow();
  });

  it('shows the opus slot when set, and the last 10 requests that open the log at their record', () => {
    const controller = makeController({ keys: { openai: 'sk-test-1234' } });
    controller.updateProvider('openai', { opusModel: 'o3' });
    const recent = Array.from({ length: 12 }, (_, i) => record({ id: `r${i}` }));
    recent[1] = record({ id: 'r1', status: undefined, latencyMs: undefined, state: 'streaming' });
    const a = actions();
    const menu = buildTrayMenu({ state: running(controller.getState()), recent, models: {} }, a);
    expect(byId(menu, 'model-opusModel').label).toBe('Opus: o3');
    const requests = menu.filter((i) => i.id?.startsWith('request-'));
    expect(requests).toHaveLength(10);
    expect(requests[0].label).toBe('12:01:03 sonnet → gpt-5 · 200 · 1.2 s');
    expect(requests[1].label).toBe('12:01:03 sonnet → gpt-5 · streaming · …');
    requests[3].click!();
    expect(a.openLog).toHaveBeenCalledWith('r3');
    // Before the model list arrives the submenu says so.
    expect(byLabel(byId(menu, 'model-bigModel').submenu!, 'Loading models…').enabled).toBe(false);
  });

  it('paused: the status line says so and the item resumes', () => {
    const controller = makeController({ keys: { openai: 'sk-test-1234' }, settings: { paused: true } });
    const state: AppState = {
      ...controller.getState(),
      proxy: { state: 'paused', host: '127.0.0.1', port: 8082 },
    };
    const a = actions();
    const menu = buildTrayMenu({ state, recent: [], models: {} }, a);
    expect(menu[0].label).toBe('Paused · 127.0.0.1:8082 · OpenAI');
    expect(trayIconState(state)).toBe('paused');
    const pause = byId(menu, 'pause');
    expect(pause.label).toBe('Resume proxy');
    pause.click!();
    expect(a.setPaused).toHaveBeenCalledWith(false);
  });

  it('port error: the status line is the error, the icon is the error icon, and a port can be chosen', () => {
    const controller = makeController({ keys: { openai: 'sk-test-1234' } });
    const message = 'Port 8082 is already in use (127.0.0.1:8082); choose another port.';
    const state: AppState = {
      ...controller.getState(),
      proxy: { state: 'error', message, code: 'EADDRINUSE' },
    };
    const a = actions();
    const menu = buildTrayMenu({ state, recent: [], models: {} }, a);
    expect(menu[0]).toMatchObject({ label: message, enabled: false });
    expect(statusLine(state)).toBe(message);
    expect(trayIconState(state)).toBe('error');
    byId(menu, 'fix-port').click!();
    expect(a.openSettings).toHaveBeenCalledOnce();
    expect(byId(menu, 'pause').enabled).toBe(false);
  });

  it('many providers: custom ones join the radio group; long model lists are capped; list errors are shown', () => {
    const controller = makeController({ keys: { openai: 'sk-test-1234' } });
    for (let i = 0; i < 6; i += 1)
      controller.addCustomProvider({
        id: `local-${i}`,
        label: `Local ${i}`,
        baseUrl: `http://127.0.0.1:${9000 + i}/v1`,
      });
    controller.setActiveProvider('local-3');
    controller.updateProvider('local-3', { bigModel: 'qwen3', smallModel: 'qwen3-small' });
    const state = running(controller.getState());
    const many = Array.from(
      { length: MAX_MENU_MODELS + 15 },
      (_, i) => `model-${String(i).padStart(3, '0')}`,
    );
    const a = actions();
    let menu = buildTrayMenu(
      {
        state,
        recent: [],
        models: { 'local-3': { providerId: 'local-3', models: many, error: null, fetchedAt: 1 } },
      },
      a,
    );
    const radios = menu.filter((i) => i.id?.startsWith('provider-'));
    // The keyed preset (openai) and the six custom servers; keyless presets stay in Settings.
    expect(radios.map((i) => i.id)).toEqual([
      'provider-openai',
      ...Array.from({ length: 6 }, (_, i) => `provider-local-${i}`),
    ]);
    byId(menu, 'more-providers').click!();
    expect(a.openSettings).toHaveBeenCalledOnce();
    a.openSettings.mockClear();
    expect(radios.filter((i) => i.checked).map((i) => i.id)).toEqual(['provider-local-3']);
    // Custom servers need no key, so they are enabled.
    expect(byId(menu, 'provider-local-0').enabled).toBe(true);
    expect(menu[0].label).toBe('Proxy on 127.0.0.1:8082 · Local 3');
    const big = byId(menu, 'model-bigModel').submenu!;
    expect(big.filter((i) => i.type === 'radio')).toHaveLength(1 + MAX_MENU_MODELS);
    byLabel(big, '15 more in Settings…').click!();
    expect(a.openSettings).toHaveBeenCalledOnce();

    menu = buildTrayMenu(
      {
        state,
        recent: [],
        models: {
          'local-3': { providerId: 'local-3', models: [], error: 'connect ECONNREFUSED', fetchedAt: 1 },
        },
      },
      a,
    );
    expect(
      byLabel(byId(menu, 'model-bigModel').submenu!, 'Could not list models: connect ECONNREFUSED').enabled,
    ).toBe(false);
  });
});

describe('buildTrayMenu per platform and situation', () => {
  it('on Windows offers PowerShell first, then cmd, then the POSIX shells', () => {
    const a = actions();
    const menu = buildTrayMenu(
      { state: running(makeController().getState()), recent: [], models: {}, platform: 'win32' },
      a,
    );
    const first = byId(menu, 'copy-export');
    expect(first.label).toBe('Copy export line (PowerShell)');
    first.click!();
    expect(a.copyExportLine).toHaveBeenCalledWith('powershell');
    expect(byId(menu, 'copy-other-shells').submenu!.map((i) => i.label)).toEqual(['cmd', 'bash/zsh', 'fish']);
  });

  it('offers "Start at login" only where it would start the app, and says why not', () => {
    const a = actions();
    const reason = 'Start at login works in the installed app only.';
    const state = running(makeController().getState());
    const login = byId(
      buildTrayMenu({ state, recent: [], models: {}, startAtLoginUnavailable: reason }, a),
      'start-at-login',
    );
    expect(login).toMatchObject({ enabled: false, checked: false, toolTip: reason });
    expect(login.label).toBe('Start at login (installed app only)');
  });

  it('says when keys will not be kept (no keychain) and leads to Settings', () => {
    const a = actions();
    const state: AppState = { ...running(makeController().getState()), keyStorage: 'session' };
    const item = byId(buildTrayMenu({ state, recent: [], models: {} }, a), 'keys-not-saved');
    expect(item.label).toMatch(/keys will not be kept/);
    item.click!();
    expect(a.openSettings).toHaveBeenCalledOnce();
    const saved = buildTrayMenu({ state: running(makeController().getState()), recent: [], models: {} }, a);
    expect(() => byId(saved, 'keys-not-saved')).toThrow();
  });
});
