/**
 * A recording stand-in for the `electron` module, for running the built main process (out/main)
 * under plain Node (see boot.test.ts). Node strips the types when it loads this file, so it holds
 * only erasable TypeScript and no relative imports. Each API is typed against electron.d.ts
 * (`Pick<…>` of the real interface), so a signature that drifts from Electron's fails the
 * typecheck. Behaviour follows Electron's documentation:
 *  - app.quit() emits `before-quit` (cancellable), then `will-quit` (cancellable) and `quit`, and
 *    ends the process even with sockets open, as Electron does; app.exit() skips the events.
 *  - the single-instance lock is a file in userData (Chromium's ProcessSingleton keeps its lock
 *    there), so it follows app.setPath('userData') and outlives nothing but the lock holder.
 *  - safeStorage per FAKE_SAFE_STORAGE: 'working' (a keyring), or 'broken' (libsecret selected
 *    but not running: isEncryptionAvailable() false, and encryptString throws even after
 *    setUsePlainTextEncryption(true), which only helps the basic_text backend).
 *
 * The test drives it over the child-process IPC channel: commands in, replies and events out.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  App,
  BrowserWindowConstructorOptions,
  Clipboard,
  Dialog,
  IpcMain,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  NativeImage,
  NotificationConstructorOptions,
  SafeStorage,
  Settings,
  Shell,
} from 'electron';

type Message = { id?: number; cmd?: string; [key: string]: unknown };

const send = (message: Record<string, unknown>): void => {
  process.send?.(message);
};
const event = (name: string, detail: Record<string, unknown> = {}): void =>
  send({ event: name, at: Date.now(), ...detail });

// ---- app ---------------------------------------------------------------------------------

const appPath = process.env.FAKE_ELECTRON_APP_PATH ?? process.cwd();
const packageJson = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as {
  name: string;
  productName?: string;
  version: string;
};
const paths = new Map<string, string>();
const appData = process.env.FAKE_ELECTRON_APPDATA ?? join(process.cwd(), '.fake-appdata');
paths.set('appData', appData);
// Electron's default: the app's name (productName, else name) under appData.
paths.set('userData', join(appData, packageJson.productName ?? packageJson.name));

let ready = false;
let resolveReady: () => void = () => undefined;
const readyPromise = new Promise<void>((resolve) => {
  resolveReady = resolve;
});
let lockPath: string | null = null;

function lockHolderAlive(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

type FakeApp = Pick<
  App,
  | 'whenReady'
  | 'isReady'
  | 'quit'
  | 'exit'
  | 'requestSingleInstanceLock'
  | 'releaseSingleInstanceLock'
  | 'hasSingleInstanceLock'
  | 'getPath'
  | 'setPath'
  | 'getAppPath'
  | 'getVersion'
  | 'getName'
  | 'setName'
  | 'setAppUserModelId'
  | 'setLoginItemSettings'
  | 'isPackaged'
  | 'dock'
> &
  EventEmitter;

class FakeAppImpl extends EventEmitter {
  isPackaged = false;
  dock = undefined;
  private name = packageJson.productName ?? packageJson.name;

  whenReady(): Promise<void> {
    return readyPromise;
  }
  isReady(): boolean {
    return ready;
  }
  quit(): void {
    event('app.quit');
    let prevented = false;
    const cancellable = { preventDefault: () => (prevented = true) };
    this.emit('before-quit', cancellable);
    if (prevented) return;
    this.emit('will-quit', cancellable);
    if (prevented) return;
    this.emit('quit', {}, 0);
    this.exit(0);
  }
  exit(exitCode = 0): void {
    event('exit', { code: exitCode });
    this.releaseSingleInstanceLock();
    process.exit(exitCode);
  }
  requestSingleInstanceLock(): boolean {
    // Chromium creates the userData folder to hold the lock.
    mkdirSync(this.getPath('userData'), { recursive: true });
    const path = join(this.getPath('userData'), 'SingletonLock');
    if (existsSync(path) && lockHolderAlive(path)) return false;
    writeFileSync(path, String(process.pid), { flag: 'w' });
    lockPath = path;
    event('lock-acquired', { path });
    return true;
  }
  releaseSingleInstanceLock(): void {
    if (!lockPath) return;
    rmSync(lockPath, { force: true });
    event('lock-released', { path: lockPath });
    lockPath = null;
  }
  hasSingleInstanceLock(): boolean {
    return lockPath !== null;
  }
  getPath(name: Parameters<App['getPath']>[0]): string {
    const path = paths.get(name);
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  setPath(name: string, path: string): void {
    if (ready && name === 'userData') event('warning', { message: 'userData set after ready' });
    paths.set(name, path);
  }
  getAppPath(): string {
    return appPath;
  }
  getVersion(): string {
    return packageJson.version;
  }
  getName(): string {
    return this.name;
  }
  setName(name: string): void {
    this.name = name;
  }
  setAppUserModelId(id: string): void {
    event('app.setAppUserModelId', { id });
  }
  setLoginItemSettings(settings: Settings): void {
    event('app.setLoginItemSettings', { settings });
  }
}

export const app: FakeApp = new FakeAppImpl();

// ---- safeStorage -------------------------------------------------------------------------

const keychainWorks = process.env.FAKE_SAFE_STORAGE !== 'broken';
let plainText = false;
const backend = 'gnome_libsecret' as const;
const canEncrypt = () => keychainWorks || (plainText && (backend as string) === 'basic_text');

export const safeStorage: Pick<
  SafeStorage,
  | 'isEncryptionAvailable'
  | 'encryptString'
  | 'decryptString'
  | 'getSelectedStorageBackend'
  | 'setUsePlainTextEncryption'
> = {
  isEncryptionAvailable: () => keychainWorks,
  getSelectedStorageBackend: () => backend,
  setUsePlainTextEncryption: (usePlainText: boolean) => {
    plainText = usePlainText;
  },
  encryptString(plainText: string): Buffer {
    if (!canEncrypt()) {
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    }
    return Buffer.concat([Buffer.from('v11'), Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a)]);
  },
  decryptString(encrypted: Buffer): string {
    if (!canEncrypt()) {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.',
      );
    }
    if (encrypted.subarray(0, 3).toString() !== 'v11')
      throw new Error('Error while decrypting the ciphertext.');
    return Buffer.from(encrypted.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

// ---- menus and tray ----------------------------------------------------------------------

interface FakeMenuItem {
  id?: string;
  label?: string;
  type?: string;
  checked?: boolean;
  enabled: boolean;
  toolTip?: string;
  submenu?: FakeMenu;
  click?: MenuItemConstructorOptions['click'];
}

export class Menu {
  items: FakeMenuItem[] = [];

  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu {
    const menu = new Menu();
    menu.items = template.map((item) => ({
      id: item.id,
      label: item.label,
      type: item.type ?? (item.submenu ? 'submenu' : 'normal'),
      checked: item.checked,
      enabled: item.enabled ?? true,
      toolTip: item.toolTip,
      submenu: Array.isArray(item.submenu) ? Menu.buildFromTemplate(item.submenu) : undefined,
      click: item.click,
    }));
    return menu;
  }
}
type FakeMenu = Menu;

class FakeNativeImage {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
  // An image that could not be read is empty, as with Electron.
  isEmpty(): boolean {
    return !this.path || !existsSync(this.path);
  }
  setTemplateImage(_option: boolean): void {}
}

export const nativeImage = {
  createFromPath: (path: string): NativeImage => new FakeNativeImage(path) as unknown as NativeImage,
};

const trays: Tray[] = [];

export class Tray extends EventEmitter {
  image: FakeNativeImage;
  toolTip = '';
  contextMenu: Menu | null = null;
  private destroyed = false;

  constructor(image: NativeImage | string) {
    super();
    this.image = (typeof image === 'string'
      ? new FakeNativeImage(image)
      : image) as unknown as FakeNativeImage;
    trays.push(this);
  }
  setImage(image: NativeImage | string): void {
    this.image = (typeof image === 'string'
      ? new FakeNativeImage(image)
      : image) as unknown as FakeNativeImage;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: Menu | null): void {
    this.contextMenu = menu;
  }
  popUpContextMenu(_menu?: Menu): void {}
  destroy(): void {
    this.destroyed = true;
    event('tray.destroy');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---- windows and IPC ---------------------------------------------------------------------

let nextId = 1;
const windows: BrowserWindow[] = [];

class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  url = '';
  sent: { channel: string }[] = [];
  send(channel: string, ..._args: unknown[]): void {
    this.sent.push({ channel });
  }
  setWindowOpenHandler(_handler: unknown): void {}
  isLoading(): boolean {
    return false;
  }
  getURL(): string {
    return this.url;
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  readonly options: BrowserWindowConstructorOptions;
  private destroyed = false;
  private shown = false;

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    this.options = options;
    windows.push(this);
    event('window.create', { title: options.title, preload: options.webPreferences?.preload });
  }
  static getAllWindows(): BrowserWindow[] {
    return windows.filter((w) => !w.isDestroyed());
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    setImmediate(() => {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    });
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isVisible(): boolean {
    return this.shown;
  }
  close(): void {
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
const handlers = new Map<string, InvokeHandler>();

class FakeIpcMain extends EventEmitter {
  handle(channel: string, listener: InvokeHandler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    handlers.delete(channel);
  }
}
// (`on`, used by electron-store, comes from EventEmitter.)
export const ipcMain = new FakeIpcMain() satisfies Pick<IpcMain, 'handle' | 'removeHandler'>;

// ---- the rest ----------------------------------------------------------------------------

let clipboardText = '';
export const clipboard: Pick<Clipboard, 'writeText' | 'readText'> = {
  writeText: async (text: string) => {
    clipboardText = text;
  },
  readText: async () => clipboardText,
};

export const dialog: Pick<Dialog, 'showErrorBox' | 'showOpenDialog'> = {
  showErrorBox: (title: string, content: string) => {
    event('dialog.showErrorBox', { title, content });
    process.stderr.write(`[dialog] ${title}: ${content}\n`);
  },
  showOpenDialog: (async () => ({ canceled: true, filePaths: [] })) as Dialog['showOpenDialog'],
};

export const shell: Pick<Shell, 'openExternal' | 'openPath'> = {
  openExternal: async () => undefined,
  openPath: async () => '',
};

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly options: NotificationConstructorOptions;
  constructor(options: NotificationConstructorOptions = {}) {
    super();
    this.options = options;
  }
  show(): void {
    event('notification.show', { title: this.options.title, body: this.options.body });
  }
}

// ---- the test's remote control -----------------------------------------------------------

function describeMenu(menu: Menu | null | undefined): unknown[] {
  return (menu?.items ?? []).map(({ click: _click, submenu, ...item }) => ({
    ...item,
    ...(submenu ? { submenu: describeMenu(submenu) } : {}),
  }));
}

function findItem(menu: Menu | null | undefined, id: string): FakeMenuItem | undefined {
  for (const item of menu?.items ?? []) {
    if (item.id === id) return item;
    const inner = findItem(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}

const liveTray = () => trays.filter((t) => !t.isDestroyed()).at(-1);

const commands: Record<string, (message: Message) => unknown> = {
  ready: () => {
    ready = true;
    app.emit('ready', {}, {});
    resolveReady();
  },
  emit: (message) => {
    app.emit(
      String(message.name),
      { preventDefault: () => undefined },
      ...((message.args as unknown[]) ?? []),
    );
  },
  handlers: () => [...handlers.keys()],
  tray: () => {
    const tray = liveTray();
    return (
      tray && {
        toolTip: tray.toolTip,
        iconEmpty: tray.image.isEmpty(),
        iconPath: tray.image.path,
        menu: describeMenu(tray.contextMenu),
      }
    );
  },
  click: (message) => {
    const item = findItem(liveTray()?.contextMenu, String(message.itemId));
    if (!item?.click) throw new Error(`No clickable tray item "${String(message.itemId)}"`);
    if (!item.enabled) throw new Error(`Tray item "${String(message.itemId)}" is disabled`);
    item.click(item as never, undefined, {} as never);
  },
  windows: () =>
    BrowserWindow.getAllWindows().map((w) => ({
      id: w.webContents.id,
      title: w.options.title,
      url: w.webContents.url,
      preload: w.options.webPreferences?.preload,
    })),
  invoke: async (message) => {
    const window = BrowserWindow.getAllWindows().find((w) => w.webContents.id === message.webContentsId);
    const handler = handlers.get(String(message.channel));
    if (!handler) throw new Error(`No handler registered for '${String(message.channel)}'`);
    const invokeEvent = {
      sender: window?.webContents ?? { id: -1 },
      senderFrame: { url: window?.webContents.url },
    };
    return handler(invokeEvent as unknown as IpcMainInvokeEvent, ...((message.args as unknown[]) ?? []));
  },
  clipboard: () => clipboardText,
  signalListeners: () =>
    Object.fromEntries(
      ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGABRT'].map((s) => [
        s,
        process.listenerCount(s),
      ]),
    ),
  quit: () => app.quit(),
};

process.on('message', (message: Message) => {
  if (!message || typeof message.cmd !== 'string') return;
  const command = commands[message.cmd];
  Promise.resolve()
    .then(() => {
      if (!command) throw new Error(`unknown command ${message.cmd}`);
      return command(message);
    })
    .then(
      (result) => send({ id: message.id, ok: true, result }),
      (error: Error) => send({ id: message.id, ok: false, error: error.message }),
    );
});
// Electron's event loop runs until the app quits or exits, whatever else is pending; the IPC
// channel to the test must not be what keeps the process alive.
process.channel?.unref();
setInterval(() => undefined, 1 << 30);

export default {
  app,
  safeStorage,
  Menu,
  Tray,
  nativeImage,
  BrowserWindow,
  ipcMain,
  clipboard,
  dialog,
  shell,
  Notification,
};
