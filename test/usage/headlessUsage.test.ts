/**
 * Usage history in headless mode as users run it (`scripts/serve.mjs`, what `npm run serve`
 * runs: a separate process configured by the environment), and the `turnout statusline` command Claude Code runs, against that proxy
 * running and stopped.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completion, startFakeUpstream, type FakeUpstream } from '../support/fakeUpstream';
import { startHeadless, type HeadlessProcess } from '../support/headlessProcess';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/turnout.mjs');
const KEY = 'sk-usage-headless-0123456789abcdef';

/** Claude Code's status-line input (https://docs.claude.com/en/docs/claude-code/statusline). */
const CLAUDE_STATUS_JSON = JSON.stringify({
  hook_event_name: 'Status',
  session_id: 'abc123',
  model: { id: 'claude-sonnet-4-5-20250929', display_name: 'Sonnet 4.5' },
  workspace: { current_dir: '/home/user/project', project_dir: '/home/user/project' },
  cost: { total_cost_usd: 0.01 },
});

function statusLine(env: Record<string, string>): Promise<{ out: string; ms: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [BIN, 'statusline'],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 },
      (error, stdout) => (error ? fail(error) : done({ out: stdout, ms: performance.now() - started })),
    );
    child.stdin!.end(CLAUDE_STATUS_JSON);
  });
}

async function usage(baseUrl: string): Promise<any> {
  const response = await fetch(`${baseUrl}/api/usage?groupBy=model`);
  return { status: response.status, body: await response.json() };
}

const ask = (baseUrl: string) =>
  fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  }).then((r) => r.text());

describe('usage history in headless mode', () => {
  let upstream: FakeUpstream;
  let dataDir: string;
  let proxy: HeadlessProcess | null = null;
  const env = () => ({
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: upstream.url,
    PORT: '0',
    TURNOUT_DATA_DIR: dataDir,
  });

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    upstream.fallback = {
      kind: 'json',
      body: completion('hi', { usage: { prompt_tokens: 2000, completion_tokens: 300, total_tokens: 2300 } }),
    };
    dataDir = mkdtempSync(join(tmpdir(), 'turnout-usage-data-'));
  });

  afterAll(async () => {
    await proxy?.stop();
    await upstream.close();
  });

  it('records requests in TURNOUT_DATA_DIR, keeps the totals across a restart, and feeds the status line', async () => {
    proxy = startHeadless(env(), { serve: true });
    let baseUrl = await proxy.ready;
    for (let i = 0; i < 3; i++) await ask(baseUrl);
    const before = await usage(baseUrl);
    expect(before.body.totals).toMatchObject({ requests: 3, inputTokens: 6000, outputTokens: 900 });
    // gpt-5.1: $1.25 in, $10 out per million.
    expect(before.body.totals.costUsd).toBeCloseTo(3 * (2000 * 1.25e-6 + 300 * 10e-6), 10);
    expect(readdirSync(dataDir)).toContain('usage.sqlite');

    const line = await statusLine({ TURNOUT_URL: baseUrl });
    expect(line.out).toMatch(/^⇄ openai · gpt-5\.1 · today \$0\.02 · 6\.9k tok · last \d+(ms|\.\ds)\n$/);

    // The same line through ANTHROPIC_BASE_URL, which Claude Code's own environment carries.
    expect((await statusLine({ ANTHROPIC_BASE_URL: baseUrl })).out).toBe(line.out);

    // One more request right before quitting: the last batch is written on the way out.
    await ask(baseUrl);
    expect(await proxy.stop()).toBe(0);
    proxy = startHeadless(env(), { serve: true });
    baseUrl = await proxy.ready;
    const after = await usage(baseUrl);
    expect(after.body.totals).toEqual({
      ...before.body.totals,
      requests: 4,
      inputTokens: 8000,
      outputTokens: 1200,
      costUsd: expect.closeTo(4 * (2000 * 1.25e-6 + 300 * 10e-6), 10),
    });
    expect(after.body.rows).toEqual([expect.objectContaining({ model: 'gpt-5.1', requests: 4 })]);

    expect(await proxy.stop()).toBe(0);
    proxy = null;
    const down = await statusLine({ TURNOUT_URL: baseUrl });
    expect(down.out).toBe(`⇄ Turnout proxy not running at ${baseUrl}\n`);
    // Claude Code waits for the command: a stopped proxy must not hold it up.
    expect(down.ms).toBeLessThan(3000);
  });

  it('keeps no history with TURNOUT_USAGE=off', async () => {
    const off = mkdtempSync(join(tmpdir(), 'turnout-usage-off-'));
    proxy = startHeadless({ ...env(), TURNOUT_DATA_DIR: off, TURNOUT_USAGE: 'off' }, { serve: true });
    const baseUrl = await proxy.ready;
    await ask(baseUrl);
    const result = await usage(baseUrl);
    expect(result.status).toBe(404);
    expect(result.body.error.message).toMatch(/TURNOUT_USAGE=off/);
    const status = await (await fetch(`${baseUrl}/api/status`)).json();
    expect(status).toMatchObject({ usageEnabled: false, today: null });
    expect((await statusLine({ TURNOUT_URL: baseUrl })).out).toMatch(/^⇄ openai · usage off\n$/);
    expect(existsSync(join(off, 'usage.sqlite'))).toBe(false);
    await proxy.stop();
    proxy = null;
  });
});
