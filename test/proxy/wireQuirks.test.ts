/**
 * Wire behaviours of real servers, replayed by a fake upstream over real HTTP with the official
 * Anthropic SDK as the client. Each case cites where the shape is documented or reported.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providerCatalog } from '../../src/shared/providerCatalog';
import { chunk, completion } from '../support/fakeUpstream';
import { parseEvents } from '../support/anthropicStream';
import { postJson, startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  const keys = Object.fromEntries(providerCatalog.map((p) => [p.id, `key-${p.id}-0123456789abcdef`]));
  h = await startHarness({ keys });
  client = new Anthropic({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.received.length = 0;
  h.controller.log.clear();
});

function use(provider: string, bigModel: string): void {
  h.controller.setActiveProvider(provider);
  h.controller.updateProvider(provider, { bigModel });
}

const sse = (events: unknown[]) => ({ kind: 'sse' as const, events });

function toolCallChunk(
  index: number,
  id: string | undefined,
  name: string | undefined,
  args: string,
  finish: string | null = null,
) {
  return chunk(
    {
      tool_calls: [
        {
          index,
          ...(id ? { id, type: 'function' } : {}),
          function: { ...(name ? { name } : {}), arguments: args },
        },
      ],
    },
    finish,
  );
}

async function streamEvents(
  payload: Record<string, unknown>,
): Promise<{ status: number; events: ReturnType<typeof parseEvents>; text: string }> {
  const response = await postJson(h.baseUrl, '/v1/messages', {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'go' }],
    stream: true,
    ...payload,
  });
  const text = await response.text();
  return { status: response.status, text, events: response.status === 200 ? parseEvents(text) : [] };
}

describe('usage wherever the backend puts it', () => {
  it('Moonshot: usage inside choices[0] of the last stream chunk', async () => {
    // https://platform.moonshot.ai/docs/api/chat (streaming: "usage" is carried in the choice of
    // the final chunk).
    use('moonshot', 'kimi-k2-0905-preview');
    h.upstream.enqueue(
      sse([
        chunk({ role: 'assistant', content: 'hi' }),
        {
          id: 'c',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'kimi',
          choices: [
            {
              index: 0,
              delta: {},
              finish_reason: 'stop',
              usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
            },
          ],
        },
      ]),
    );
    const message = await client.messages
      .stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 120, output_tokens: 9 });
  });

  it('cumulative usage on every chunk counts once (the last report), never summed', async () => {
    use('openai', 'gpt-4.1');
    h.upstream.enqueue(
      sse([
        {
          ...(chunk({ content: 'a' }) as object),
          usage: { prompt_tokens: 50, completion_tokens: 1, total_tokens: 51 },
        },
        {
          ...(chunk({ content: 'b' }) as object),
          usage: { prompt_tokens: 50, completion_tokens: 2, total_tokens: 52 },
        },
        {
          ...(chunk({}, 'stop') as object),
          usage: { prompt_tokens: 50, completion_tokens: 3, total_tokens: 53 },
        },
      ]),
    );
    const message = await client.messages
      .stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 50, output_tokens: 3 });
  });

  it('non-streaming: usage in choices[0]; OpenRouter cache writes become cache_creation_input_tokens', async () => {
    use('openrouter', 'openai/gpt-4.1');
    const body = completion('ok', { usage: undefined }) as { choices: Array<Record<string, unknown>> };
    body.choices[0].usage = { prompt_tokens: 30, completion_tokens: 2, total_tokens: 32 };
    h.upstream.enqueue({ kind: 'json', body });
    // https://openrouter.ai/docs/features/prompt-caching: prompt_tokens_details.cache_write_tokens.
    h.upstream.enqueue({
      kind: 'json',
      body: completion('ok', {
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 5,
          total_tokens: 1005,
          prompt_tokens_details: { cached_tokens: 200, cache_write_tokens: 700 },
        },
      }),
    });
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(first.usage).toMatchObject({ input_tokens: 30, output_tokens: 2 });
    const second = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(second.usage).toMatchObject({
      input_tokens: 100,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 700,
      output_tokens: 5,
    });
  });
});

describe('content shapes', () => {
  it('array-shaped content (Vertex) is joined; whitespace-only text is never a block', async () => {
    use('google', 'gemini-2.5-pro');
    h.upstream.enqueue({
      kind: 'json',
      body: completion('', {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: [
                { type: 'text', text: 'Hello, ' },
                { type: 'text', text: 'world' },
              ],
            },
            finish_reason: 'stop',
          },
        ],
      }),
    });
    const joined = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(joined.content).toEqual([{ type: 'text', text: 'Hello, world' }]);

    use('openai', 'gpt-4.1');
    h.upstream.enqueue(
      sse([
        chunk({ role: 'assistant', content: '\n\n' }),
        toolCallChunk(0, 'call_ws0000001', 'LS', '{}'),
        chunk({}, 'tool_calls'),
      ]),
    );
    const { events } = await streamEvents({ tools: [{ name: 'LS', input_schema: { type: 'object' } }] });
    const starts = events
      .filter((e) => e.event === 'content_block_start')
      .map((e) => e.data.content_block.type);
    expect(starts).toEqual(['tool_use']);
  });
});

describe('finish_reason "" (xAI)', () => {
  it('a stream that ends cleanly after tool calls with finish_reason "" ends in tool_use', async () => {
    // Reported against xAI's streaming tool calls (finish_reason "" instead of "tool_calls"),
    // e.g. BerriAI/litellm and vercel/ai issues on Grok tool streaming.
    use('xai', 'grok-code-fast-1');
    h.upstream.enqueue(
      sse([
        toolCallChunk(0, 'call_grok000001', 'Bash', '{"command":"ls"}', '' as unknown as null),
        chunk({}, '' as unknown as null),
      ]),
    );
    const { events } = await streamEvents({ tools: [{ name: 'Bash', input_schema: { type: 'object' } }] });
    const delta = events.find((e) => e.event === 'message_delta');
    expect(delta?.data.delta.stop_reason).toBe('tool_use');
    expect(events.some((e) => e.event === 'error')).toBe(false);
  });
});

describe('error messages kept', () => {
  // llama.cpp (builds through 2025): `error: {...}` as an SSE field (ggml-org/llama.cpp#16104;
  // wire capture in coddy-project/coddy-agent#106).
  const llamaError =
    'error: {"code":400,"message":"the request exceeds the available context size. try increasing the context size or enable context shift","type":"invalid_request_error"}';

  it('llama.cpp SSE error field before the first byte: an HTTP error with its message', async () => {
    use('llamacpp', 'local');
    h.upstream.enqueue(sse([{ raw: llamaError }]));
    const { status, text } = await streamEvents({});
    expect(status).toBe(400);
    // A context-size error, so also Anthropic's wording that makes Claude Code compact.
    expect(JSON.parse(text).error.message).toMatch(
      /^prompt is too long: .*exceeds the available context size/,
    );
  });

  it('llama.cpp SSE error field after the first byte: event error with its message', async () => {
    use('llamacpp', 'local');
    h.upstream.enqueue(sse([chunk({ role: 'assistant', content: 'partial' }), { raw: llamaError }]));
    const { events } = await streamEvents({});
    expect(events.at(-1)).toMatchObject({ event: 'error' });
    expect(events.at(-1)!.data.error.message).toMatch(/exceeds the available context size/);
  });

  // vLLM and Mistral: {"object":"error","message":…,"type":…,"code":…}
  // (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html; mistral body as
  // reported in datapizza-labs/datapizza-ai#98).
  const envelope = {
    object: 'error',
    message: 'temperature must be non-negative, got -1.0.',
    type: 'BadRequestError',
    param: null,
    code: 400,
  };

  it('vLLM error envelope as an HTTP error body', async () => {
    use('vllm', 'Qwen/Qwen3-Coder-30B-A3B-Instruct');
    h.upstream.enqueue({ kind: 'json', status: 400, body: envelope });
    const error = await client.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(400);
    expect((error as APIError).message).toMatch(/temperature must be non-negative/);
  });

  it('vLLM error envelope inside a stream, before and after the first byte', async () => {
    use('vllm', 'Qwen/Qwen3-Coder-30B-A3B-Instruct');
    h.upstream.enqueue(sse([envelope]));
    const before = await streamEvents({});
    expect(before.status).toBe(400);
    expect(JSON.parse(before.text).error.message).toMatch(/temperature must be non-negative/);
    h.upstream.enqueue(sse([chunk({ role: 'assistant', content: 'x' }), envelope]));
    const after = await streamEvents({});
    expect(after.events.at(-1)!.data.error.message).toMatch(/temperature must be non-negative/);
  });

  it('OpenRouter: a 200 with choices [] and an error is an error, not an empty success', async () => {
    // Reported for OpenRouter provider failures (e.g. sst/opencode and cline/cline threads).
    use('openrouter', 'openai/gpt-4.1');
    h.upstream.enqueue({
      kind: 'json',
      body: { id: 'gen-1', choices: [], error: { code: 502, message: 'Provider returned error' } },
    });
    const error = await client.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).message).toMatch(/Provider returned error/);
  });
});

/** Fakes that enforce a provider's documented request rules, answering 400 as the provider does. */
function enforcing(rule: (body: any) => string | null, answer: () => unknown = () => completion('ok')) {
  return {
    kind: 'custom' as const,
    handle: (_req: IncomingMessage, res: ServerResponse, body: any) => {
      const violation = rule(body);
      res.writeHead(violation ? 400 : 200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          violation ? { error: { message: violation, type: 'invalid_request_error' } } : answer(),
        ),
      );
    },
  };
}

const history = (id: string) => [
  { role: 'user', content: 'list files' },
  { role: 'assistant', content: [{ type: 'tool_use', id, name: 'LS', input: { path: '.' } }] },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: id, content: 'a.txt' },
      { type: 'text', text: '<system-reminder>Todo list is empty</system-reminder>' },
    ],
  },
];
const tools = [
  { name: 'LS', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } },
];

describe('request rules', () => {
  it('thinking Kimi: a tool call made by another backend gets reasoning_content ""', async () => {
    // https://platform.moonshot.ai/docs/guide/use-kimi-k2-thinking-model: in thinking mode every
    // assistant tool-call message must keep reasoning_content.
    use('moonshot', 'kimi-k2-thinking');
    h.upstream.fallback = enforcing((body) => {
      const bad = body.messages.findIndex(
        (m: any) => m.role === 'assistant' && m.tool_calls && typeof m.reasoning_content !== 'string',
      );
      return bad === -1
        ? null
        : `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${bad}`;
    });
    const answer = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: history('call_openai00001') as never,
    });
    expect(answer.content[0]).toMatchObject({ type: 'text', text: 'ok' });
    expect(h.upstream.received[0].body.messages[1]).toMatchObject({
      role: 'assistant',
      reasoning_content: '',
    });
  });

  it('Kimi gets back the id it issued (functions.Bash:0), the client a valid unique id', async () => {
    use('moonshot', 'kimi-k2-0905-preview');
    h.upstream.fallback = { kind: 'json', body: completion('ok') };
    h.upstream.enqueue({
      kind: 'json',
      body: completion('', {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: '',
              tool_calls: [
                {
                  id: 'functions.LS:0',
                  type: 'function',
                  function: { name: 'LS', arguments: '{"path":"."}' },
                },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
      }),
    });
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: [{ role: 'user', content: 'list' }],
    });
    const call = first.content.find((b) => b.type === 'tool_use')!;
    expect(call.id).toMatch(/^[A-Za-z0-9_-]+$/);
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: history(call.id) as never,
    });
    const sent = h.upstream.received[1].body.messages;
    expect(sent[1].tool_calls[0].id).toBe('functions.LS:0');
    expect(sent[2]).toMatchObject({ role: 'tool', tool_call_id: 'functions.LS:0' });
  });

  it('Mistral: nine-alphanumeric ids and no user message right after tool messages', async () => {
    // Codes 3280 and 3230 (avante-corp/avante.nvim#2562, BibekBhusal0/zen-custom-js#7).
    use('mistral', 'devstral-medium-latest');
    h.upstream.fallback = enforcing((body) => {
      for (const [i, m] of body.messages.entries()) {
        for (const c of m.tool_calls ?? []) {
          if (!/^[A-Za-z0-9]{9}$/.test(c.id))
            return `Tool call id was ${c.id} but must be a-z, A-Z, 0-9, with a length of 9.`;
        }
        if (m.role === 'tool' && !/^[A-Za-z0-9]{9}$/.test(m.tool_call_id))
          return 'Tool call id has to be 9 alphanumerics';
        if (m.role === 'user' && body.messages[i - 1]?.role === 'tool')
          return "Unexpected role 'user' after role 'tool'";
      }
      return null;
    });
    const answer = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: history('toolu_01D7FLrfh4GYq7yT1ULFeyMV') as never,
    });
    expect(answer.content[0]).toMatchObject({ text: 'ok' });
    const sent = h.upstream.received[0].body.messages;
    expect(sent.at(-1)).toMatchObject({ role: 'tool' });
    expect(sent.at(-1).content).toContain('Todo list is empty');
  });

  it('DashScope Qwen3 hybrid models get enable_thinking: false on non-streaming calls only', async () => {
    // https://www.alibabacloud.com/help/en/model-studio/deep-thinking ("enable_thinking must be
    // false for non-streaming calls" to the open-source Qwen3 models).
    use('qwen', 'qwen3-32b');
    h.upstream.fallback = enforcing((body) =>
      body.stream !== true && body.enable_thinking !== false
        ? 'parameter.enable_thinking must be set to false for non-streaming calls'
        : null,
    );
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(h.upstream.received[0].body.enable_thinking).toBe(false);
  });
});

describe('what real clients send', () => {
  const pdf = Buffer.from('%PDF-1.4 fake').toString('base64');
  const withPdf = [
    {
      role: 'user' as const,
      content: [
        {
          type: 'document' as const,
          source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: pdf },
          title: 'spec',
        },
        { type: 'text' as const, text: 'Summarise' },
      ],
    },
  ];

  it('PDFs go as file parts where the backend reads them, and as a placeholder elsewhere', async () => {
    // https://platform.openai.com/docs/guides/pdf-files (chat completions `file` part).
    use('openai', 'gpt-4.1');
    h.upstream.fallback = { kind: 'json', body: completion('ok') };
    await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: withPdf });
    expect(h.upstream.received[0].body.messages[0].content[0]).toEqual({
      type: 'file',
      file: { filename: 'spec.pdf', file_data: `data:application/pdf;base64,${pdf}` },
    });
    use('deepseek', 'deepseek-chat');
    await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: withPdf });
    expect(h.upstream.received[1].body.messages[0].content).toMatch(
      /\[document omitted: PDF document "spec"/,
    );
  });

  it("metadata.user_id goes as the backend's user field, only where the catalog names one", async () => {
    const userId = 'user_0123abcd_account__session_5f6e';
    use('openai', 'gpt-4.1');
    h.upstream.fallback = { kind: 'json', body: completion('ok') };
    const request = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      metadata: { user_id: userId },
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    await client.messages.create(request);
    expect(h.upstream.received[0].body.user).toBe(userId);
    // Mistral rejects unknown fields (422 "extra_forbidden"), so nothing extra is sent there.
    use('mistral', 'devstral-medium-latest');
    await client.messages.create(request);
    expect(h.upstream.received[1].body).not.toHaveProperty('user');
  });
});

describe('OpenRouter reasoning_details', () => {
  // https://openrouter.ai/docs/use-cases/reasoning-tokens#preserving-reasoning-blocks: encrypted
  // reasoning_details must be passed back unchanged for Gemini 3 and Claude tool loops.
  const details = [
    { type: 'reasoning.text', text: 'Need the file list.', format: 'anthropic-claude-v1', index: 0 },
    { type: 'reasoning.encrypted', data: 'EncRypted0123==', format: 'google-gemini-v1', index: 1 },
  ];

  it('come back unchanged on the assistant message, whole and streamed', async () => {
    use('openrouter', 'google/gemini-3-pro-preview');
    h.upstream.fallback = { kind: 'json', body: completion('done') };
    h.upstream.enqueue({
      kind: 'json',
      body: completion('', {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              reasoning: 'Need the file list.',
              reasoning_details: details,
              tool_calls: [
                { id: 'call_or000000001', type: 'function', function: { name: 'LS', arguments: '{}' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
      }),
    });
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: [{ role: 'user', content: 'list' }],
    });
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'redacted_thinking', 'tool_use']);
    const history = [
      { role: 'user' as const, content: 'list' },
      { role: 'assistant' as const, content: first.content },
      {
        role: 'user' as const,
        content: [{ type: 'tool_result' as const, tool_use_id: 'call_or000000001', content: 'a.txt' }],
      },
    ];
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: history as never,
    });
    expect(h.upstream.received[1].body.messages[1].reasoning_details).toEqual(details);

    // Streamed: the pieces of one item (same index and type) are joined.
    h.upstream.enqueue(
      sse([
        chunk({
          role: 'assistant',
          reasoning_details: [{ type: 'reasoning.text', text: 'Need the ', index: 0 }],
        }),
        chunk({ reasoning_details: [{ type: 'reasoning.text', text: 'file list.', index: 0 }] }),
        chunk({ reasoning_details: [details[1]] }),
        toolCallChunk(0, 'call_or000000002', 'LS', '{}'),
        chunk({}, 'tool_calls'),
      ]),
    );
    const streamed = await client.messages
      .stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        tools,
        messages: [{ role: 'user', content: 'list' }],
      })
      .finalMessage();
    const carried = streamed.content.find((b) => b.type === 'redacted_thinking')!;
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: streamed.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_or000000002', content: 'a.txt' }],
        },
      ] as never,
    });
    expect(h.upstream.received.at(-1)!.body.messages[1].reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'Need the file list.', index: 0 },
      details[1],
    ]);
    expect(carried.type).toBe('redacted_thinking');

    // Backends without the quirk never see them (DeepSeek would reject an unknown field).
    use('deepseek', 'deepseek-chat');
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: history as never,
    });
    expect(h.upstream.received.at(-1)!.body.messages[1]).not.toHaveProperty('reasoning_details');
  });
});

describe('switching back to Anthropic', () => {
  it('drops the redacted_thinking blocks Turnout made (Anthropic would reject their data)', async () => {
    h.controller.setActiveProvider('anthropic');
    h.upstream.enqueue({
      kind: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    });
    const ours =
      'turnout.details.v1:' +
      Buffer.from('[{"type":"reasoning.encrypted","data":"x"}]').toString('base64url');
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'a' },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: ours },
            { type: 'redacted_thinking', data: 'anthropic-own-opaque-data' },
            { type: 'text', text: 'b' },
          ],
        },
        { role: 'user', content: 'c' },
      ],
    });
    expect(h.upstream.received[0].body.messages[1].content).toEqual([
      { type: 'redacted_thinking', data: 'anthropic-own-opaque-data' },
      { type: 'text', text: 'b' },
    ]);
  });
});

describe('Gemini thought signatures on Vertex', () => {
  it('a signature under extra_content.vertex is echoed back in the same place next turn', async () => {
    // Vertex AI's OpenAI-compatible endpoint (third-party notes: LiteLLM's Vertex Gemini 3 docs).
    use('google', 'gemini-3-pro-preview');
    h.upstream.fallback = { kind: 'json', body: completion('done') };
    h.upstream.enqueue({
      kind: 'json',
      body: completion('', {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'call_vx00000001',
                  type: 'function',
                  function: { name: 'LS', arguments: '{}' },
                  extra_content: { vertex: { thought_signature: 'VtxSig==' } },
                },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
      }),
    });
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: [{ role: 'user', content: 'ls' }],
    });
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'ls' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_vx00000001', content: 'a' }] },
      ] as never,
    });
    expect(h.upstream.received[1].body.messages[1].tool_calls[0].extra_content).toEqual({
      vertex: { thought_signature: 'VtxSig==' },
    });
  });
});

describe('structured output by forced tool, streamed', () => {
  it('the forced tool call streams back as the text of the answer, ending the turn', async () => {
    // DeepSeek documents json_object only (https://api-docs.deepseek.com/guides/json_mode).
    use('deepseek', 'deepseek-chat');
    h.upstream.enqueue(
      sse([
        toolCallChunk(0, 'call_so00000001', 'structured_output', '{"name":'),
        toolCallChunk(0, undefined, undefined, '"Ada"}'),
        chunk({}, 'tool_calls'),
      ]),
    );
    const { events } = await streamEvents({
      output_config: {
        format: { type: 'json_schema', schema: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    });
    const sent = h.upstream.received[0].body;
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'structured_output' } });
    expect(
      events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block.type),
    ).toEqual(['text']);
    const text = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta.text)
      .join('');
    expect(JSON.parse(text)).toEqual({ name: 'Ada' });
    expect(events.find((e) => e.event === 'message_delta')!.data.delta.stop_reason).toBe('end_turn');
  });
});
