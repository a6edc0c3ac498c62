/**
 * Where the desktop app keeps its settings, key ciphertexts and Chromium's own data. Electron
 * would name the folder after package.json's productName or name, which differ between
 * `npm start` and a packaged build, so the app sets it explicitly: `turnout` under the
 * platform's app-data folder (~/.config, ~/Library/Application Support, %APPDATA%).
 *
 * The project used to be called Switchyard. Its folder is moved once, when the new folder does
 * not exist yet, so nobody loses their settings or keys to the rename. Plain Node (no Electron)
 * so it is tested directly.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_FOLDER = 'turnout';
/** Folder names of the releases before the rename (case differs between platforms' builds). */
const OLD_FOLDERS = ['switchyard', 'Switchyard'];

export type DataFolderMigration =
  | { kind: 'none'; path: string }
  | { kind: 'moved'; path: string; from: string }
  | { kind: 'failed'; path: string; from: string; error: string };

export function dataFolderPath(appData: string): string {
  return join(appData, DATA_FOLDER);
}

/** Moves the pre-rename folder to the new name when only the old one exists. Never throws. */
export function migrateDataFolder(appData: string): DataFolderMigration {
  const path = dataFolderPath(appData);
  if (existsSync(path)) return { kind: 'none', path };
  const from = OLD_FOLDERS.map((name) => join(appData, name)).find((candidate) => existsSync(candidate));
  if (!from) return { kind: 'none', path };
  try {
    // Same parent folder, so a rename: atomic, and no half-copied folder if the app is killed.
    renameSync(from, path);
    return { kind: 'moved', path, from };
  } catch (error) {
    return { kind: 'failed', path, from, error: (error as Error).message };
  }
}

/** The line shown in Settings about the move, or null when nothing happened. */
export function migrationNotice(result: DataFolderMigration): string | null {
  if (result.kind === 'moved') return `Settings and keys were moved from ${result.from} to ${result.path}.`;
  if (result.kind === 'failed') {
    return `Could not move the old settings folder ${result.from} to ${result.path} (${result.error}); Turnout started with new settings.`;
  }
  return null;
}
