/**
 * "Start at login". Electron's login item API covers macOS and Windows; on Linux the XDG way is
 * a .desktop file in ~/.config/autostart, written here.
 *
 * Both register the running executable. That is the app itself only once it is installed: under
 * `npm start` it is the bare Electron binary, which at login would open Electron's default
 * window, not Turnout. So the item is offered only in the packaged app.
 */
import { app } from 'electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function linuxAutostartPath(): string {
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'autostart', 'turnout.desktop');
}

/** Why "Start at login" cannot be offered in this run, or null when it can. */
export function startAtLoginUnavailable(): string | null {
  return app.isPackaged
    ? null
    : 'Start at login works in the installed app only (under `npm start` it would register the bare Electron binary).';
}

export function applyStartAtLogin(enabled: boolean): void {
  const unavailable = startAtLoginUnavailable();
  if (unavailable && enabled) throw new Error(unavailable);
  if (process.platform === 'linux') {
    const path = linuxAutostartPath();
    if (!enabled) {
      if (existsSync(path)) rmSync(path);
      return;
    }
    // An AppImage moves when updated; APPIMAGE names the file the user actually runs.
    const exec = process.env.APPIMAGE || process.execPath;
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(
      path,
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Turnout',
        `Exec="${exec}"`,
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled });
}
