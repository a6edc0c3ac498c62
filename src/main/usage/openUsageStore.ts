/**
 * Opening the usage store for headless mode: `TURNOUT_USAGE=off` disables it; otherwise it lives
 * in `TURNOUT_DATA_DIR` (default: the platform's user data folder). A store that cannot be
 * opened at all (a read-only folder) leaves usage off with a warning rather than stopping the proxy.
 */
import { join } from 'node:path';
import { defaultDataDir, USAGE_FILE } from './dataDir';
import { UsageStore } from './usageStore';

export function usageDisabled(env: Record<string, string | undefined>): boolean {
  return /^(off|0|false|no)$/i.test((env.TURNOUT_USAGE ?? '').trim());
}

export function openHeadlessUsageStore(
  env: Record<string, string | undefined>,
  warn: (message: string) => void = (m) => process.stderr.write(`turnout: ${m}\n`),
): UsageStore | null {
  if (usageDisabled(env)) return null;
  const path = join(defaultDataDir(env), USAGE_FILE);
  try {
    return UsageStore.open(path);
  } catch (error) {
    warn(`usage history is off: could not open ${path} (${(error as Error).message}).`);
    return null;
  }
}
