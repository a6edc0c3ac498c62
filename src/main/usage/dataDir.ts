/**
 * Where headless mode keeps its files: `TURNOUT_DATA_DIR`, or the folder the desktop app uses
 * for its user data on this platform (Electron's `userData` for an app named "turnout").
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (env.TURNOUT_DATA_DIR) return env.TURNOUT_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'turnout');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'turnout');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'turnout');
}

export const USAGE_FILE = 'usage.sqlite';
