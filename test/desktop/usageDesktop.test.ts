/**
 * The desktop side of usage: the IPC actions over the real controller and store, the tray's
 * "Usage…" item and today's totals on its status line, and writing Claude Code's statusLine.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../src/shared/config';
import type { RequestRecord } from '../../src/shared/requestRecord';
import { emptyTotals, type UsageReport } from '../../src/shared/usage';
import { TurnoutController } from '../../src/main/app/controller';
import { importEnvironment } from '../../src/main/app/envImport';
import { MemoryVault } from '../../src/main/app/secretVault';
import { MemorySettingsStore } from '../../src/main/app/settingsStore';
import { dispatchIpc, type IpcHandlers } from '../../src/main/desktop/ipcDispatch';
import {
  buildTrayMenu,
  todayLine,
  type TrayActions,
  type TrayMenuItem,
} from '../../src/main/desktop/trayMenu';
import { UsageStore } from '../../src/main/usage/usageStore';
import { quietIpcHandlers } from '../support/ipcHandlers';

let dir: string;
let controller: TurnoutController;
let handlers: IpcHandlers;
let settingsStore: MemorySettingsStore;
const saved = vi.fn<(path: string) => void>();
const call = (name: string, ...args: unknown[]) =>
  dispatchIpc(handlers, name as Parameters<typeof dispatchIpc>[1], args, () => undefined);

function finished(patch: Partial<RequestRecord>): RequestRecord {
  return {
    id: `r${Math.random()}`,
    startedAt: Date.now(),
    method: 'POST',
    path: '/v1/messages',
    provider: 'openai',
    upstreamModel: 'gpt-5.1',
    status: 200,
    state: 'done',
    latencyMs: 2000,
    inputTokens: 10_000,
    outputTokens: 1000,
    cacheReadTokens: 0,
    ...patch,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'turnout-usage-desktop-'));
  settingsStore = new MemorySettingsStore({ ...defaultSettings(), port: 0 });
  controller = new TurnoutController({
    settingsStore,
    vault: new MemoryVault({}),
    keyHelp: 'settings',
    version: 'test',
    usageStore: UsageStore.open(join(dir, 'usage.sqlite')),
  });
  handlers = quietIpcHandlers(controller, dir, {
    chooseSaveFile: async (name) => {
      saved(name);
      return join(dir, name);
    },
    statusLineCommand:
      "ELECTRON_RUN_AS_NODE=1 '/opt/Turnout/turnout' '/opt/Turnout/resources/app.asar/out/main/statusline.js'",
  });
});

afterEach(async () => {
  await controller.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('usage over IPC', () => {
  it('reports a range, sets prices and retention in the saved settings, and exports CSV', async () => {
    controller.usage.store!.record(finished({}));
    controller.usage.store!.record(finished({ provider: 'local', upstreamModel: 'qwen3-coder:30b' }));
    const from = Date.now() - 60_000;
    const to = Date.now() + 60_000;
    const report = await call('getUsage', from, to);
    expect(report).toMatchObject({
      ok: true,
      value: { enabled: true, totals: { requests: 2, unpricedRequests: 1 } },
    });

    expect(await call('setModelPrice', 'qwen3-coder:30b', { input: 0.2, output: 0.6, evil: 'x' })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(settingsStore.load().settings.usage.prices).toEqual({
      'qwen3-coder:30b': { input: 0.2, output: 0.6 },
    });
    // The new price covers the model's past requests too: 10,000 in and 1,000 out at $0.20/$0.60,
    // beside gpt-5.1's 10,000 in and 1,000 out at $1.25/$10.
    const priced = (await call('getUsage', from, to)) as { value: UsageReport };
    expect(priced.value.totals.unpricedRequests).toBe(0);
    expect(priced.value.totals.costUsd).toBeCloseTo(0.0026 + 0.0225, 10);
    // Removing it makes that model's cost unknown again.
    await call('setModelPrice', 'qwen3-coder:30b', null);
    const unpriced = (await call('getUsage', from, to)) as { value: UsageReport };
    expect(unpriced.value.totals).toMatchObject({ unpricedRequests: 1 });
    expect(unpriced.value.totals.costUsd).toBeCloseTo(0.0225, 10);

    const bad = await call('setModelPrice', 'x', { input: -1, output: 1 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'user', field: 'usage.prices.x' } });
    expect(await call('setUsageRetention', 0)).toMatchObject({
      ok: false,
      error: { field: 'usage.retentionDays' },
    });
    expect(await call('setUsageRetention', 30)).toMatchObject({ ok: true });
    expect(settingsStore.load().settings.usage.retentionDays).toBe(30);
    expect(await call('getUsage', to, from)).toMatchObject({ ok: false, error: { kind: 'user' } });

    const exported = (await call('exportUsageCsv', from, to)) as { ok: true; value: string };
    expect(exported.value).toBe(join(dir, saved.mock.calls[0][0]));
    const csv = readFileSync(exported.value, 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^day,provider,model,requests,/);
    expect(csv.filter((l) => l.includes('qwen3-coder:30b'))).toHaveLength(1);
  });

  it('writes statusLine into Claude Code settings with a backup, keeping the rest of the file', async () => {
    const path = join(dir, '.claude', 'settings.json');
    mkdirSync(join(dir, '.claude'));
    writeFileSync(
      path,
      JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8082' }, theme: 'dark' }),
    );
    const result = (await call('writeClaudeStatusLine')) as { ok: true; value: { backupPath: string } };
    expect(result.ok).toBe(true);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written).toEqual({
      env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8082' },
      theme: 'dark',
      statusLine: {
        type: 'command',
        command:
          "ELECTRON_RUN_AS_NODE=1 '/opt/Turnout/turnout' '/opt/Turnout/resources/app.asar/out/main/statusline.js'",
        padding: 0,
      },
    });
    expect(readdirSync(join(dir, '.claude')).some((f) => f.startsWith('settings.json.turnout-backup-'))).toBe(
      true,
    );
    expect(JSON.parse(readFileSync(result.value.backupPath, 'utf8'))).toEqual({
      env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8082' },
      theme: 'dark',
    });
  });

  it('refuses to write statusLine into a Claude Code settings file it cannot parse', async () => {
    const path = join(dir, '.claude', 'settings.json');
    mkdirSync(join(dir, '.claude'));
    writeFileSync(path, '{ "env": { ');
    expect(await call('writeClaudeStatusLine')).toMatchObject({
      ok: false,
      error: { kind: 'user', field: 'claudeSettings' },
    });
    expect(readFileSync(path, 'utf8')).toBe('{ "env": { ');
  });

  it('imports the retention from TURNOUT_USAGE_RETENTION_DAYS, and validates it', async () => {
    const result = await importEnvironment(controller, { TURNOUT_USAGE_RETENTION_DAYS: '30' }, 'environment');
    expect(result.applied).toContain('TURNOUT_USAGE_RETENTION_DAYS');
    expect(settingsStore.load().settings.usage.retentionDays).toBe(30);
    const bad = await importEnvironment(controller, { TURNOUT_USAGE_RETENTION_DAYS: '0' }, 'environment');
    expect(bad.warnings.join(' ')).toMatch(/TURNOUT_USAGE_RETENTION_DAYS/);
    expect(settingsStore.load().settings.usage.retentionDays).toBe(30);
  });

  it('loads the newest stored records into the live log at start', async () => {
    controller.usage.store!.record(finished({ id: 'from-yesterday', startedAt: Date.now() - 86_400_000 }));
    await controller.shutdown();
    const again = new TurnoutController({
      settingsStore,
      vault: new MemoryVault({}),
      keyHelp: 'settings',
      version: 'test',
      usageStore: UsageStore.open(join(dir, 'usage.sqlite')),
    });
    expect(again.log.records().map((r) => r.id)).toEqual(['from-yesterday']);
    controller = again;
  });
});

describe('tray', () => {
  const actions = () =>
    new Proxy(
      {},
      { get: (cache: Record<string, unknown>, name: string) => (cache[name] ??= vi.fn()) },
    ) as TrayActions & Record<string, ReturnType<typeof vi.fn>>;
  const find = (items: TrayMenuItem[], id: string) => items.find((i) => i.id === id);

  it('shows today’s cost and tokens on the status line, and opens Usage…', () => {
    const state = {
      ...controller.getState(),
      proxy: { state: 'running' as const, host: '127.0.0.1', port: 8082 },
    };
    const today = {
      ...emptyTotals(),
      requests: 12,
      inputTokens: 120_000,
      outputTokens: 8000,
      cacheReadTokens: 300_000,
      costUsd: 0.4213,
    };
    const spies = actions();
    const items = buildTrayMenu({ state, recent: [], models: {}, today }, spies);
    expect(find(items, 'status')?.label).toBe('Proxy on 127.0.0.1:8082 · OpenAI · today $0.42 · 428k tok');
    find(items, 'open-usage')?.click?.();
    expect(spies.openUsage).toHaveBeenCalled();
    // Nothing today, or usage off: the status line stays as it was.
    expect(find(buildTrayMenu({ state, recent: [], models: {}, today: null }, spies), 'status')?.label).toBe(
      'Proxy on 127.0.0.1:8082 · OpenAI',
    );
  });

  it('marks a partly priced day with "+" and an unpriced one with "–"', () => {
    expect(
      todayLine({ ...emptyTotals(), requests: 2, inputTokens: 500, costUsd: 0.5, unpricedRequests: 1 }),
    ).toBe('today $0.50+ · 500 tok');
    expect(todayLine({ ...emptyTotals(), requests: 1, inputTokens: 1500, unpricedRequests: 1 })).toBe(
      'today – · 1.5k tok',
    );
  });
});
