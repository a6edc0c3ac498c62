/**
 * End to end with the real Claude Code CLI on a Responses-only model: BIG_MODEL=gpt-5.1-codex,
 * and an upstream that speaks only OpenAI's Responses API (chat completions get OpenAI's 404 for
 * codex models). The scripted model reasons and writes a file, reasons again and reads it back,
 * then answers. Every upstream request must go to /responses with store:false, and each turn must
 * carry the encrypted reasoning of the turns before it, handed back by Claude Code inside the
 * thinking blocks' signatures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responsesOnly, type FakeAnswer } from '../test/support/fakeResponses';
import { startHarness, type Harness } from '../test/support/proxyHarness';
import { claudeDirs, type ClaudeDirs, describeRun, haveClaude, runClaude } from './support/claudeCli';

const FILE_CONTENT = 'turnout responses marker 3b9e';
const FINAL_ANSWER = 'The file notes.txt holds the marker line.';
const ENC_1 = 'gAAAAABpenc-turn-one-7f3a';
const ENC_2 = 'gAAAAABpenc-turn-two-91cd';

type InputItem = { type?: string; name?: string; call_id?: string; encrypted_content?: string };

/** The scripted model: decides from the input items so far, as a real model would. */
function playModel(workDir: string) {
  return (body: { input?: InputItem[]; tools?: Array<{ type: string }>; stream?: boolean }): FakeAnswer => {
    const input = body.input ?? [];
    const hasFunctions = (body.tools ?? []).some((t) => t.type === 'function');
    const answered = (name: string) =>
      input.some(
        (o) =>
          o.type === 'function_call_output' &&
          input.some((c) => c.type === 'function_call' && c.call_id === o.call_id && c.name === name),
      );
    if (!hasFunctions) return { items: [{ type: 'message', text: 'Turnout test' }] };
    if (!answered('Write')) {
      return {
        items: [
          { type: 'reasoning', summary: ['I should write the file first.'], encrypted: ENC_1 },
          {
            type: 'function_call',
            callId: 'call_write_0001',
            name: 'Write',
            arguments: JSON.stringify({ file_path: join(workDir, 'notes.txt'), content: FILE_CONTENT }),
          },
        ],
        usage: { input: 900, cached: 0, output: 40, reasoning: 20 },
      };
    }
    if (!answered('Read')) {
      return {
        items: [
          { type: 'reasoning', summary: ['Now I check what was written.'], encrypted: ENC_2 },
          {
            type: 'function_call',
            callId: 'call_read_0002',
            name: 'Read',
            arguments: JSON.stringify({ file_path: join(workDir, 'notes.txt') }),
          },
        ],
        usage: { input: 1000, cached: 800, output: 30, reasoning: 15 },
      };
    }
    return {
      items: [{ type: 'message', text: FINAL_ANSWER }],
      usage: { input: 1100, cached: 900, output: 12 },
    };
  };
}

describe.skipIf(!haveClaude)('Claude Code CLI through Turnout on a Responses-only codex model', () => {
  let h: Harness;
  let dirs: ClaudeDirs;

  beforeAll(async () => {
    h = await startHarness({
      tweak: (s) => {
        s.providers.openai.bigModel = 'gpt-5.1-codex';
        s.providers.openai.smallModel = 'gpt-5.1-codex-mini';
      },
    });
    dirs = claudeDirs('turnout-ccr');
  });
  afterAll(async () => {
    await h.close();
    dirs.remove();
  });

  it(
    'reasons, writes a file, reasons again, reads it back and answers, with reasoning carried across turns',
    { timeout: 120_000 },
    async () => {
      h.upstream.fallback = { kind: 'custom', handle: responsesOnly(playModel(dirs.work)) };
      const run = await runClaude(dirs, {
        baseUrl: h.baseUrl,
        prompt: 'Write the marker line to notes.txt, then read notes.txt back and tell me what it holds.',
        allowedTools: 'Write,Read',
        env: { IS_SANDBOX: '1' },
      });
      const context = `${describeRun(run)}\nlog: ${JSON.stringify(h.controller.log.records().slice(-8))}`;
      expect(run.code, context).toBe(0);
      expect(readFileSync(join(dirs.work, 'notes.txt'), 'utf8')).toBe(FILE_CONTENT);
      const result = JSON.parse(run.stdout);
      expect(result.is_error, context).toBe(false);
      expect(result.result).toContain(FINAL_ANSWER);

      // Every upstream request went to the Responses API, stateless.
      const received = h.upstream.received;
      expect(received.length).toBeGreaterThanOrEqual(3);
      for (const request of received) {
        expect(request.url, JSON.stringify(request.body).slice(0, 300)).toBe('/v1/responses');
        expect(request.body.store).toBe(false);
        expect(request.body.include).toContain('reasoning.encrypted_content');
      }

      // The main turns: the first has no reasoning to carry; the second carries the first's;
      // the third carries both, each in place of its thinking block, before its call.
      const mainTurns = received.filter(
        (r) => r.body.stream && (r.body.tools ?? []).some((t: { type: string }) => t.type === 'function'),
      );
      expect(mainTurns.length, context).toBeGreaterThanOrEqual(3);
      const carried = (turn: (typeof mainTurns)[number]) =>
        (turn.body.input as InputItem[])
          .filter((i) => i.type === 'reasoning')
          .map((i) => i.encrypted_content);
      const [first, second] = mainTurns;
      const last = mainTurns.at(-1)!;
      expect(carried(first)).toEqual([]);
      expect(carried(second)).toEqual([ENC_1]);
      expect(carried(last)).toEqual([ENC_1, ENC_2]);
      const lastKinds = (last.body.input as InputItem[]).map((i) => i.type).filter((t) => t !== 'message');
      expect(lastKinds).toEqual([
        'reasoning',
        'function_call',
        'function_call_output',
        'reasoning',
        'function_call',
        'function_call_output',
      ]);

      const records = h.controller.log.records();
      for (const record of records) {
        expect(record.status, JSON.stringify(record)).toBeLessThan(400);
        expect(record.upstreamModel).toMatch(/^gpt-5\.1-codex/);
      }
      expect(records.some((r) => r.upstreamModel === 'gpt-5.1-codex')).toBe(true);
    },
  );
});
