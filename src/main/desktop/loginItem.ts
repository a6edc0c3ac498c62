/**
 * "Start at login". Electron's login item API covers macOS and Windows; on Linux the XDG way is
 * a .desktop file in ~/.config/autostart, written here.
 */
import { app } from 'electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function linuxAutostartPath(): string {
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'autostart', 'turnout.desktop');
}

export function applyStartAtLogin(enabled: boolean): void {
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
