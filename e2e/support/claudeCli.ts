/**
 * Runs the real Claude Code CLI (npm @anthropic-ai/claude-code, node_modules/.bin/claude) for the
 * end-to-end tests: in a throwaway HOME so no user config or login leaks in, offline apart from
 * the proxy under test, and headless (`claude -p`) unless a test drives it in a terminal itself.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLAUDE = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'claude');

/** Whether the CLI is installed; suites skip without it. */
export const haveClaude = existsSync(CLAUDE);

/** The key Claude Code presents to Turnout; the proxy ignores it in favour of the vault's. */
export const CLIENT_KEY = 'sk-ant-e2e-client-key';

/**
 * The environment for one run: only PATH from the test process, config under `home`, and
 * Claude Code's telemetry, update checks and other background calls off, so that every request
 * it makes is one the test expects.
 */
export function claudeEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...extra,
  };
}

export interface ClaudeDirs {
  /** HOME, with Claude Code's config in home/.claude. */
  home: string;
  /** The project directory Claude Code works in. */
  work: string;
  /** Deletes both. */
  remove: () => void;
}

/** A fresh HOME and project directory (create them in beforeAll, remove them in afterAll). */
export function claudeDirs(prefix: string): ClaudeDirs {
  const home = mkdtempSync(join(tmpdir(), `${prefix}-home-`));
  const work = mkdtempSync(join(tmpdir(), `${prefix}-work-`));
  return {
    home,
    work,
    remove: () => {
      rmSync(home, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface ClaudeRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ClaudeTurn {
  /** Turnout's URL, as ANTHROPIC_BASE_URL. */
  baseUrl: string;
  prompt: string;
  /** `--allowedTools`; left out when undefined. */
  allowedTools?: string;
  /** `--continue`: carry on the last session in the project directory. */
  resume?: boolean;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/**
 * One headless turn, `claude -p <prompt> --output-format json`: resolves (never rejects) with
 * the exit code and output once the CLI exits, or is killed after 100 s. Its stdin is closed at
 * once: the prompt is the whole input, and Claude Code need not wait for piped text.
 */
export function runClaude(dirs: Pick<ClaudeDirs, 'home' | 'work'>, turn: ClaudeTurn): Promise<ClaudeRun> {
  const args = [
    '-p',
    turn.prompt,
    ...(turn.resume ? ['--continue'] : []),
    ...(turn.allowedTools === undefined ? [] : ['--allowedTools', turn.allowedTools]),
    '--output-format',
    'json',
  ];
  const env = claudeEnv(dirs.home, {
    ANTHROPIC_BASE_URL: turn.baseUrl,
    ANTHROPIC_API_KEY: CLIENT_KEY,
    ...turn.env,
  });
  return new Promise((resolve) => {
    execFile(CLAUDE, args, { cwd: dirs.work, timeout: 100_000, env }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ).stdin?.end();
  });
}

/** A run's exit code and the start of its output, for assertion messages. */
export function describeRun(run: ClaudeRun, limit = 2000): string {
  return `exit ${run.code}\nstdout: ${run.stdout.slice(0, limit)}\nstderr: ${run.stderr.slice(0, limit)}`;
}
