/**
 * The real Claude Code CLI (node_modules/.bin/claude), interactive in a pseudo-terminal, offline
 * (CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1, a fresh HOME), configured the way Settings writes
 * it: `env.ANTHROPIC_BASE_URL` pointing at Turnout and `statusLine` running `turnout statusline`.
 * Claude Code must show our line, built from the proxy's /api/status, under its prompt
 * (https://docs.claude.com/en/docs/claude-code/statusline).
 *
 * The pseudo-terminal comes from util-linux `script`; without it (or without the CLI) the test
 * is skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageStore } from '../src/main/usage/usageStore';
import { completion } from '../test/support/fakeUpstream';
import { postJson, startHarness, type Harness } from '../test/support/proxyHarness';
import { CLAUDE, claudeEnv, haveClaude } from './support/claudeCli';

const ROOT = join(import.meta.dirname, '..');
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux');
const runnable = haveClaude && haveScript;

let h: Harness | null = null;
let claude: ChildProcess | null = null;
let dir: string | null = null;

afterAll(async () => {
  claude?.kill('SIGKILL');
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Terminal output with escape sequences removed. */
const plain = (text: string) => stripVTControlCharacters(text);

describe.skipIf(!runnable)('Claude Code shows Turnout’s status line', () => {
  it('runs `turnout statusline` and shows the provider, model, today’s cost and the last latency', async () => {
    dir = mkdtempSync(join(tmpdir(), 'turnout-statusline-'));
    h = await startHarness({ usageStore: UsageStore.open(join(dir, 'usage.sqlite')) });
    // One earlier request today: 2,000 in and 300 out on gpt-5.1 = $0.0055 at $1.25/$10 per million.
    h.upstream.enqueue({
      kind: 'json',
      body: completion('hi', { usage: { prompt_tokens: 2000, completion_tokens: 300, total_tokens: 2300 } }),
    });
    await (
      await postJson(h.baseUrl, '/v1/messages', {
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      })
    ).text();

    const home = join(dir, 'home');
    const work = join(dir, 'project');
    mkdirSync(join(home, '.claude'), { recursive: true });
    mkdirSync(work);
    const apiKey = 'sk-ant-api03-local-proxy-key-0000';
    writeFileSync(
      join(home, '.claude', 'settings.json'),
      JSON.stringify({
        env: { ANTHROPIC_BASE_URL: h.baseUrl, ANTHROPIC_API_KEY: apiKey },
        statusLine: {
          type: 'command',
          command: `"${process.execPath}" "${join(ROOT, 'bin', 'turnout.mjs')}" statusline`,
          padding: 0,
        },
      }),
    );
    // A first run's onboarding, key approval and folder trust, already answered.
    writeFileSync(
      join(home, '.claude', '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        theme: 'dark',
        customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
        projects: { [work]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
      }),
    );
    claude = spawn('script', ['-qfec', CLAUDE, '/dev/null'], {
      cwd: work,
      env: claudeEnv(home, { TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    claude.stdout!.on('data', (d: Buffer) => (screen += d.toString('utf8')));
    await expect
      .poll(() => plain(screen), { timeout: 45_000, interval: 250 })
      .toMatch(/⇄ openai · gpt-5\.1 · today \$0\.0055 · 2\.3k tok · last \d+ms/);
  }, 60_000);
});
