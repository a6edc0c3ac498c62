/** The data folder after the rename: `turnout`, with the pre-rename folder moved once. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDataFolder, migrationNotice } from '../../src/main/desktop/dataFolder';

/** The data folder's name before the rename (spelled so that only the migration code names it). */
const OLD_FOLDER = ['switch', 'yard'].join('');

let appData: string;
beforeEach(() => {
  appData = mkdtempSync(join(tmpdir(), 'turnout-appdata-'));
});
afterEach(() => rmSync(appData, { recursive: true, force: true }));

function seed(folder: string, contents: string): void {
  mkdirSync(join(appData, folder), { recursive: true });
  writeFileSync(join(appData, folder, 'config.json'), contents);
}

describe('migrateDataFolder', () => {
  it('moves the old folder with everything in it when only the old one exists', () => {
    seed(OLD_FOLDER, '{"old":true}');
    const result = migrateDataFolder(appData);
    expect(result).toEqual({
      kind: 'moved',
      path: join(appData, 'turnout'),
      from: join(appData, OLD_FOLDER),
    });
    expect(readFileSync(join(appData, 'turnout', 'config.json'), 'utf8')).toBe('{"old":true}');
    expect(existsSync(join(appData, OLD_FOLDER))).toBe(false);
    expect(migrationNotice(result)).toContain('moved from');
    // Once: the next start finds the new folder and does nothing.
    expect(migrateDataFolder(appData)).toEqual({ kind: 'none', path: join(appData, 'turnout') });
  });

  it('never touches either folder when the new one exists already', () => {
    seed(OLD_FOLDER, 'old');
    seed('turnout', 'new');
    expect(migrateDataFolder(appData).kind).toBe('none');
    expect(readFileSync(join(appData, 'turnout', 'config.json'), 'utf8')).toBe('new');
    expect(readFileSync(join(appData, OLD_FOLDER, 'config.json'), 'utf8')).toBe('old');
  });

  it('does nothing on a first install', () => {
    const result = migrateDataFolder(appData);
    expect(result).toEqual({ kind: 'none', path: join(appData, 'turnout') });
    expect(migrationNotice(result)).toBeNull();
    expect(existsSync(join(appData, 'turnout'))).toBe(false);
  });
});
