/**
 * `npm run serve` as users run it: a separate process configured by `.env` in its working
 * directory and by the environment (which wins), printing its URL and export line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completion, startFakeUpstream, type FakeUpstream } from './support/fakeUpstream';

const ENTRY = join(import.meta.dirname, '..', 'src', 'main', 'headless.ts');
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
const KEY = 'sk-headless-test-key-abcdefghijklmnop';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the headless proxy');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function serve(cwd: string, env: Record<string, string>): Running {
  const child = spawn(TSX, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH!, TURNOUT_DATA_DIR: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
}

describe('headless mode', () => {
  let upstream: FakeUpstream;
  let dir: string;
  let running: Running;
  let baseUrl: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    dir = mkdtempSync(join(tmpdir(), 'turnout-headless-'));
    writeFileSync(
      join(dir, '.env'),
      [`OPENAI_API_KEY=${KEY}`, `OPENAI_BASE_URL=${upstream.url}`, 'BIG_MODEL=from-dotenv', 'PORT=0'].join(
        '\n',
      ),
    );
    // The environment wins over .env.
    running = serve(dir, { BIG_MODEL: 'from-environment' });
    await waitFor(() => /serving http:\/\/127\.0\.0\.1:\d+/.test(running.output()), 20_000);
    baseUrl = /serving (http:\/\/[^\s]+)/.exec(running.output())![1];
  });

  afterAll(async () => {
    running?.child.kill('SIGTERM');
    await running?.exited;
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URL and the export line', () => {
    expect(running.output()).toContain(`export ANTHROPIC_BASE_URL=${baseUrl}`);
  });

  it('serves requests with the .env key, the environment winning over .env, and logs one line each', async () => {
    upstream.enqueue({ kind: 'json', body: completion('hi') });
    const res = await fetch(`${baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'private words' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(upstream.received.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(upstream.received.at(-1)!.body.model).toBe('from-environment');
    await expect
      .poll(() => running.output(), { timeout: 5000 })
      .toMatch(/claude-sonnet-4-5 → openai\/from-environment json 200/);
    expect(running.output()).not.toContain(KEY);
    expect(running.output()).not.toContain('private words');
  });

  it('exits non-zero with one clear line when the port is taken', async () => {
    const port = new URL(baseUrl).port;
    const second = serve(dir, { PORT: port });
    expect(await second.exited).toBe(1);
    expect(second.output().trim()).toBe(
      `turnout: Port ${port} is already in use (127.0.0.1:${port}); choose another port.`,
    );
  });
});
