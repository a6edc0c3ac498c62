/**
 * Which image file the tray shows. macOS gets monochrome template images (the system tints them
 * for light and dark menu bars); other platforms get coloured ones.
 */
import { join } from 'node:path';
import type { TrayIconState } from './trayMenu';

export function trayIconPath(resourcesDir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  const name = platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`;
  return join(resourcesDir, name);
}
