/**
 * The desktop app without Electron: the built main process (out/main/index.js) runs under plain
 * Node against a recording stand-in for the `electron` module (boot/fakeElectron.ts, typed
 * against electron.d.ts), and the built preload (out/preload/index.cjs) runs the way a sandboxed
 * preload does, with only `require('electron')` available. This catches what unit tests of the
 * parts cannot: start-up order, wiring, the data folder, quitting.
 */
import Anthropic from '@anthropic-ai/sdk';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/shared/config';
import { ipcContract, isInvokeName } from '../../src/shared/ipc';
import { startFakeUpstream, type FakeUpstream } from '../support/fakeUpstream';
import {
  bootApp,
  ensureBuilt,
  findItem,
  freePort,
  preloadEntry,
  projectRoot,
  waitForProxy,
  type BootedApp,
} from './boot/bootHarness';

/** The data folder's name before the rename (spelled so that only the migration code names it). */
const OLD_FOLDER = ['switch', 'yard'].join('');

/** The machine may be busy: the tray's debounced rebuild and the IPC round trips get time. */
const POLL = { timeout: 10_000 };
/** src/main/index.ts's QUIT_DEADLINE_MS: requests still running then are cut. */
const QUIT_DEADLINE_MS = 3000;

const invokeChannels = Object.entries(ipcContract)
  .filter(([name]) => isInvokeName(name))
  .map(([, spec]) => spec.channel)
  .sort();

let upstreamA: FakeUpstream;
let upstreamB: FakeUpstream;
let dir: string;
let app: BootedApp | null = null;

beforeAll(async () => {
  await ensureBuilt();
  [upstreamA, upstreamB] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
});

afterAll(async () => {
  await Promise.all([upstreamA?.close(), upstreamB?.close()]);
});

afterEach(async () => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
  app = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A settings document with the proxy on a free port and OpenAI/Groq pointed at the fakes. */
function settingsDocument(port: number) {
  const settings = defaultSettings();
  settings.port = port;
  settings.providers.openai.baseUrl = `${upstreamA.url}/v1`;
  settings.providers.groq.baseUrl = `${upstreamB.url}/v1`;
  return { settings, keys: {} };
}

async function start(safeStorage: 'working' | 'broken', dataFolder: string) {
  dir = mkdtempSync(join(tmpdir(), 'turnout-boot-'));
  const appData = join(dir, 'appData');
  const port = await freePort();
  mkdirSync(join(appData, dataFolder), { recursive: true });
  writeFileSync(join(appData, dataFolder, 'config.json'), JSON.stringify(settingsDocument(port)));
  mkdirSync(join(dir, 'home'));
  app = bootApp({ appData, home: join(dir, 'home'), safeStorage });
  await app.command('ready');
  const health = await waitForProxy(port, app);
  return { app, appData, port, health };
}

/**
 * Opens Settings (from the tray, or as macOS does when the running app is launched again from
 * Finder: the `activate` event) and returns its webContents id, to call IPC as that window.
 */
async function openSettings(booted: BootedApp, via: 'tray' | 'activate' = 'tray'): Promise<number> {
  if (via === 'tray') await booted.command('click', { itemId: 'open-settings' });
  else await booted.command('emit', { name: 'activate', args: [false] });
  const windows =
    await booted.command<{ id: number; title: string; url: string; preload: string }[]>('windows');
  const settings = windows.find((w) => w.title === 'Turnout Settings')!;
  expect(settings.url).toBe(`file://${join(projectRoot, 'out', 'renderer', 'settings.html')}`);
  expect(settings.preload).toBe(join(projectRoot, 'out', 'preload', 'index.cjs'));
  return settings.id;
}

/** Chat requests only: the app also lists the active provider's models on its own. */
const chats = (upstream: FakeUpstream) => upstream.received.filter((r) => r.method === 'POST');

async function ask(port: number, apiKey = 'unused'): Promise<string> {
  const client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey, maxRetries: 0 });
  const message = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hi' }],
  });
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('the built desktop app under plain Node', () => {
  it('moves the old data folder, serves, handles every IPC channel, and a tray switch moves the next request', async () => {
    const { app: booted, appData, port, health } = await start('working', OLD_FOLDER);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ name: 'turnout', status: 'ok' });

    // The data folder: the pre-rename folder was moved once, and the lock lives in the new one.
    expect(existsSync(join(appData, OLD_FOLDER))).toBe(false);
    expect(booted.events.find((e) => e.event === 'lock-acquired')).toMatchObject({
      path: join(appData, 'turnout', 'SingletonLock'),
    });

    expect((await booted.command<string[]>('handlers')).sort()).toEqual(invokeChannels);

    // The tray is rebuilt a moment after a change; the icon comes from the app's own resources.
    await expect
      .poll(() => booted.tray(), POLL)
      .toMatchObject({
        iconEmpty: false,
        iconPath: join(projectRoot, 'resources', 'tray-running.png'),
        toolTip: `Turnout · Proxy on 127.0.0.1:${port} · OpenAI`,
      });

    const windowId = await openSettings(booted);
    // Anything that is not one of the app's windows is refused.
    expect(await booted.invoke(-1, 'state:get')).toMatchObject({ ok: false });
    const state = await booted.invoke<{ ok: true; value: { notices: string[]; keyStorage: string } }>(
      windowId,
      'state:get',
    );
    expect(state.value.keyStorage).toBe('encrypted');
    expect(state.value.notices.join(' ')).toContain(`moved from ${join(appData, OLD_FOLDER)}`);
    for (const [id, key] of [
      ['openai', 'sk-boot-openai-1111'],
      ['groq', 'gsk-boot-groq-2222'],
    ]) {
      expect(await booted.invoke(windowId, 'provider:set-key', id, key)).toEqual({
        ok: true,
        value: undefined,
      });
    }
    const onDisk = readFileSync(join(appData, 'turnout', 'config.json'), 'utf8');
    expect(onDisk).not.toContain('sk-boot-openai-1111');
    expect(Object.keys(JSON.parse(onDisk).keys).sort()).toEqual(['groq', 'openai']);

    upstreamA.received.length = 0;
    upstreamB.received.length = 0;
    expect(await ask(port)).toBe('ok');
    expect(chats(upstreamA)).toHaveLength(1);
    expect(chats(upstreamA)[0].headers.authorization).toBe('Bearer sk-boot-openai-1111');

    // Groq's item is enabled once the tray shows that its key is set.
    await expect
      .poll(async () => findItem((await booted.tray()).menu, 'provider-groq'), POLL)
      .toMatchObject({ type: 'radio', checked: false, enabled: true });
    await booted.command('click', { itemId: 'provider-groq' });
    expect(await ask(port)).toBe('ok');
    expect(chats(upstreamA)).toHaveLength(1);
    expect(chats(upstreamB)).toHaveLength(1);
    expect(chats(upstreamB)[0].headers.authorization).toBe('Bearer gsk-boot-groq-2222');
    await expect
      .poll(async () => findItem((await booted.tray()).menu, 'provider-groq')?.checked, POLL)
      .toBe(true);
  });

  it('quits within the deadline with a keep-alive client and a stream in flight, releasing the lock first', async () => {
    const { app: booted, port } = await start('working', 'turnout');
    const windowId = await openSettings(booted);
    await booted.invoke(windowId, 'provider:set-key', 'openai', 'sk-boot-openai-1111');

    // An idle keep-alive connection (what Claude Code's HTTP client leaves open between turns)…
    const agent = new Agent({ keepAlive: true });
    let socket: Socket | undefined;
    await new Promise<void>((done) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.once('end', done);
      });
      req.once('socket', (s) => (socket = s));
      req.end();
    });
    expect(socket!.destroyed).toBe(false);
    const idleSocketClosed = new Promise<number>((done) => socket!.once('close', () => done(Date.now())));
    // …and a request whose upstream never answers.
    upstreamA.enqueue({ kind: 'hang' });
    const inFlight = ask(port).then(
      () => 'answered',
      () => 'cut',
    );
    await expect.poll(() => upstreamA.inFlight(), POLL).toBe(1);

    const quitAt = Date.now();
    await booted.command('click', { itemId: 'quit' });
    const exit = await booted.exited;
    agent.destroy();

    expect(exit).toMatchObject({ code: 0, signal: null });
    // Measured before the fix: over a minute (keepAliveTimeout) after the last stream ended.
    expect(exit.at - quitAt).toBeLessThan(QUIT_DEADLINE_MS + 3000);
    expect(await inFlight).toBe('cut');
    // The idle connection is closed as quitting begins, not when the process ends.
    expect((await idleSocketClosed) - quitAt).toBeLessThan(QUIT_DEADLINE_MS - 1000);
    const released = booted.events.find((e) => e.event === 'lock-released')!;
    expect(released).toBeDefined();
    // Released when quitting began, not when the process ended after the stream was cut.
    expect(released.at - quitAt).toBeLessThan(QUIT_DEADLINE_MS - 1000);
  });

  it('starts with a keychain that cannot encrypt: serves, keeps keys for the run only, makes a token when asked; activate opens Settings; SIGTERM quits gracefully', async () => {
    const { app: booted, appData, port, health } = await start('broken', 'turnout');
    expect(health.status).toBe(200);
    expect(booted.events.find((e) => e.event === 'dialog.showErrorBox')).toBeUndefined();

    const windowId = await openSettings(booted, 'activate');
    const state = await booted.invoke<{ value: { notices: string[]; keyStorage: string } }>(
      windowId,
      'state:get',
    );
    expect(state.value.keyStorage).toBe('session');
    expect(state.value.notices.join(' ')).toMatch(/kept in memory for this run only and will not be saved/);
    expect(findItem((await booted.tray()).menu, 'keys-not-saved')).toMatchObject({ enabled: true });

    expect(await booted.invoke(windowId, 'provider:set-key', 'openai', 'sk-boot-session-3333')).toEqual({
      ok: true,
      value: undefined,
    });
    upstreamA.received.length = 0;
    expect(await ask(port)).toBe('ok');
    expect(chats(upstreamA)[0].headers.authorization).toBe('Bearer sk-boot-session-3333');

    // The access token is made when first required, though it cannot be stored encrypted.
    expect(await booted.invoke(windowId, 'proxy:set-require-token', true)).toMatchObject({ ok: true });
    await expect(ask(port)).rejects.toMatchObject({ status: 401 });
    await booted.invoke(windowId, 'clipboard:export-line', 'posix');
    const line = await booted.command<string>('clipboard');
    const token = /ANTHROPIC_AUTH_TOKEN=(\S+)/.exec(line)![1];
    const withToken = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, authToken: token, apiKey: null });
    await expect(
      withToken.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).resolves.toMatchObject({ type: 'message' });

    const onDisk = readFileSync(join(appData, 'turnout', 'config.json'), 'utf8');
    expect(onDisk).not.toContain('sk-boot-session-3333');
    expect(onDisk).not.toContain(token);
    expect(JSON.parse(onDisk)).toMatchObject({ keys: {} });

    // SIGTERM and SIGINT have the app's handler and nothing else: electron-store's bundled
    // when-exit, which hooks a dozen signals and re-sends them, is stubbed out in the build.
    expect(await booted.command('signalListeners')).toEqual({
      SIGTERM: 1,
      SIGINT: 1,
      SIGHUP: 0,
      SIGQUIT: 0,
      SIGUSR2: 0,
      SIGABRT: 0,
    });
    // SIGTERM goes through the app's own quit (tray removed, proxy closed), not a signal death.
    booted.child.kill('SIGTERM');
    const exit = await booted.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(booted.events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['app.quit', 'lock-released', 'tray.destroy', 'exit']),
    );
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

describe('the built preload', () => {
  it('exposes one bridge method per IPC contract entry and nothing else', () => {
    dir = mkdtempSync(join(tmpdir(), 'turnout-preload-'));
    const exposed: Record<string, any> = {};
    const calls: unknown[][] = [];
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          exposed[key] = api;
        },
      },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          calls.push(args);
          return Promise.resolve({ ok: true, value: null });
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, listener),
        removeListener: (channel: string) => listeners.delete(channel),
      },
    };
    // A sandboxed preload gets a `require` that knows only a few modules, `electron` among them.
    const module = { exports: {} };
    runInNewContext(readFileSync(preloadEntry, 'utf8'), {
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`module not found: ${name}`);
        return electron;
      },
      module,
      exports: module.exports,
    });

    expect(Object.keys(exposed)).toEqual(['turnout']);
    const bridge = exposed.turnout;
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(ipcContract).sort());
    for (const [name, spec] of Object.entries(ipcContract)) {
      expect(typeof bridge[name]).toBe('function');
      if (spec.kind === 'invoke') {
        void bridge[name]('arg');
        expect(calls.at(-1)).toEqual([spec.channel, 'arg']);
      } else {
        const received: unknown[] = [];
        const off = bridge[name]((payload: unknown) => received.push(payload));
        listeners.get(spec.channel)!({ sender: 'hidden' }, 'payload');
        expect(received).toEqual(['payload']);
        off();
        expect(listeners.has(spec.channel)).toBe(false);
      }
    }
  });
});
