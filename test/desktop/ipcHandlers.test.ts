import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, isInvokeName, type InvokeName } from '../../src/shared/ipc';
import type { TurnoutController } from '../../src/main/app/controller';
import { ModelListCache } from '../../src/main/app/modelList';
import { dispatchIpc, type IpcHandlers } from '../../src/main/desktop/ipcDispatch';
import { createIpcHandlers, type IpcHandlerDeps } from '../../src/main/desktop/ipcHandlers';
import { makeController } from './fixtures';

const KEY = 'sk-test-SECRET-0000-wxyz';

let dir: string;
let controller: TurnoutController;
let deps: IpcHandlerDeps;
let handlers: IpcHandlers;
const call = <K extends InvokeName>(name: K, ...args: unknown[]) =>
  dispatchIpc(handlers, name, args, () => undefined);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'turnout-ipc-'));
  controller = makeController({ accessToken: 'local-token-123' });
  deps = {
    controller,
    models: new ModelListCache({
      getSnapshot: controller.getSnapshot,
      fetcher: async (provider) => [`${provider.entry.id}-large`, `${provider.entry.id}-small`],
    }),
    claudeSettingsPath: join(dir, '.claude', 'settings.json'),
    chooseEnvFile: vi.fn(async () => join(dir, '.env')),
    readTextFile: async (path) => readFileSync(path, 'utf8'),
    environment: () => ({ GROQ_API_KEY: 'gsk-from-env-9999', PREFERRED_PROVIDER: 'groq' }),
    copyText: vi.fn(),
    openLogWindow: vi.fn(),
    openSettingsWindow: vi.fn(),
    applyStartAtLogin: vi.fn(),
    check: vi.fn(async (provider) => ({
      ok: true,
      latencyMs: 42,
      model: provider.settings.bigModel,
      error: null,
      status: 200,
    })),
  };
  handlers = createIpcHandlers(deps);
});
afterEach(async () => {
  await controller.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('IPC handlers over the real controller', () => {
  it('has a handler for every invoke channel of the contract', () => {
    const invokeNames = Object.keys(ipcContract).filter(isInvokeName).sort();
    expect(Object.keys(handlers).sort()).toEqual(invokeNames);
    const channels = Object.values(ipcContract).map((c) => c.channel);
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('saves a key without ever returning it', async () => {
    expect(await call('setKey', 'openai', KEY)).toEqual({ ok: true, value: undefined });
    const state = await call('getState');
    expect(state.ok).toBe(true);
    expect(JSON.stringify(state)).not.toContain(KEY);
    const view = state.ok ? state.value.providers.find((p) => p.id === 'openai') : undefined;
    expect(view).toMatchObject({ keySet: true, keyHint: 'wxyz', unavailableReason: null });
    expect(controller.getSnapshot().providers.get('openai')!.apiKey).toBe(KEY);
    expect(await call('removeKey', 'openai')).toEqual({ ok: true, value: undefined });
    expect(controller.getSnapshot().providers.get('openai')!.apiKey).toBeUndefined();
  });

  it('returns user errors as values that name the field, and keeps settings unchanged', async () => {
    const before = controller.getSettings();
    expect(await call('updateProvider', 'openai', { baseUrl: 'not a url' })).toEqual({
      ok: false,
      error: {
        kind: 'user',
        field: 'providers.openai.baseUrl',
        message: expect.stringContaining('Not a valid URL'),
      },
    });
    expect(controller.getSettings()).toEqual(before);
    expect(await call('setKey', 'openai', '   ')).toMatchObject({
      ok: false,
      error: { field: 'providers.openai.key' },
    });
    expect(await call('setActiveProvider', 42)).toMatchObject({
      ok: false,
      error: { kind: 'user', field: 'activeProvider' },
    });
    expect(await call('updateProvider', 'openai', { bigModel: 7 })).toMatchObject({
      ok: false,
      error: { field: 'providers.openai.bigModel' },
    });
    expect(await call('setListenAddress', '127.0.0.1', 70000)).toMatchObject({
      ok: false,
      error: { field: 'port' },
    });
    expect(await call('addCustomProvider', { id: 'Bad Id', label: '', baseUrl: 'http://x' })).toMatchObject({
      ok: false,
      error: { field: 'customProvider.id' },
    });
  });

  it('sets the API dialect of a provider, and rejects a value that is not one', async () => {
    expect(await call('updateProvider', 'openai', { apiStyle: 'responses' })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(controller.getSnapshot().providers.get('openai')!.settings.apiStyle).toBe('responses');
    expect(await call('updateProvider', 'openai', { apiStyle: 'sideways' })).toMatchObject({
      ok: false,
      error: { kind: 'user', field: 'providers.openai.apiStyle' },
    });
    expect(await call('updateProvider', 'openai', { apiStyle: 'auto' })).toMatchObject({ ok: true });
    expect(controller.getSettings().providers.openai).not.toHaveProperty('apiStyle');
  });

  it('edits per-model rules and context scaling; a bad rule names its field and changes nothing', async () => {
    const rules = [{ match: '^deepseek-chat$', maxOutputTokens: 8192, contextWindow: 128000 }];
    expect(await call('updateProvider', 'deepseek', { modelRules: rules })).toMatchObject({ ok: true });
    expect(controller.getSnapshot().providers.get('deepseek')!.entry.modelRules[0]).toEqual(rules[0]);
    expect(
      await call('updateProvider', 'deepseek', { modelRules: [{ match: 'x', maxOutputTokens: 'lots' }] }),
    ).toMatchObject({ ok: false, error: { kind: 'user', field: 'providers.deepseek.modelRules' } });
    expect(controller.getSettings().providers.deepseek.modelRules).toEqual(rules);
    expect(await call('updateProvider', 'deepseek', { modelRules: [] })).toMatchObject({ ok: true });
    expect(controller.getSettings().providers.deepseek).not.toHaveProperty('modelRules');

    expect(await call('setContextScaling', false)).toMatchObject({ ok: true });
    expect(controller.getSnapshot().contextScaling).toBe(false);
    expect(await call('setContextScaling', 'no')).toMatchObject({ ok: false, error: { kind: 'user' } });
    expect(await call('setContextScaling', true)).toMatchObject({ ok: true });
  });

  it('hides unexpected failures behind a generic message', async () => {
    handlers = createIpcHandlers({
      ...deps,
      openSettingsWindow: () => {
        throw new Error('/secret/path exploded');
      },
    });
    const result = await call('openSettingsWindow');
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('/secret/path');
    expect(await call('noSuchAction' as never)).toMatchObject({ ok: false });
  });

  it('switches provider, edits the mapping, adds and removes a custom provider', async () => {
    await call('setKey', 'groq', 'gsk-abc-12345678');
    expect(await call('setActiveProvider', 'groq')).toMatchObject({ ok: true });
    expect(controller.getSnapshot().activeProvider).toBe('groq');
    await call('updateProvider', 'groq', {
      bigModel: ' llama-3.3-70b-versatile ',
      smallModel: 'llama-3.1-8b-instant',
    });
    expect(controller.getSnapshot().providers.get('groq')!.settings).toMatchObject({
      bigModel: 'llama-3.3-70b-versatile',
      smallModel: 'llama-3.1-8b-instant',
    });
    expect(
      await call('addCustomProvider', {
        id: 'my-glm',
        label: 'GLM (Anthropic endpoint)',
        baseUrl: 'http://127.0.0.1:11434/anthropic',
        kind: 'anthropic',
      }),
    ).toMatchObject({
      ok: true,
    });
    expect(controller.getState().providers.find((p) => p.id === 'my-glm')).toMatchObject({
      custom: true,
      label: 'GLM (Anthropic endpoint)',
    });
    expect(controller.getSnapshot().providers.get('my-glm')!.entry.kind).toBe('anthropic');
    // A preset's id is taken.
    expect(
      await call('addCustomProvider', { id: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:1/v1' }),
    ).toMatchObject({ ok: false, error: { kind: 'user' } });
    expect(await call('removeCustomProvider', 'my-glm')).toMatchObject({ ok: true });
    expect(await call('removeCustomProvider', 'openai')).toMatchObject({
      ok: false,
      error: { kind: 'user' },
    });
  });

  it('lists models (cached) and tests a provider', async () => {
    const none = await call('listModels', 'openai');
    expect(none).toMatchObject({ ok: true, value: { models: [], error: 'Set an API key to list models.' } });
    await call('setKey', 'openai', KEY);
    expect(await call('listModels', 'openai')).toMatchObject({
      ok: true,
      value: { models: ['openai-large', 'openai-small'], error: null },
    });
    expect(await call('testProvider', 'openai')).toEqual({
      ok: true,
      value: { ok: true, latencyMs: 42, model: 'gpt-5.1', error: null, status: 200 },
    });
    expect(await call('testProvider', 'nope')).toMatchObject({ ok: false, error: { kind: 'user' } });
  });

  it('moves the listener and suggests a free port', async () => {
    const result = await call('setListenAddress', '127.0.0.1', 0);
    expect(result).toMatchObject({ ok: true, value: { proxy: { state: 'running', host: '127.0.0.1' } } });
    expect(await call('suggestPort')).toMatchObject({
      ok: true,
      value: { host: '127.0.0.1', port: expect.any(Number) },
    });
    expect(await call('setListenAddress', '0.0.0.0', 0)).toMatchObject({ ok: true });
    await call('setPaused', true);
    expect(controller.getState().proxy.state).toBe('paused');
    expect(await call('setPaused', 'yes')).toMatchObject({ ok: false, error: { field: 'paused' } });
  });

  it('copies export lines to the clipboard and masks the token in what it returns', async () => {
    controller.setRequireAccessToken(true);
    const shown = await call('copyExportLine', 'fish');
    expect(deps.copyText).toHaveBeenCalledWith(
      'set -gx ANTHROPIC_BASE_URL http://127.0.0.1:0; set -gx ANTHROPIC_AUTH_TOKEN local-token-123',
    );
    expect(shown).toEqual({
      ok: true,
      value: 'set -gx ANTHROPIC_BASE_URL http://127.0.0.1:0; set -gx ANTHROPIC_AUTH_TOKEN ••••',
    });
    expect(await call('copyExportLine', 'zsh')).toMatchObject({ ok: false });
  });

  it('imports from a .env file and from the environment, naming variables but never values', async () => {
    writeFileSync(
      join(dir, '.env'),
      'OPENAI_API_KEY=sk-from-dotenv-1111\nBIG_MODEL=gpt-4.1\nPORT=not-a-port\n',
    );
    const fromFile = await call('importEnv', 'file');
    expect(fromFile).toMatchObject({
      ok: true,
      value: {
        source: join(dir, '.env'),
        applied: ['BIG_MODEL', 'OPENAI_API_KEY', 'PORT'],
        keys: ['openai'],
      },
    });
    expect(JSON.stringify(fromFile)).not.toContain('sk-from-dotenv');
    expect(controller.getSettings().providers.openai.bigModel).toBe('gpt-4.1');
    expect(controller.getSnapshot().providers.get('openai')!.apiKey).toBe('sk-from-dotenv-1111');
    expect(fromFile.ok && fromFile.value!.warnings[0]).toMatch(/PORT=not-a-port/);

    const fromEnv = await call('importEnv', 'environment');
    expect(fromEnv).toMatchObject({
      ok: true,
      value: { applied: ['GROQ_API_KEY', 'PREFERRED_PROVIDER'], keys: ['groq'] },
    });
    expect(controller.getSettings().activeProvider).toBe('groq');
    // Untouched by the second import.
    expect(controller.getSettings().providers.openai.bigModel).toBe('gpt-4.1');

    (deps.chooseEnvFile as ReturnType<typeof vi.fn>).mockResolvedValueOnce(null);
    expect(await call('importEnv', 'file')).toEqual({ ok: true, value: null });
  });

  it('inspects and writes the Claude Code settings file with a backup', async () => {
    expect(await call('inspectClaudeSettings')).toMatchObject({
      ok: true,
      value: { exists: false, overrides: [], conflicts: false },
    });
    const path = deps.claudeSettingsPath;
    mkdirSync(join(dir, '.claude'), { recursive: true });
    writeFileSync(
      path,
      JSON.stringify({
        model: 'opus',
        env: {
          ANTHROPIC_BASE_URL: 'https://example.com',
          ANTHROPIC_AUTH_TOKEN: 'tok-secret',
          ANTHROPIC_MODEL: 'claude-sonnet-4-5',
          CLAUDE_CODE_USE_BEDROCK: '1',
        },
      }),
    );
    const report = await call('inspectClaudeSettings');
    expect(report).toMatchObject({ ok: true, value: { exists: true, conflicts: true } });
    expect(JSON.stringify(report)).not.toContain('tok-secret');
    const written = await call('writeClaudeSettings');
    expect(written.ok).toBe(true);
    const backup = written.ok ? written.value.backupPath! : '';
    expect(existsSync(backup)).toBe(true);
    expect(JSON.parse(readFileSync(backup, 'utf8')).env.ANTHROPIC_BASE_URL).toBe('https://example.com');
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(doc.model).toBe('opus');
    expect(doc.env).toEqual({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:0',
      ANTHROPIC_AUTH_TOKEN: 'tok-secret',
      ANTHROPIC_MODEL: 'claude-sonnet-4-5',
    });
    expect(await call('inspectClaudeSettings')).toMatchObject({ ok: true, value: { conflicts: false } });
  });

  it('start at login: the OS is asked first, and its refusal is reported', async () => {
    expect(await call('setStartAtLogin', true)).toMatchObject({ ok: true });
    expect(deps.applyStartAtLogin).toHaveBeenCalledWith(true);
    expect(controller.getSettings().startAtLogin).toBe(true);
    (deps.applyStartAtLogin as ReturnType<typeof vi.fn>).mockImplementationOnce(() => {
      throw new Error('denied');
    });
    expect(await call('setStartAtLogin', false)).toMatchObject({
      ok: false,
      error: { kind: 'user', field: 'startAtLogin' },
    });
    expect(controller.getSettings().startAtLogin).toBe(true);
  });

  it('reads and clears the log, and opens windows', async () => {
    controller.log.add({
      id: 'a',
      startedAt: 1,
      method: 'POST',
      path: '/v1/messages',
      state: 'done',
      status: 200,
    });
    expect(await call('getLog')).toMatchObject({
      ok: true,
      value: { records: [{ id: 'a' }], capacity: 1000 },
    });
    await call('clearLog');
    expect(controller.log.records()).toEqual([]);
    await call('openLogWindow', 'a');
    expect(deps.openLogWindow).toHaveBeenCalledWith('a');
    await call('openLogWindow', { evil: true });
    expect(deps.openLogWindow).toHaveBeenLastCalledWith(undefined);
  });
});

describe('routing over IPC', () => {
  it('sets the fallback chain, rules and profiles, and refuses bad ones naming the field', async () => {
    expect(await call('setFallbackProviders', ['groq', 'moonshot'])).toEqual({ ok: true, value: undefined });
    expect(await call('setRules', { think: 'openai/o3', longContextThreshold: 90000 })).toMatchObject({
      ok: true,
    });
    expect(
      await call('saveProfile', { name: 'cheap', provider: 'groq', bigModel: 'llama-3.3-70b-versatile' }),
    ).toMatchObject({
      ok: true,
    });
    const settings = controller.getSettings();
    expect(settings.fallbackProviders).toEqual(['groq', 'moonshot']);
    expect(settings.rules).toMatchObject({ think: 'openai/o3', longContextThreshold: 90000 });
    expect(settings.profiles).toEqual([
      {
        name: 'cheap',
        provider: 'groq',
        bigModel: 'llama-3.3-70b-versatile',
        smallModel: '',
        opusModel: '',
        // A new profile's rules start off; the threshold is the global one.
        rules: {
          background: '',
          think: '',
          longContext: '',
          image: '',
          webSearch: '',
          longContextThreshold: 90000,
        },
        fallbackProviders: [],
      },
    ]);
    expect(controller.getSnapshot().profiles.get('cheap')?.provider).toBe('groq');

    expect(await call('setFallbackProviders', ['nosuch'])).toMatchObject({
      ok: false,
      error: { field: 'fallbackProviders', message: expect.stringContaining('nosuch') },
    });
    expect(await call('setRules', { image: 'no-slash' })).toMatchObject({
      ok: false,
      error: { field: 'rules.image' },
    });
    expect(await call('setRules', { image: 'nosuch/model' })).toMatchObject({
      ok: false,
      error: { field: 'rules.image' },
    });
    expect(await call('setRules', { longContextThreshold: 5 })).toMatchObject({
      ok: false,
      error: { field: 'rules.longContextThreshold' },
    });
    expect(await call('saveProfile', { name: 'groq', provider: 'openai' })).toMatchObject({
      ok: false,
      error: { field: 'profiles.groq.name', message: expect.stringContaining('/p/groq') },
    });
    expect(await call('saveProfile', { name: 'Bad Name', provider: 'openai' })).toMatchObject({ ok: false });
    expect(controller.getSettings().fallbackProviders).toEqual(['groq', 'moonshot']);

    expect(await call('removeProfile', 'cheap')).toMatchObject({ ok: true });
    expect(controller.getSettings().profiles).toEqual([]);
  });
});
