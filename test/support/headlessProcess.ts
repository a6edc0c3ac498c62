/**
 * Runs headless mode (`tsx src/main/headless.ts`) as a child process with a given environment,
 * in an empty working directory (so no `.env` is picked up), capturing everything it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = join(ROOT, 'src/main/headless.ts');
const SERVE = join(ROOT, 'scripts/serve.mjs');

export interface HeadlessProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Resolves with the base URL once the start-up banner is printed; rejects if it exits first. */
  ready: Promise<string>;
  stop(): Promise<number | string>;
}

/**
 * `serve: true` runs `scripts/serve.mjs` (what `npm run serve` runs: the bundled proxy in one
 * process) instead of tsx, whose signal relay kills the child when it does not confirm a signal
 * within 30 ms, which a loaded machine can miss; tests of what happens at SIGTERM use it.
 */
export function startHeadless(
  env: Record<string, string>,
  options: { serve?: boolean } = {},
): HeadlessProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'turnout-headless-'));
  // Only what Node needs to run, plus the test's variables: no keys leak in from the shell.
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? cwd,
    NODE_OPTIONS: '',
    // The usage history goes to the test's own folder, never the user's.
    TURNOUT_DATA_DIR: cwd,
  };
  const [command, args] = options.serve ? [process.execPath, [SERVE]] : [TSX, [ENTRY]];
  const child = spawn(command, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? -1)),
  );
  const ready = new Promise<string>((resolveReady, reject) => {
    const check = () => {
      const match = /serving (http:\/\/\S+)/.exec(out);
      if (match) {
        child.stdout!.off('data', check);
        resolveReady(match[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`headless exited (${code}) before serving: ${err}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    ready,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
