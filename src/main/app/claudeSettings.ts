/**
 * Claude Code's own settings file (~/.claude/settings.json) can set environment variables in
 * its `env` block, and those win over variables exported in the shell. This module reports the
 * ones that affect where Claude Code sends requests, and writes Turnout's values there after
 * a backup. Token values are never shown.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import type { ClaudeOverride, ClaudeSettingsReport, ClaudeSettingsWriteResult } from '../../shared/ipc';
import { fileTimestamp, writeFileAtomic } from './settingsFile';
import { UserError } from './userError';

export interface TurnoutTarget {
  baseUrl: string;
  /** The access token clients must send, or null when none is required. */
  token: string | null;
}

export function defaultClaudeSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude'), 'settings.json');
}

const SECRET_NAMES = new Set(['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY']);
/** These send Claude Code to another cloud entirely, past any base URL. */
const ROUTE_AWAY_NAMES = ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX', 'CLAUDE_CODE_USE_FOUNDRY'];

function isRelevant(name: string): boolean {
  return name.startsWith('ANTHROPIC_') || ROUTE_AWAY_NAMES.includes(name);
}

const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

interface ReadResult {
  exists: boolean;
  doc: Record<string, unknown>;
  parseError: string | null;
}

function readSettings(path: string): ReadResult {
  if (!existsSync(path)) return { exists: false, doc: {}, parseError: null };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { exists: true, doc: {}, parseError: 'The file does not hold a JSON object.' };
    }
    return { exists: true, doc: parsed as Record<string, unknown>, parseError: null };
  } catch (error) {
    return { exists: true, doc: {}, parseError: (error as Error).message };
  }
}

function envBlock(doc: Record<string, unknown>): Record<string, unknown> {
  const env = doc.env;
  return env && typeof env === 'object' && !Array.isArray(env) ? (env as Record<string, unknown>) : {};
}

/** Whether a variable in the env block lets Claude Code reach Turnout. */
function overrideMatches(name: string, value: string, target: TurnoutTarget): boolean {
  if (name === 'ANTHROPIC_BASE_URL') return sameUrl(value, target.baseUrl);
  if (name === 'ANTHROPIC_AUTH_TOKEN') return target.token === null || value === target.token;
  if (name === 'ANTHROPIC_API_KEY') return target.token === null;
  if (ROUTE_AWAY_NAMES.includes(name)) return !value || value === '0' || value === 'false';
  // Model names still pass through Turnout's mapping, so they are reported but harmless.
  return true;
}

/** A path as the user knows it: under the home folder it starts with `~` (POSIX shells and docs). */
export function shownPath(path: string, home = homedir()): string {
  if (!home || home === sep) return path;
  return path === home || path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}

export function inspectClaudeSettings(path: string, target: TurnoutTarget): ClaudeSettingsReport {
  const { exists, doc, parseError } = readSettings(path);
  const overrides: ClaudeOverride[] = [];
  for (const [name, raw] of Object.entries(envBlock(doc))) {
    if (!isRelevant(name)) continue;
    const value = String(raw ?? '');
    overrides.push({
      name,
      shown: SECRET_NAMES.has(name) ? '(set)' : value,
      matches: overrideMatches(name, value, target),
    });
  }
  const conflicts = overrides.some((o) => !o.matches);
  return { path: shownPath(path), exists, parseError, overrides, conflicts };
}

/**
 * Makes Claude Code show Turnout's status line: sets `statusLine` to run `command`
 * (https://docs.claude.com/en/docs/claude-code/statusline), with the same backup and the same
 * refusal to touch an unparsable file as the env block.
 */
export function writeClaudeStatusLine(
  path: string,
  command: string,
  now = new Date(),
): ClaudeSettingsWriteResult {
  const { exists, doc, parseError } = readSettings(path);
  if (parseError) {
    throw new UserError(`${path} is not valid JSON (${parseError}); fix it by hand first.`, 'claudeSettings');
  }
  let backupPath: string | null = null;
  if (exists) {
    backupPath = `${path}.turnout-backup-${fileTimestamp(now)}`;
    copyFileSync(path, backupPath);
  }
  writeFileAtomic(
    path,
    `${JSON.stringify({ ...doc, statusLine: { type: 'command', command, padding: 0 } }, null, 2)}\n`,
  );
  return { path, backupPath, written: ['statusLine'] };
}

/**
 * Points Claude Code at Turnout in its settings file: sets ANTHROPIC_BASE_URL (and the access
 * token when one is required) and removes the variables that would route around Turnout.
 * The previous file is copied next to it first. Refuses to touch a file it cannot parse.
 */
export function writeClaudeSettings(
  path: string,
  target: TurnoutTarget,
  now = new Date(),
): ClaudeSettingsWriteResult {
  const { exists, doc, parseError } = readSettings(path);
  if (parseError) {
    throw new UserError(
      `${shownPath(path)} is not valid JSON (${parseError}); fix it by hand first.`,
      'claudeSettings',
    );
  }
  let backupPath: string | null = null;
  if (exists) {
    backupPath = `${path}.turnout-backup-${fileTimestamp(now)}`;
    copyFileSync(path, backupPath);
  }
  const env = { ...envBlock(doc) };
  const written = ['ANTHROPIC_BASE_URL'];
  env.ANTHROPIC_BASE_URL = target.baseUrl;
  if (target.token) {
    env.ANTHROPIC_AUTH_TOKEN = target.token;
    written.push('ANTHROPIC_AUTH_TOKEN');
  }
  // A real Anthropic key would be sent to the local proxy instead of the token it expects.
  if (target.token && env.ANTHROPIC_API_KEY !== undefined) {
    delete env.ANTHROPIC_API_KEY;
    written.push('-ANTHROPIC_API_KEY');
  }
  for (const name of ROUTE_AWAY_NAMES) {
    if (env[name] !== undefined) {
      delete env[name];
      written.push(`-${name}`);
    }
  }
  writeFileAtomic(path, `${JSON.stringify({ ...doc, env }, null, 2)}\n`);
  return { path: shownPath(path), backupPath: backupPath && shownPath(backupPath), written };
}
