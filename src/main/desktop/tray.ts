/**
 * The tray icon and its menu. The menu itself comes from buildTrayMenu; this module owns the
 * platform differences and keeps rebuilds cheap: changes are coalesced into one rebuild per
 * tick, and the Menu is only rebuilt when the template's visible content changed.
 *  - Linux: app indicators ignore clicks and show only a context menu, which must be set again
 *    after every change.
 *  - macOS / Windows: left click opens the request log, right click pops the menu up.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { AppState } from '../../shared/appState';
import type { ModelListResult } from '../../shared/ipc';
import type { UsageTotals } from '../../shared/usage';
import type { RequestRecord } from '../../shared/requestRecord';
import { trayIconPath } from './trayIcons';
import {
  buildTrayMenu,
  RECENT_REQUESTS,
  trayIconState,
  trayTooltip,
  type TrayActions,
  type TrayMenuItem,
} from './trayMenu';

export interface TrayInputs {
  getState: () => AppState;
  getRecent: () => RequestRecord[];
  /** Today's usage totals for the status line; null when usage is off. */
  getToday?: () => UsageTotals | null;
  getModels: () => Record<string, ModelListResult | undefined>;
  startAtLoginUnavailable?: string | null;
}

/** What a template looks like, without its click handlers, to skip rebuilds that change nothing. */
function signature(items: TrayMenuItem[]): string {
  return JSON.stringify(items, (key, value) => (key === 'click' ? undefined : value));
}

export class TurnoutTray {
  private readonly tray: Tray;
  private menu: Menu | null = null;
  private lastSignature = '';
  private lastIcon = '';
  private scheduled = false;

  constructor(
    private readonly inputs: TrayInputs,
    private readonly actions: TrayActions,
    private readonly resourcesDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.tray = new Tray(this.icon());
    if (platform !== 'linux') {
      this.tray.on('click', () => actions.openLog());
      this.tray.on('right-click', () => {
        if (this.menu) this.tray.popUpContextMenu(this.menu);
      });
    }
    this.rebuild();
  }

  /** Coalesces bursts of changes (a stream updates its record many times) into one rebuild. */
  scheduleRebuild(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.rebuild();
    }, 150);
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(): Electron.NativeImage {
    const path = trayIconPath(this.resourcesDir, trayIconState(this.inputs.getState()), this.platform);
    this.lastIcon = path;
    const image = nativeImage.createFromPath(path);
    if (this.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  private rebuild(): void {
    if (this.tray.isDestroyed()) return;
    const state = this.inputs.getState();
    const iconPath = trayIconPath(this.resourcesDir, trayIconState(state), this.platform);
    if (iconPath !== this.lastIcon) this.tray.setImage(this.icon());
    this.tray.setToolTip(trayTooltip(state));
    const template = buildTrayMenu(
      {
        state,
        recent: this.inputs.getRecent().slice(0, RECENT_REQUESTS),
        models: this.inputs.getModels(),
        today: this.inputs.getToday?.() ?? null,
        platform: this.platform,
        startAtLoginUnavailable: this.inputs.startAtLoginUnavailable,
      },
      this.actions,
    );
    const sig = signature(template);
    if (sig === this.lastSignature && this.menu) return;
    this.lastSignature = sig;
    this.menu = Menu.buildFromTemplate(template);
    if (this.platform === 'linux') this.tray.setContextMenu(this.menu);
  }
}
