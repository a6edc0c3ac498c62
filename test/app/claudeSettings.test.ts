import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultClaudeSettingsPath,
  inspectClaudeSettings,
  shownPath,
  writeClaudeSettings,
} from '../../src/main/app/claudeSettings';

let dir: string;
let path: string;
const target = { baseUrl: 'http://127.0.0.1:8082', token: null };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'turnout-claude-'));
  path = join(dir, 'settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Claude Code settings check', () => {
  it('finds the file under CLAUDE_CONFIG_DIR or ~/.claude', () => {
    expect(defaultClaudeSettingsPath({ CLAUDE_CONFIG_DIR: '/x/cfg' })).toBe('/x/cfg/settings.json');
    expect(defaultClaudeSettingsPath({})).toMatch(/\.claude[/\\]settings\.json$/);
  });

  it('reports overrides, hides secrets, and flags only what bypasses Turnout', () => {
    writeFileSync(
      path,
      JSON.stringify({
        env: {
          ANTHROPIC_BASE_URL: 'http://127.0.0.1:8082/',
          ANTHROPIC_API_KEY: 'sk-ant-secret',
          ANTHROPIC_SMALL_FAST_MODEL: 'claude-haiku-4-5',
          DISABLE_TELEMETRY: '1',
        },
      }),
    );
    const report = inspectClaudeSettings(path, target);
    expect(report.overrides).toEqual([
      { name: 'ANTHROPIC_BASE_URL', shown: 'http://127.0.0.1:8082/', matches: true },
      { name: 'ANTHROPIC_API_KEY', shown: '(set)', matches: true },
      { name: 'ANTHROPIC_SMALL_FAST_MODEL', shown: 'claude-haiku-4-5', matches: true },
    ]);
    expect(report.conflicts).toBe(false);
    // With an access token required, a different key in the file does conflict.
    expect(inspectClaudeSettings(path, { ...target, token: 'tok' }).conflicts).toBe(true);
    expect(JSON.stringify(report)).not.toContain('sk-ant-secret');
  });

  it('refuses to write over a file it cannot parse', () => {
    writeFileSync(path, '{ "env": ');
    expect(inspectClaudeSettings(path, target).parseError).toBeTruthy();
    expect(() => writeClaudeSettings(path, target)).toThrow(/not valid JSON/);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('creates the file when missing, with no backup', () => {
    const nested = join(dir, 'new', 'settings.json');
    const result = writeClaudeSettings(nested, { baseUrl: 'http://127.0.0.1:9000', token: 'tok-1' });
    expect(result).toEqual({
      path: nested,
      backupPath: null,
      written: ['ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN'],
    });
    expect(JSON.parse(readFileSync(nested, 'utf8'))).toEqual({
      env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9000', ANTHROPIC_AUTH_TOKEN: 'tok-1' },
    });
    mkdirSync(join(dir, 'x'));
  });
});

describe('shownPath', () => {
  it('shows a path under the home folder with ~, and any other path as it is', () => {
    expect(shownPath(join('/home/ada', '.claude', 'settings.json'), '/home/ada')).toBe(
      join('~', '.claude', 'settings.json'),
    );
    expect(shownPath('/home/adam/.claude/settings.json', '/home/ada')).toBe(
      '/home/adam/.claude/settings.json',
    );
    expect(shownPath('/etc/claude/settings.json', '/')).toBe('/etc/claude/settings.json');
  });
});
