/**
 * `npm run bench -- --peer ccr`: the peer, claude-code-router, measured in the same run against
 * the same fake upstream. It is installed from npm into a temporary folder (never into this
 * project), given a HOME of its own there (it keeps its config, pid file and logs under
 * `~/.claude-code-router`), configured with one OpenAI-compatible provider pointing at the fake
 * upstream and a default route to it, and started in the foreground with `ccr start`.
 *
 * Only on request: it needs the npm registry, and CI should not install a peer on every run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PEER_PACKAGE = '@musistudio/claude-code-router';

export interface Peer {
  name: string;
  version: string;
  child: ChildProcess;
  /** The temporary folder it was installed into (removed by `stop`). */
  dir: string;
  port: number;
  startupMs: number;
  stop(): Promise<void>;
}

function npmInstall(dir: string, spec: string): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return new Promise((resolveInstall, reject) => {
    execFile(
      npm,
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--prefix', dir, spec],
      { timeout: 300_000, maxBuffer: 10 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error
          ? reject(
              new Error(`npm install ${spec} failed: ${stderr.trim().split('\n').slice(0, 6).join('\n')}`),
            )
          : resolveInstall(),
    );
  });
}

function probe(port: number, body: string): Promise<number> {
  return new Promise((resolveProbe, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/messages',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          'x-api-key': 'bench',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolveProbe(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Installs and starts claude-code-router against `upstreamPort`. `version` is an npm version or
 * tag; 3.x depends on packages that are not on the public registry, so a failed install says so.
 */
export async function startCcr(options: {
  upstreamPort: number;
  port: number;
  version: string;
  firstRequest: string;
  log: (line: string) => void;
}): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'turnout-bench-ccr-'));
  const spec = `${PEER_PACKAGE}@${options.version}`;
  options.log(`installing ${spec} into ${dir}`);
  try {
    await npmInstall(dir, spec);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const packageDir = join(dir, 'node_modules', ...PEER_PACKAGE.split('/'));
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
    bin: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.ccr;
  const home = join(dir, 'home');
  mkdirSync(join(home, '.claude-code-router'), { recursive: true });
  writeFileSync(
    join(home, '.claude-code-router', 'config.json'),
    JSON.stringify(
      {
        PORT: options.port,
        HOST: '127.0.0.1',
        LOG: false,
        API_TIMEOUT_MS: 600_000,
        Providers: [
          {
            name: 'fake',
            api_base_url: `http://127.0.0.1:${options.upstreamPort}/v1/chat/completions`,
            api_key: 'bench-key',
            models: ['fake-big', 'fake-small'],
          },
        ],
        Router: { default: 'fake,fake-big', background: 'fake,fake-small' },
      },
      null,
      2,
    ),
  );
  const started = performance.now();
  const child = spawn(process.execPath, [join(packageDir, bin), 'start'], {
    cwd: dir,
    env: { ...process.env, HOME: home, USERPROFILE: home, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exited = false;
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 10_000) stderr += d.toString();
  });
  // Never left running after the bench, however it ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => {
    exited = true;
    process.off('exit', killOnExit);
  });
  const stop = () =>
    new Promise<void>((resolveStop) => {
      const cleanup = () => {
        rmSync(dir, { recursive: true, force: true });
        resolveStop();
      };
      if (exited) return cleanup();
      child.once('exit', cleanup);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  let startupMs = NaN;
  while (Number.isNaN(startupMs)) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${PEER_PACKAGE} exited during start-up: ${stderr}`);
    }
    if (performance.now() - started > 60_000) {
      await stop();
      throw new Error(`${PEER_PACKAGE} did not answer within 60 s: ${stderr}`);
    }
    try {
      const status = await probe(options.port, options.firstRequest);
      if (status !== 200) {
        await stop();
        throw new Error(`${PEER_PACKAGE} answered ${status} to the start-up request`);
      }
      startupMs = performance.now() - started;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    name: `claude-code-router ${manifest.version}`,
    version: manifest.version,
    child,
    dir,
    port: options.port,
    startupMs,
    stop,
  };
}
