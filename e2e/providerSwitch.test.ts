/**
 * End to end: one Claude Code session (the real CLI, `-p` then `--continue`) that starts on
 * OpenAI, switches to a thinking Kimi model, then DeepSeek, then Mistral, and back to OpenAI,
 * and keeps working at every turn. One fake upstream plays every backend, picked by model name,
 * and enforces each provider's documented request rules, answering 400 as the provider would:
 * - OpenAI (gpt-5.1): no `max_tokens` (max_completion_tokens only), tool-call ids of at most 40
 *   characters (https://platform.openai.com/docs/api-reference/chat/create);
 * - Kimi thinking models: every assistant tool call keeps `reasoning_content`
 *   (https://platform.moonshot.ai/docs/guide/use-kimi-k2-thinking-model); Kimi issues
 *   `functions.<name>:<n>` ids;
 * - DeepSeek V4 thinking mode: the same reasoning_content rule
 *   (https://api-docs.deepseek.com/guides/thinking_mode), max_tokens at most 384000;
 * - Mistral: tool-call ids of exactly nine alphanumerics (code 3280) and no `user` message right
 *   after `tool` messages (code 3230) (https://docs.mistral.ai/capabilities/function_calling/);
 * - all: every `tool` message answers a tool call of the assistant message before it.
 * Each backend issues tool-call ids in its own format, so every switch hands the next backend a
 * history full of foreign ids and (from Kimi and DeepSeek) thinking blocks.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test/support/proxyHarness';
import { answerChat, chatChunk, usageChunk } from './support/chatWire';
import { claudeDirs, type ClaudeDirs, describeRun, haveClaude, runClaude } from './support/claudeCli';

type Msg = {
  role: string;
  content?: unknown;
  reasoning_content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
};
type Body = { model: string; messages: Msg[]; tools?: unknown[]; stream?: boolean; max_tokens?: number };

interface Backend {
  name: string;
  thinking: boolean;
  issueId: (name: string, history: Msg[]) => string;
  rules: (body: Body) => string | null;
}

const alnum = (n: number) =>
  Array.from(
    randomBytes(n),
    (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62],
  ).join('');

function pairedToolMessages(body: Body): string | null {
  for (const [i, m] of body.messages.entries()) {
    if (m.role !== 'tool') continue;
    let j = i - 1;
    while (j >= 0 && body.messages[j].role === 'tool') j--;
    const calls = body.messages[j]?.tool_calls ?? [];
    if (!calls.some((c) => c.id === m.tool_call_id)) {
      return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (messages[${i}])`;
    }
  }
  return null;
}

function reasoningKept(body: Body): string | null {
  const bad = body.messages.findIndex(
    (m) => m.role === 'assistant' && m.tool_calls && typeof m.reasoning_content !== 'string',
  );
  return bad === -1
    ? null
    : `The reasoning_content in the thinking mode must be passed back to the API (messages[${bad}])`;
}

const BACKENDS: Record<string, Backend> = {
  'gpt-5.1': {
    name: 'OpenAI',
    thinking: false,
    issueId: () => `call_${alnum(24)}`,
    rules: (body) => {
      if (body.max_tokens !== undefined) {
        return "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
      }
      for (const m of body.messages)
        for (const c of m.tool_calls ?? [])
          if (c.id.length > 40)
            return `Invalid 'tool_calls[0].id': string too long. Expected a string with maximum length 40, but got a string with length ${c.id.length} instead.`;
      return null;
    },
  },
  'kimi-k2-thinking': {
    name: 'Kimi',
    thinking: true,
    issueId: (name, history) => `functions.${name}:${history.flatMap((m) => m.tool_calls ?? []).length}`,
    rules: reasoningKept,
  },
  'deepseek-v4-pro': {
    name: 'DeepSeek',
    thinking: true,
    issueId: () => `call_00_${alnum(24)}`,
    rules: (body) =>
      (body.max_tokens ?? 0) > 384_000
        ? 'Invalid max_tokens value, the valid range of max_tokens is [1, 384000]'
        : reasoningKept(body),
  },
  'devstral-medium-latest': {
    name: 'Mistral',
    thinking: false,
    issueId: () => alnum(9),
    rules: (body) => {
      for (const [i, m] of body.messages.entries()) {
        for (const c of m.tool_calls ?? [])
          if (!/^[A-Za-z0-9]{9}$/.test(c.id))
            return `Tool call id was ${c.id} but must be a-z, A-Z, 0-9, with a length of 9.`;
        if (m.role === 'tool' && !/^[A-Za-z0-9]{9}$/.test(m.tool_call_id ?? ''))
          return `Tool call id was ${m.tool_call_id} but must be a-z, A-Z, 0-9, with a length of 9.`;
        if (m.role === 'user' && body.messages[i - 1]?.role === 'tool')
          return "Unexpected role 'user' after role 'tool'";
      }
      return null;
    },
  },
};

const usage = usageChunk({ prompt_tokens: 900, completion_tokens: 20 });

/** Every backend at once: the rules of the one the model name names, then a scripted turn. */
function playBackends(workDir: string, violations: string[]) {
  return (_req: IncomingMessage, res: ServerResponse, body: Body) => {
    const backend = BACKENDS[body.model];
    const violation = backend
      ? (backend.rules(body) ?? pairedToolMessages(body))
      : `unknown model ${body.model}`;
    if (violation) {
      violations.push(`${backend?.name ?? body.model}: ${violation}`);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: violation, type: 'invalid_request_error' } }));
      return;
    }
    const messages = body.messages;
    const last = messages.at(-1);
    if (!(body.tools ?? []).length || !body.stream) {
      answerChat(
        res,
        body,
        [chatChunk({ role: 'assistant', content: 'Turnout test' }), chatChunk({}, 'stop'), usage],
        'Turnout test',
      );
      return;
    }
    const step = /step (\d)/i.exec(
      JSON.stringify(messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''),
    )?.[1];
    if (last?.role === 'user' && step) {
      // A tool call in this backend's own id format, with reasoning first on thinking models.
      const id = backend.issueId('Write', messages);
      const args = JSON.stringify({
        file_path: join(workDir, `step${step}.txt`),
        content: `written by ${backend.name}`,
      });
      answerChat(
        res,
        body,
        [
          ...(backend.thinking
            ? [chatChunk({ role: 'assistant', reasoning_content: `Step ${step}: I will write the file.` })]
            : []),
          chatChunk({
            role: 'assistant',
            content: null,
            tool_calls: [
              { index: 0, id, type: 'function', function: { name: 'Write', arguments: args.slice(0, 20) } },
            ],
          }),
          chatChunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(20) } }] }),
          chatChunk({}, 'tool_calls'),
          usage,
        ],
        '',
      );
      return;
    }
    const answer = `${backend.name} finished step ${step ?? '?'}.`;
    answerChat(
      res,
      body,
      [chatChunk({ role: 'assistant', content: answer }), chatChunk({}, 'stop'), usage],
      answer,
    );
  };
}

describe.skipIf(!haveClaude)('one Claude Code session across five backends', () => {
  let h: Harness;
  let dirs: ClaudeDirs;
  const violations: string[] = [];

  beforeAll(async () => {
    h = await startHarness({
      keys: {
        openai: 'sk-test-openai-0123456789',
        moonshot: 'sk-test-moonshot-0123456789',
        deepseek: 'sk-test-deepseek-0123456789',
        mistral: 'test-mistral-0123456789',
      },
      tweak: (s) => {
        for (const [id, model] of [
          ['openai', 'gpt-5.1'],
          ['moonshot', 'kimi-k2-thinking'],
          ['deepseek', 'deepseek-v4-pro'],
          ['mistral', 'devstral-medium-latest'],
        ]) {
          s.providers[id].bigModel = model;
          s.providers[id].smallModel = model;
          s.providers[id].opusModel = model;
        }
      },
    });
    dirs = claudeDirs('turnout-switch');
    h.upstream.fallback = { kind: 'custom', handle: playBackends(dirs.work, violations) };
  });
  afterAll(async () => {
    await h.close();
    dirs.remove();
  });

  it(
    'keeps working at every turn: OpenAI → Kimi (thinking) → DeepSeek → Mistral → OpenAI',
    { timeout: 600_000 },
    async () => {
      const plan: Array<[string, string]> = [
        ['openai', 'OpenAI'],
        ['moonshot', 'Kimi'],
        ['deepseek', 'DeepSeek'],
        ['mistral', 'Mistral'],
        ['openai', 'OpenAI'],
      ];
      for (const [index, [provider, name]] of plan.entries()) {
        const step = index + 1;
        h.controller.setActiveProvider(provider);
        const run = await runClaude(dirs, {
          baseUrl: h.baseUrl,
          prompt: `Step ${step}: write step${step}.txt.`,
          resume: index > 0,
          allowedTools: 'Write',
        });
        const context = `step ${step} on ${name}: ${describeRun(run, 1500)}\nviolations: ${violations.join('\n')}`;
        expect(run.code, context).toBe(0);
        const result = JSON.parse(run.stdout);
        expect(result.is_error, context).toBe(false);
        expect(result.result, context).toContain(`${name} finished step ${step}.`);
        expect(readFileSync(join(dirs.work, `step${step}.txt`), 'utf8')).toBe(`written by ${name}`);
      }
      expect(violations).toEqual([]);

      // Each backend got back the ids it issued, and valid ids of its own form for the others'.
      const lastOf = (model: string) =>
        h.upstream.received
          .filter((r) => r.body?.model === model && r.body.stream && r.body.tools?.length)
          .at(-1)!.body as Body;
      const kimiIds = lastOf('kimi-k2-thinking').messages.flatMap((m) =>
        (m.tool_calls ?? []).map((c) => c.id),
      );
      expect(kimiIds.every((id) => /^functions\.Write:\d+$/.test(id))).toBe(true);
      const mistralIds = lastOf('devstral-medium-latest').messages.flatMap((m) =>
        (m.tool_calls ?? []).map((c) => c.id),
      );
      expect(mistralIds.length).toBeGreaterThanOrEqual(4);
      expect(mistralIds.every((id) => /^[A-Za-z0-9]{9}$/.test(id))).toBe(true);
      // DeepSeek saw the Kimi turn's tool call with its reasoning, and the OpenAI turns' with "".
      const deepseek = lastOf('deepseek-v4-pro').messages.filter((m) => m.tool_calls);
      expect(deepseek.map((m) => m.reasoning_content)).toContain('Step 2: I will write the file.');
      expect(deepseek.map((m) => m.reasoning_content)).toContain('');
      for (const record of h.controller.log.records())
        expect(record.status, JSON.stringify(record)).toBeLessThan(400);
    },
  );
});
