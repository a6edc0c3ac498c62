/**
 * Property-based fuzzing over real HTTP with fast-check.
 * - Inbound: any JSON body (arbitrary, or an almost-valid Messages request with mutated fields)
 *   gets a 200 or a 4xx in Anthropic's error shape — never a 5xx of our own making.
 * - Outbound: any sequence of upstream chunks (deltas, tool-call fragments with random indexes
 *   and ids, reasoning, usage, finish reasons, garbage) yields a grammatical Anthropic stream
 *   that the official SDK accepts, or an error (`event: error`, or a status before the first byte).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { completion, textChunks } from '../support/fakeUpstream';
import { startHarness, type Harness } from '../support/proxyHarness';
import { checkGrammar, parseEvents, sdkVerdict } from '../support/anthropicStream';

const RUNS = 150;

const unhandled = vi.fn();
process.on('unhandledRejection', unhandled);
process.on('uncaughtException', unhandled);

let h: Harness;
const stderrWrites: string[] = [];
let restoreStderr: () => void;

beforeAll(async () => {
  h = await startHarness();
  // Streamed requests get a stream, others a completion, whatever the test queued before.
  h.upstream.fallback = {
    kind: 'custom',
    handle: (_req: IncomingMessage, res: ServerResponse, body: any) => {
      if (body?.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const c of textChunks(['fuzz ', 'ok'])) res.write(`data: ${JSON.stringify(c)}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(completion('fuzz ok')));
      }
    },
  };
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    stderrWrites.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  restoreStderr = () => (process.stderr.write = write);
});
afterAll(async () => {
  restoreStderr();
  process.off('unhandledRejection', unhandled);
  process.off('uncaughtException', unhandled);
  await h.close();
});

async function postRaw(text: string): Promise<Response> {
  return fetch(`${h.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: text,
  });
}

/** 200 (a message, or a complete stream) or a 4xx in Anthropic's error shape. */
async function expectAcceptableAnswer(res: Response, label: string): Promise<void> {
  const text = await res.text();
  const context = `${label}\n→ ${res.status} ${text.slice(0, 400)}`;
  expect(res.status < 500, context).toBe(true);
  if (res.status === 200) {
    if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
      expect(checkGrammar(parseEvents(text)).outcome, context).toBe('complete');
    } else {
      expect(JSON.parse(text).type, context).toBe('message');
    }
    return;
  }
  const body = JSON.parse(text);
  expect(body.type, context).toBe('error');
  expect(typeof body.error?.type, context).toBe('string');
  expect(typeof body.error?.message, context).toBe('string');
  expect(body.error.message, context).not.toMatch(/\n\s+at /);
}

// ---- inbound: request bodies ---------------------------------------------------------------

const textBlock = fc.record({ type: fc.constant('text'), text: fc.string() });
const block = fc.oneof(
  textBlock,
  fc.record({
    type: fc.constant('image'),
    source: fc.record({
      type: fc.constant('base64'),
      media_type: fc.constant('image/png'),
      data: fc.base64String(),
    }),
  }),
  fc.record({ type: fc.constant('tool_use'), id: fc.string(), name: fc.string(), input: fc.jsonValue() }),
  fc.record({
    type: fc.constant('tool_result'),
    tool_use_id: fc.string(),
    content: fc.oneof(fc.string(), fc.array(textBlock, { maxLength: 2 })),
    is_error: fc.boolean(),
  }),
  fc.record({ type: fc.constant('thinking'), thinking: fc.string(), signature: fc.string() }),
  fc.record({ type: fc.constant('redacted_thinking'), data: fc.string() }),
  fc.record({ type: fc.string(), extra: fc.jsonValue() }),
);
const message = fc.record({
  role: fc.constantFrom('user', 'assistant', 'system'),
  content: fc.oneof(fc.string(), fc.array(block, { maxLength: 4 })),
});
const tool = fc.oneof(
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 80 }),
    description: fc.string(),
    input_schema: fc.jsonValue(),
  }),
  fc.record({ type: fc.constant('web_search_20250305'), name: fc.constant('web_search') }),
);
const validish = fc.record(
  {
    model: fc.oneof(
      fc.constantFrom('claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', 'groq/x'),
      fc.string(),
    ),
    max_tokens: fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.jsonValue()),
    messages: fc.array(message, { minLength: 1, maxLength: 4 }),
    system: fc.oneof(fc.string(), fc.array(textBlock, { maxLength: 2 })),
    tools: fc.array(tool, { maxLength: 3 }),
    tool_choice: fc.oneof(
      fc.record({ type: fc.constantFrom('auto', 'any', 'none') }),
      fc.record({ type: fc.constant('tool'), name: fc.string() }),
      fc.jsonValue(),
    ),
    stream: fc.boolean(),
    temperature: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.jsonValue()),
    stop_sequences: fc.array(fc.string(), { maxLength: 3 }),
    thinking: fc.oneof(
      fc.record({ type: fc.constant('enabled'), budget_tokens: fc.integer({ min: 1024, max: 64_000 }) }),
      fc.record({ type: fc.constantFrom('disabled', 'adaptive') }),
    ),
    metadata: fc.record({ user_id: fc.string() }),
  },
  { requiredKeys: ['model', 'max_tokens', 'messages'] },
);

/** A valid-looking request with one to three fields replaced, deleted or added at random. */
const almostValid = fc
  .tuple(
    validish,
    fc.array(
      fc.record({
        field: fc.constantFrom(
          'model',
          'max_tokens',
          'messages',
          'system',
          'tools',
          'stream',
          'tool_choice',
          'x_unknown',
        ),
        value: fc.option(fc.jsonValue(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([request, mutations]) => {
    const out: Record<string, unknown> = { ...request };
    for (const { field, value } of mutations) {
      if (value === undefined) delete out[field];
      else out[field] = value;
    }
    return out;
  });

describe('any JSON body gets a 200 or an Anthropic 4xx', () => {
  it('arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const text = JSON.stringify(value) ?? 'null';
        await expectAcceptableAnswer(await postRaw(text), text);
      }),
      { numRuns: RUNS },
    );
  });

  it('requests that are valid or almost valid (fields mutated, deleted, added)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(validish, almostValid), async (request) => {
        const text = JSON.stringify(request);
        await expectAcceptableAnswer(await postRaw(text), text);
      }),
      { numRuns: RUNS },
    );
  });

  it('logged no unexpected error and no unhandled rejection', () => {
    expect(stderrWrites.filter((w) => w.includes('unexpected error'))).toEqual([]);
    expect(unhandled).not.toHaveBeenCalled();
  });
});

// ---- outbound: upstream chunk sequences ------------------------------------------------------

const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm' };
const finishReason = fc.oneof(
  fc.constantFrom(null, 'stop', 'length', 'tool_calls', 'content_filter', 'function_call'),
  fc.string({ maxLength: 8 }),
);
const toolFragment = fc.record(
  {
    index: fc.integer({ min: 0, max: 3 }),
    id: fc.constantFrom('call_a', 'call_b', 'call_c', ''),
    type: fc.constant('function'),
    function: fc.record(
      {
        name: fc.constantFrom('Read', 'Bash', 'mcp__server__tool', ''),
        arguments: fc.oneof(
          fc.constantFrom('{"path":', '"/x"}', '{}', '', '{"a":1}'),
          fc.string({ maxLength: 6 }),
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['index'] },
);
const delta = fc.record(
  {
    role: fc.constant('assistant'),
    content: fc.oneof(fc.string({ maxLength: 12 }), fc.constant(null)),
    reasoning_content: fc.string({ maxLength: 12 }),
    tool_calls: fc.array(toolFragment, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const usage = fc.record({
  prompt_tokens: fc.nat(5000),
  completion_tokens: fc.nat(5000),
  prompt_tokens_details: fc.record({ cached_tokens: fc.nat(100) }),
});
const upstreamItem = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ delta, finish_reason: finishReason })
      .map((c) => ({ ...base, choices: [{ index: 0, ...c }] })),
  },
  { weight: 1, arbitrary: usage.map((u) => ({ ...base, choices: [], usage: u })) },
  { weight: 1, arbitrary: fc.jsonValue() },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ raw: 'data: {broken' }, { raw: ': comment' }, { raw: 'event: x\ndata: {}' }),
  },
);

const chunkRequest = JSON.stringify({
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  stream: true,
  messages: [{ role: 'user', content: 'go' }],
});

const parses = (json: string) => {
  try {
    JSON.parse(json === '' ? '{}' : json);
    return true;
  } catch {
    return false;
  }
};

/**
 * Sends the chunks, then judges: a status error in Anthropic shape, or a grammatical stream the
 * SDK accepts (a complete message, or the APIError of an `event: error`), whose tool inputs are
 * valid JSON unless the token limit cut them.
 */
async function judgeChunks(items: unknown[], done: boolean): Promise<void> {
  h.upstream.enqueue({ kind: 'sse', events: items, done });
  const res = await postRaw(chunkRequest);
  const text = await res.text();
  const context = `${JSON.stringify(items)}\n→ ${res.status} ${text.slice(0, 1500)}`;
  if (res.status !== 200) {
    expect(JSON.parse(text).type, context).toBe('error');
    return;
  }
  const verdict = checkGrammar(parseEvents(text), { toolJson: 'skip' });
  const brokenJson = verdict.tools.some((t) => !parses(t.input as string));
  // Arguments cut by the token limit are incomplete by nature (as on Anthropic's own API): they
  // must end as max_tokens, and the SDK's partial-JSON parser must still accept them.
  const truncated = verdict.stopReason === 'max_tokens';
  if (brokenJson && !truncated) throw new Error(`tool input is not valid JSON\n${context}`);
  let sdk: Awaited<ReturnType<typeof sdkVerdict>>;
  try {
    sdk = await sdkVerdict(text);
  } catch (error) {
    throw new Error(`the SDK rejected the stream: ${(error as Error).message}\n${context}`, { cause: error });
  }
  if (verdict.outcome === 'complete') expect(sdk.message, context).toBeDefined();
  else expect(sdk.apiError, context).toBeDefined();
}

describe('any upstream chunk sequence yields a valid Anthropic answer or an error', () => {
  it('streams accepted by the grammar and by @anthropic-ai/sdk, with valid tool JSON, or errors in Anthropic shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(upstreamItem, { maxLength: 12 }), fc.boolean(), (items, done) =>
        judgeChunks(items, done),
      ),
      { numRuns: RUNS },
    );
    expect(unhandled).not.toHaveBeenCalled();
  });
});
