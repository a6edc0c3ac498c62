/**
 * Runs the built main process (out/main/index.js) as a child under plain Node, with `electron`
 * resolved to the recording stand-in (fakeElectron.ts), and remote-controls it: emit `ready`,
 * read the tray, click its items, invoke IPC channels as one of the app's windows, quit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '../../..');
export const mainEntry = join(projectRoot, 'out', 'main', 'index.js');
export const preloadEntry = join(projectRoot, 'out', 'preload', 'index.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    const stat = statSync(path);
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * `npm test` builds before running vitest; run alone, the test builds when out/ is missing or
 * older than the sources it is built from, so it never boots a stale build.
 */
export async function ensureBuilt(): Promise<void> {
  const sources = [
    ...['src/main', 'src/preload', 'src/shared'].map((d) => newestSource(join(projectRoot, d))),
    statSync(join(projectRoot, 'electron.vite.config.ts')).mtimeMs,
  ];
  const fresh =
    existsSync(mainEntry) &&
    existsSync(preloadEntry) &&
    Math.min(statSync(mainEntry).mtimeMs, statSync(preloadEntry).mtimeMs) >= Math.max(...sources);
  if (fresh) return;
  const { build } = await import('electron-vite');
  await build({ root: projectRoot, logLevel: 'warn' });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export interface AppEvent {
  event: string;
  at: number;
  [key: string]: unknown;
}

export interface TrayItem {
  id?: string;
  label?: string;
  type?: string;
  checked?: boolean;
  enabled: boolean;
  toolTip?: string;
  submenu?: TrayItem[];
}

export interface BootedApp {
  child: ChildProcess;
  events: AppEvent[];
  output(): string;
  command<T = unknown>(cmd: string, extra?: Record<string, unknown>): Promise<T>;
  /** Invokes an IPC channel as the given window would (its webContents id and page URL). */
  invoke<T = unknown>(webContentsId: number, channel: string, ...args: unknown[]): Promise<T>;
  tray(): Promise<{ toolTip: string; iconEmpty: boolean; iconPath: string; menu: TrayItem[] }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function bootApp(options: {
  appData: string;
  home: string;
  safeStorage: 'working' | 'broken';
}): BootedApp {
  const child = fork(mainEntry, [], {
    cwd: options.home,
    execArgv: ['--disable-warning=ExperimentalWarning', '--import', join(import.meta.dirname, 'register.ts')],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: options.home,
      XDG_CONFIG_HOME: join(options.home, '.config'),
      FAKE_ELECTRON_APP_PATH: projectRoot,
      FAKE_ELECTRON_APPDATA: options.appData,
      FAKE_SAFE_STORAGE: options.safeStorage,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const events: AppEvent[] = [];
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  child.on(
    'message',
    (message: { id?: number; ok?: boolean; result?: unknown; error?: string } & AppEvent) => {
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(message.error));
      } else events.push(message);
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.once('exit', (code, signal) => {
      for (const waiter of pending.values()) waiter.reject(new Error(`the app exited: ${output}`));
      done({ code, signal, at: Date.now() });
    }),
  );
  const command = <T>(cmd: string, extra: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolveCommand, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolveCommand as (v: unknown) => void, reject });
      child.send({ id, cmd, ...extra });
    });
  return {
    child,
    events,
    output: () => output,
    command,
    invoke: (webContentsId, channel, ...args) => command('invoke', { webContentsId, channel, args }),
    tray: () => command('tray'),
    exited,
  };
}

/** Waits until the proxy answers its health check on the port. */
export async function waitForProxy(port: number, app: BootedApp, timeoutMs = 15_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}/`);
    } catch (error) {
      if (app.child.exitCode !== null) throw new Error(`the app exited: ${app.output()}`, { cause: error });
      if (Date.now() > until) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

export function findItem(items: TrayItem[], id: string): TrayItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu && findItem(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}
