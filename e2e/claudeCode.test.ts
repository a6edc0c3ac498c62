/**
 * End to end with the real Claude Code CLI (npm @anthropic-ai/claude-code, a native binary) as
 * the client: it runs headless (-p) with a fresh HOME against Turnout, which translates to a
 * fake OpenAI-compatible upstream that plays the model. The scripted model writes a file with
 * Write, reads it back with Read, then answers; the test checks the file and the final answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test/support/proxyHarness';
import { answerChat, chatChunk, usageChunk } from './support/chatWire';
import { claudeDirs, type ClaudeDirs, describeRun, haveClaude, runClaude } from './support/claudeCli';

const FILE_CONTENT = 'turnout end-to-end marker 7c1f';
const SECOND_CONTENT = 'written in parallel';
const FINAL_ANSWER = 'The file hello.txt contains the marker line.';

type OpenAiMessage = {
  role: string;
  content?: unknown;
  tool_calls?: Array<{ id: string; function: { name: string } }>;
};

const usage = usageChunk({ prompt_tokens: 100, completion_tokens: 10 });

function toolCall(id: string, name: string, args: unknown): unknown[] {
  const json = JSON.stringify(args);
  // Arguments arrive in fragments, as real backends send them.
  const cut = Math.floor(json.length / 2);
  return [
    chatChunk({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: json.slice(0, cut) } }],
    }),
    chatChunk({ tool_calls: [{ index: 0, function: { arguments: json.slice(cut) } }] }),
    chatChunk({}, 'tool_calls'),
    usage,
  ];
}

/**
 * Reasoning text first, then two tool calls whose argument fragments interleave (index 0, 1, 0,
 * 1), the way parallel calls stream from OpenAI-style backends.
 */
function thinkThenParallelCalls(reasoning: string, calls: Array<[string, string, unknown]>): unknown[] {
  const halves = calls.map(([, , args]) => {
    const json = JSON.stringify(args);
    return [json.slice(0, 12), json.slice(12)];
  });
  return [
    chatChunk({ role: 'assistant', reasoning_content: reasoning }),
    ...calls.map(([id, name], index) =>
      chatChunk({
        tool_calls: [{ index, id, type: 'function', function: { name, arguments: halves[index][0] } }],
      }),
    ),
    ...calls.map((_, index) =>
      chatChunk({ tool_calls: [{ index, function: { arguments: halves[index][1] } }] }),
    ),
    chatChunk({}, 'tool_calls'),
    usage,
  ];
}

function text(answer: string): unknown[] {
  return [
    chatChunk({ role: 'assistant', content: answer.slice(0, 10) }),
    chatChunk({ content: answer.slice(10) }),
    chatChunk({}, 'stop'),
    usage,
  ];
}

/** The scripted model: decides from the conversation so far, as a real model would. */
function playModel(workDir: string) {
  return (
    _req: IncomingMessage,
    res: ServerResponse,
    body: { messages: OpenAiMessage[]; tools?: unknown[]; stream?: boolean },
  ) => {
    const messages = body.messages ?? [];
    const last = messages.at(-1);
    const hasTools = (body.tools ?? []).length > 0;
    const calledTool = (name: string) =>
      messages.some(
        (m) =>
          m.role === 'tool' &&
          messages.some((a) =>
            a.tool_calls?.some(
              (c) => c.id === (m as { tool_call_id?: string }).tool_call_id && c.function.name === name,
            ),
          ),
      );
    let chunks: unknown[];
    if (!hasTools || !body.stream) {
      // Claude Code's side requests (titles, topic checks) get a short plain answer.
      chunks = text('Turnout test');
    } else if (last?.role === 'user' && !calledTool('Write')) {
      chunks = thinkThenParallelCalls('I will write both files at once.', [
        ['call_write_1', 'Write', { file_path: join(workDir, 'hello.txt'), content: FILE_CONTENT }],
        ['call_write_2', 'Write', { file_path: join(workDir, 'second.txt'), content: SECOND_CONTENT }],
      ]);
    } else if (calledTool('Write') && !calledTool('Read')) {
      chunks = toolCall('call_read_1', 'Read', { file_path: join(workDir, 'hello.txt') });
    } else {
      chunks = text(FINAL_ANSWER);
    }
    answerChat(res, body, chunks, 'Turnout test');
  };
}

describe.skipIf(!haveClaude)('Claude Code CLI through Turnout', () => {
  let h: Harness;
  let dirs: ClaudeDirs;

  beforeAll(async () => {
    h = await startHarness();
    dirs = claudeDirs('turnout-cc');
  });
  afterAll(async () => {
    await h.close();
    dirs.remove();
  });

  it(
    'thinks, writes two files with parallel Writes, reads one back with Read and answers',
    { timeout: 120_000 },
    async () => {
      const handler = playModel(dirs.work);
      h.upstream.fallback = { kind: 'custom', handle: handler };
      const run = await runClaude(dirs, {
        baseUrl: h.baseUrl,
        prompt:
          'Create hello.txt with the marker line and second.txt, then read hello.txt back and tell me what it says.',
        allowedTools: 'Write,Read',
      });
      const context = `${describeRun(run)}\nlog: ${JSON.stringify(h.controller.log.records().slice(-8))}`;
      expect(run.code, context).toBe(0);
      expect(readFileSync(join(dirs.work, 'hello.txt'), 'utf8')).toBe(FILE_CONTENT);
      expect(readFileSync(join(dirs.work, 'second.txt'), 'utf8')).toBe(SECOND_CONTENT);
      const result = JSON.parse(run.stdout);
      expect(result.is_error, context).toBe(false);
      expect(result.result).toContain(FINAL_ANSWER);

      // What Claude Code sent went through the real translation: streamed, with its tool set,
      // and the tool results came back paired with their calls.
      const mainTurns = h.upstream.received.filter((r) => r.body?.stream && (r.body.tools ?? []).length > 0);
      expect(mainTurns.length).toBeGreaterThanOrEqual(3);
      const lastTurn = mainTurns.at(-1)!.body.messages as Array<{
        role: string;
        tool_call_id?: string;
        content?: string;
      }>;
      const toolMessages = lastTurn.filter((m) => m.role === 'tool');
      expect(toolMessages.map((m) => m.tool_call_id)).toEqual([
        'call_write_1',
        'call_write_2',
        'call_read_1',
      ]);
      expect(toolMessages[2].content).toContain(FILE_CONTENT);
      const records = h.controller.log.records();
      for (const record of records) {
        expect(record.status, JSON.stringify(record)).toBeLessThan(400);
        // Claude Code's own default model name lands on the configured big model.
        expect(record.clientModel).toMatch(/^claude-/);
        expect(record.upstreamModel).toBe('gpt-5.1');
      }
      // Claude Code kept the thinking block it was streamed and sent it back in its history
      // (where the OpenAI translation drops it, and the log says so).
      expect(
        records.some((r) => r.notes?.some((n) => /thinking/.test(n))),
        JSON.stringify(records),
      ).toBe(true);
    },
  );
});
