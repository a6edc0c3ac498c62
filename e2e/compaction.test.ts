/**
 * End to end with the real Claude Code CLI: on a model whose window is smaller than the 200K
 * Claude Code assumes, context scaling makes Claude Code compact in time instead of overflowing.
 * The fake backend reports 99K input tokens on a 100K-window model: the real count leaves room
 * for nothing, and scaled to the window Claude Code assumes for its model (990K of 1M for
 * Claude Code 2.1's claude-opus-5-5, 198K of 200K for older names) it is past Claude Code's
 * auto-compact threshold, so the next turn starts with a compaction request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test/support/proxyHarness';
import { answerChat, chatChunk, usageChunk } from './support/chatWire';
import { claudeDirs, type ClaudeDirs, describeRun, haveClaude, runClaude } from './support/claudeCli';

type Body = { model: string; messages: Array<{ role: string; content?: unknown }>; stream?: boolean };

function answer(res: ServerResponse, body: Body, text: string, promptTokens: number): void {
  const usage = { prompt_tokens: promptTokens, completion_tokens: 20, total_tokens: promptTokens + 20 };
  const chunks = [chatChunk({ role: 'assistant', content: text }), chatChunk({}, 'stop'), usageChunk(usage)];
  answerChat(res, body, chunks, text, usage);
}

describe.skipIf(!haveClaude)('Claude Code compacts on a small-window model', () => {
  let h: Harness;
  let dirs: ClaudeDirs;
  const compactions: number[] = [];

  beforeAll(async () => {
    h = await startHarness({
      tweak: (s) => {
        s.contextScaling = true;
        s.providers.openai.bigModel = 'small-window';
        s.providers.openai.smallModel = 'small-window';
        s.providers.openai.modelRules = [{ match: '^small-window$', contextWindow: 100_000 }];
      },
    });
    dirs = claudeDirs('turnout-compact');
    h.upstream.fallback = {
      kind: 'custom',
      handle: (_req: IncomingMessage, res: ServerResponse, body: Body) => {
        const last = JSON.stringify(body.messages.at(-1)?.content ?? '');
        if (/summar/i.test(last) && /conversation/i.test(last)) {
          compactions.push(h.upstream.received.length);
          answer(res, body, 'Summary: the user said hello twice.', 2_000);
          return;
        }
        answer(res, body, 'Hello again.', 99_000);
      },
    };
  });
  afterAll(async () => {
    await h.close();
    dirs.remove();
  });

  const claude = (prompt: string, resume: boolean) => runClaude(dirs, { baseUrl: h.baseUrl, prompt, resume });

  it('compacts before the next turn instead of failing', { timeout: 300_000 }, async () => {
    const first = await claude('Say hello.', false);
    expect(first.code, first.stderr).toBe(0);
    const second = await claude('Say hello again.', true);
    const context = `${describeRun(second, 1500)}\nrequests: ${h.upstream.received.length}`;
    expect(second.code, context).toBe(0);
    expect(JSON.parse(second.stdout).is_error, context).toBe(false);
    expect(compactions.length, context).toBeGreaterThan(0);
  });
});
