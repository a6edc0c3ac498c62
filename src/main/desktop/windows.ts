/**
 * The two windows: Settings and Request log. Each is created on first use, hidden until its
 * first paint, reused afterwards, and locked down: context isolation and the sandbox on, Node
 * off, navigation and new windows refused (links open in the browser).
 */
import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ipcContract } from '../../shared/ipc';

export type WindowKind = 'settings' | 'log' | 'usage';

const SIZES: Record<WindowKind, { width: number; height: number; title: string }> = {
  settings: { width: 1000, height: 860, title: 'Turnout Settings' },
  log: { width: 1100, height: 640, title: 'Turnout Request Log' },
  usage: { width: 1100, height: 860, title: 'Turnout Usage' },
};

export interface WindowPaths {
  /** out/preload/index.cjs */
  preload: string;
  /** out/renderer, when not running the dev server. */
  rendererDir: string;
  /** electron-vite's dev server URL, in `npm start`. */
  devServerUrl?: string;
}

export class WindowManager {
  private readonly windows = new Map<WindowKind, BrowserWindow>();

  constructor(private readonly paths: WindowPaths) {}

  open(kind: WindowKind): BrowserWindow {
    const existing = this.windows.get(kind);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    const { width, height, title } = SIZES[kind];
    const window = new BrowserWindow({
      width,
      height,
      title,
      show: false,
      autoHideMenuBar: true,
      webPreferences: {
        preload: this.paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    window.once('ready-to-show', () => window.show());
    window.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    window.on('closed', () => this.windows.delete(kind));
    this.windows.set(kind, window);
    void window.loadURL(this.pageUrl(kind));
    return window;
  }

  openLog(recordId?: string): void {
    const window = this.open('log');
    if (!recordId) return;
    const send = () => window.webContents.send(ipcContract.onFocusRecord.channel, recordId);
    if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
    else send();
  }

  /** Closes every window (quitting: their IPC handlers are gone). */
  closeAll(): void {
    for (const window of this.windows.values()) if (!window.isDestroyed()) window.destroy();
    this.windows.clear();
  }

  /** Sends an event to every open window. */
  broadcast(channel: string, payload: unknown): void {
    for (const window of this.windows.values()) {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }
  }

  /** Only our own windows, showing our own pages, may call the main process. */
  isTrustedSender(webContentsId: number, frameUrl: string | undefined): boolean {
    const ours = [...this.windows.values()].some(
      (w) => !w.isDestroyed() && w.webContents.id === webContentsId,
    );
    return ours && frameUrl !== undefined && this.isOwnPage(frameUrl);
  }

  private pageUrl(kind: WindowKind): string {
    if (this.paths.devServerUrl) return `${this.paths.devServerUrl}/${kind}.html`;
    return pathToFileURL(join(this.paths.rendererDir, `${kind}.html`)).href;
  }

  private isOwnPage(url: string): boolean {
    if (this.paths.devServerUrl) return url.startsWith(`${this.paths.devServerUrl}/`);
    return url.startsWith(pathToFileURL(this.paths.rendererDir).href + '/');
  }
}
