/**
 * Guards for files Turnout reads at start-up and files it edits for the user. A settings
 * file that is not valid JSON is moved aside (kept, never deleted) so the app starts with
 * defaults and tells the user where the old file went.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A filesystem-safe local timestamp, e.g. 20250131-120103. */
export function fileTimestamp(date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/**
 * If `path` exists and is not parseable JSON (or not an object), renames it to
 * `<path>.corrupt-<timestamp>` and returns a notice for the user; otherwise returns null.
 */
export function moveAsideIfCorrupt(path: string, now = new Date()): string | null {
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `Could not read ${path}: ${(error as Error).message}`;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return null;
  } catch {
    // Fall through: unparsable.
  }
  return moveAside(path, now, 'was not valid JSON');
}

/** Renames a file out of the way and returns the notice that says where it went. */
export function moveAside(path: string, now: Date, why: string): string {
  const backup = `${path}.corrupt-${fileTimestamp(now)}`;
  renameSync(path, backup);
  return `The settings file ${why}; it was moved to ${backup} and defaults were used.`;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}
