/**
 * The proxy over real HTTP against a fake OpenAI-compatible upstream: routes, streaming,
 * errors, guards, routing and the request log, asserted from the client's side.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunk, completion, textChunks } from '../support/fakeUpstream';
import { parseEvents } from '../support/anthropicStream';
import { postJson, startHarness, TEST_KEYS, type Harness } from '../support/proxyHarness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.received.length = 0;
  h.controller.setActiveProvider('openai');
  h.controller.log.clear();
});

const body = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
  postJson(h.baseUrl, path, payload, headers);

describe('health and models', () => {
  it('answers HEAD / and GET / with the version and active provider', async () => {
    const head = await fetch(`${h.baseUrl}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const get = await fetch(`${h.baseUrl}/`);
    expect(await get.json()).toMatchObject({ name: 'turnout', version: 'test', provider: 'openai' });
  });

  it('lists Claude model names with where each is mapped', async () => {
    const res = await fetch(`${h.baseUrl}/v1/models`);
    const page = await res.json();
    expect(page.has_more).toBe(false);
    const sonnet = page.data.find((m: { id: string }) => m.id === 'claude-sonnet-5');
    expect(sonnet.display_name).toContain('OpenAI gpt-5.1');
    const haiku = page.data.find((m: { id: string }) => m.id === 'claude-haiku-4-5');
    expect(haiku.display_name).toContain('gpt-5-mini');
    for (const m of page.data) expect(m.id.startsWith('claude')).toBe(true);
  });

  it('answers unknown routes with an Anthropic not_found_error', async () => {
    const res = await fetch(`${h.baseUrl}/v1/nope`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.type).toBe('not_found_error');
  });
});

describe('non-streaming', () => {
  it('translates a text answer and maps the model by slot', async () => {
    h.upstream.enqueue({
      kind: 'json',
      body: completion('Hi there', {
        usage: { prompt_tokens: 120, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 100 } },
      }),
    });
    const res = await post('/v1/messages?beta=true', body());
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const msg = await res.json();
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi there' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 7, cache_read_input_tokens: 100 },
    });
    expect(h.upstream.received[0].body.model).toBe('gpt-5.1');
    expect(h.upstream.received[0].headers.authorization).toBe(`Bearer ${TEST_KEYS.openai}`);
  });

  it('sends haiku to the small model and provider/model to that provider', async () => {
    await post('/v1/messages', body({ model: 'claude-haiku-4-5' }));
    await post('/v1/messages', body({ model: 'groq/llama-3.3-70b-versatile' }));
    expect(h.upstream.received[0].body.model).toBe('gpt-5-mini');
    expect(h.upstream.received[1].body.model).toBe('llama-3.3-70b-versatile');
    expect(h.upstream.received[1].headers.authorization).toBe(`Bearer ${TEST_KEYS.groq}`);
  });

  it('maps length and content_filter endings', async () => {
    h.upstream.enqueue(
      {
        kind: 'json',
        body: {
          ...(completion('cut') as object),
          choices: [{ index: 0, message: { role: 'assistant', content: 'cut' }, finish_reason: 'length' }],
        },
      },
      {
        kind: 'json',
        body: {
          ...(completion('') as object),
          choices: [
            { index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' },
          ],
        },
      },
    );
    expect((await (await post('/v1/messages', body())).json()).stop_reason).toBe('max_tokens');
    expect((await (await post('/v1/messages', body())).json()).stop_reason).toBe('refusal');
  });

  it('switches provider for the next request without a restart', async () => {
    await post('/v1/messages', body());
    h.controller.setActiveProvider('groq');
    await post('/v1/messages', body());
    expect(h.upstream.received[0].headers.authorization).toBe(`Bearer ${TEST_KEYS.openai}`);
    expect(h.upstream.received[1].headers.authorization).toBe(`Bearer ${TEST_KEYS.groq}`);
    expect(h.upstream.received[1].body.model).toBe('openai/gpt-oss-120b');
  });
});

describe('streaming', () => {
  it('streams text as Anthropic SSE with usage', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: textChunks(['Hel', 'lo'], { prompt_tokens: 30, completion_tokens: 2 }),
    });
    const res = await post('/v1/messages', body({ stream: true }));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseEvents(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const text = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta.text)
      .join('');
    expect(text).toBe('Hello');
    const delta = events.find((e) => e.event === 'message_delta')!.data;
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage).toMatchObject({ input_tokens: 30, output_tokens: 2 });
    expect(h.upstream.received[0].body.stream_options).toEqual({ include_usage: true });
  });

  it('delivers events before the upstream finishes (no buffering)', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    h.upstream.enqueue({
      kind: 'sse',
      events: [
        chunk({ role: 'assistant', content: 'first' }),
        { waitFor: held },
        chunk({ content: ' second' }),
        chunk({}, 'stop'),
      ],
    });
    const res = await post('/v1/messages', body({ stream: true }));
    const reader = res.body!.getReader();
    let seen = '';
    const decoder = new TextDecoder();
    while (!seen.includes('"first"')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value);
    }
    // The upstream is still holding its second chunk back while the client has the first.
    expect(seen).toContain('"text":"first"');
    expect(seen).not.toContain('second');
    release();
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value);
    }
    expect(seen).toContain('second');
    expect(seen.trim().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });

  it('streams parallel tool calls as separate tool_use blocks', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [
        chunk({
          role: 'assistant',
          tool_calls: [
            { index: 0, id: 'call_a', type: 'function', function: { name: 'Read', arguments: '' } },
          ],
        }),
        chunk({
          tool_calls: [
            { index: 1, id: 'call_b', type: 'function', function: { name: 'Glob', arguments: '{"pat' } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"file_path":' } }] }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: 'tern":"*.ts"}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"/a.txt"}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    });
    const tools = [
      { name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } },
      { name: 'Glob', input_schema: { type: 'object', properties: { pattern: { type: 'string' } } } },
    ];
    const res = await post('/v1/messages', body({ stream: true, tools }));
    const events = parseEvents(await res.text());
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data);
    expect(starts.map((s) => [s.index, s.content_block.type, s.content_block.name])).toEqual([
      [0, 'tool_use', 'Read'],
      [1, 'tool_use', 'Glob'],
    ]);
    const json = (i: number) =>
      JSON.parse(
        events
          .filter((e) => e.event === 'content_block_delta' && e.data.index === i)
          .map((e) => e.data.delta.partial_json)
          .join(''),
      );
    expect(json(0)).toEqual({ file_path: '/a.txt' });
    expect(json(1)).toEqual({ pattern: '*.ts' });
    expect(events.find((e) => e.event === 'message_delta')!.data.delta.stop_reason).toBe('tool_use');
  });

  it('reports an upstream that dies mid-stream as event: error', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [chunk({ role: 'assistant', content: 'partial' }), { pauseMs: 50 }],
      reset: true,
    });
    const res = await post('/v1/messages', body({ stream: true }));
    expect(res.status).toBe(200);
    const events = parseEvents(await res.text());
    expect(events.at(-1)!.event).toBe('error');
    expect(events.at(-1)!.data.error.type).toBe('api_error');
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
    // The proxy is still healthy.
    expect((await post('/v1/messages', body())).status).toBe(200);
  });

  it('maps a 200 stream whose first chunk is an error object to an HTTP error', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [{ error: { message: 'Quota exceeded for model', code: 429 } }],
    });
    const res = await post('/v1/messages', body({ stream: true }));
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Quota exceeded for model' },
    });
  });

  it('aborts the upstream call when the client disconnects', async () => {
    const before = h.upstream.aborted;
    h.upstream.enqueue({
      kind: 'sse',
      events: [chunk({ role: 'assistant', content: 'a' }), { pauseMs: 5000 }, chunk({}, 'stop')],
    });
    const controller = new AbortController();
    const res = await fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body({ stream: true })),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => h.upstream.aborted, { timeout: 3000 }).toBe(before + 1);
    await expect.poll(() => h.controller.log.records().at(-1)?.state, { timeout: 3000 }).toBe('aborted');
  });
});

describe('upstream errors before the first byte', () => {
  const cases: Array<[number, string]> = [
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [503, 'overloaded_error'],
    [529, 'overloaded_error'],
  ];
  for (const [status, type] of cases) {
    it(`mirrors ${status} as ${type} keeping the upstream's message`, async () => {
      h.upstream.enqueue({
        kind: 'json',
        status,
        body: { error: { message: `upstream says ${status}`, type: 'x', code: null } },
        headers: status === 429 ? { 'retry-after': '7' } : {},
      });
      const res = await post('/v1/messages', body({ stream: status % 2 === 0 }));
      expect(res.status).toBe(status);
      const err = await res.json();
      expect(err).toMatchObject({ type: 'error', error: { type, message: `upstream says ${status}` } });
      expect(err.request_id).toMatch(/^req_/);
      if (status === 429) expect(res.headers.get('retry-after')).toBe('7');
    });
  }

  it('reduces an HTML 502 page to its text', async () => {
    h.upstream.enqueue({
      kind: 'raw',
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>',
      headers: { 'content-type': 'text/html' },
    });
    const res = await post('/v1/messages', body());
    expect(res.status).toBe(502);
    const err = await res.json();
    expect(err.error.type).toBe('api_error');
    expect(err.error.message).toContain('502 Bad Gateway');
    expect(err.error.message).not.toContain('<');
  });

  it('unwraps Gemini-style error arrays and never echoes the key', async () => {
    h.upstream.enqueue({
      kind: 'json',
      status: 400,
      body: [
        {
          error: { code: 400, message: `API key not valid: ${TEST_KEYS.openai}`, status: 'INVALID_ARGUMENT' },
        },
      ],
    });
    const res = await post('/v1/messages', body());
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain('API key not valid');
    expect(text).not.toContain(TEST_KEYS.openai);
  });

  it('answers 401 naming the variable when the provider has no key', async () => {
    const bare = await startHarness({ keys: {} });
    try {
      const res = await fetch(`${bare.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body()),
      });
      expect(res.status).toBe(401);
      const err = await res.json();
      expect(err.error.type).toBe('authentication_error');
      expect(err.error.message).toContain('OPENAI_API_KEY');
      expect(bare.upstream.received).toHaveLength(0);
    } finally {
      await bare.close();
    }
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    h.controller.updateProvider('moonshot', { baseUrl: 'http://127.0.0.1:9/v1' });
    h.controller.setActiveProvider('moonshot');
    const res = await post('/v1/messages', body());
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toMatch(/Could not reach Moonshot/);
  });
});

describe('bad input', () => {
  it('rejects invalid JSON, wrong content type and missing fields with invalid_request_error', async () => {
    const bad = await post('/v1/messages', '{"model": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not valid JSON/);

    const form = await fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(400);
    expect((await form.json()).error.message).toMatch(/application\/json/);

    const missing = await post('/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 10 });
    expect(missing.status).toBe(400);
    const err = await missing.json();
    expect(err.error.type).toBe('invalid_request_error');
    expect(err.error.message).toMatch(/messages/);
    expect(h.upstream.received).toHaveLength(0);
  });

  it('rejects bodies over 32 MB with request_too_large', async () => {
    const huge = JSON.stringify(
      body({ messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] }),
    );
    const res = await post('/v1/messages', huge);
    expect(res.status).toBe(413);
    expect((await res.json()).error.type).toBe('request_too_large');
  });

  it('accepts tolerant input: system role in messages, thinking blocks, server tools, unknown fields', async () => {
    const res = await post(
      '/v1/messages?beta=true',
      body({
        thinking: { type: 'adaptive' },
        context_management: { edits: [] },
        some_future_field: 1,
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'redacted_thinking', data: 'xx' },
              { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
              { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
              { type: 'text', text: 'a' },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'document',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
              },
              { type: 'text', text: 'and?' },
            ],
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const record = h.controller.log.records().at(-1)!;
    expect(record.notes?.length).toBeGreaterThan(0);
  });
});

describe('guards', () => {
  it('refuses requests with an Origin header (web pages) before reaching the upstream', async () => {
    const res = await post('/v1/messages', body(), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await res.json()).error.type).toBe('permission_error');
    expect(h.upstream.received).toHaveLength(0);
  });

  it('refuses a Host that is not local (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${h.baseUrl}/v1/messages`,
        { method: 'POST', headers: { host: 'rebind.evil.example:8082', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body()));
    });
    expect(status).toBe(403);
    expect(h.upstream.received).toHaveLength(0);
  });
});

describe('count_tokens', () => {
  it('answers a burst of 50 locally, counting system, messages and tools', async () => {
    const base = {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hello there, how are you today?' }],
    };
    const plain = await (await post('/v1/messages/count_tokens', base)).json();
    const withSystem = await (
      await post('/v1/messages/count_tokens', {
        ...base,
        system: 'You are a careful assistant who answers briefly.',
      })
    ).json();
    const withTools = await (
      await post('/v1/messages/count_tokens', {
        ...base,
        tools: [
          {
            name: 'Read',
            description: 'Read a file from disk',
            input_schema: { type: 'object', properties: { path: { type: 'string' } } },
          },
        ],
      })
    ).json();
    expect(plain.input_tokens).toBeGreaterThan(5);
    expect(withSystem.input_tokens).toBeGreaterThan(plain.input_tokens + 5);
    expect(withTools.input_tokens).toBeGreaterThan(plain.input_tokens + 5);
    const burst = await Promise.all(
      Array.from({ length: 50 }, () => post('/v1/messages/count_tokens', base)),
    );
    for (const res of burst) {
      expect(res.status).toBe(200);
      expect((await res.json()).input_tokens).toBe(plain.input_tokens);
    }
    expect(h.upstream.received).toHaveLength(0);
  });
});

describe('request log', () => {
  it('records metadata without content or keys', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: textChunks(['secret ', 'answer'], { prompt_tokens: 9, completion_tokens: 2 }),
    });
    await (
      await post(
        '/v1/messages',
        body({ stream: true, messages: [{ role: 'user', content: 'my private prompt' }] }),
      )
    ).text();
    const record = h.controller.log.records().at(-1)!;
    expect(record).toMatchObject({
      clientModel: 'claude-sonnet-4-5',
      provider: 'openai',
      upstreamModel: 'gpt-5.1',
      stream: true,
      status: 200,
      state: 'done',
      inputTokens: 9,
      outputTokens: 2,
    });
    expect(record.ttftMs).toBeGreaterThanOrEqual(0);
    expect(record.latencyMs).toBeGreaterThanOrEqual(record.ttftMs!);
    const serialized = JSON.stringify(h.controller.log.records());
    expect(serialized).not.toContain('private prompt');
    expect(serialized).not.toContain('secret answer');
    for (const key of Object.values(TEST_KEYS)) expect(serialized).not.toContain(key);
  });
});

describe('anthropic pass-through', () => {
  it('forwards the body and anthropic-* headers unchanged with the configured key', async () => {
    h.controller.setActiveProvider('anthropic');
    const answer = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'from anthropic' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 3 },
    };
    h.upstream.enqueue({ kind: 'json', body: answer });
    const raw = JSON.stringify(body({ metadata: { user_id: 'u' } }));
    const res = await post('/v1/messages?beta=true', raw, {
      'anthropic-beta': 'a,b',
      'anthropic-version': '2023-06-01',
    });
    expect(await res.json()).toEqual(answer);
    const seen = h.upstream.received[0];
    expect(seen.url).toBe('/v1/messages?beta=true');
    expect(JSON.stringify(seen.body)).toBe(raw);
    expect(seen.headers['x-api-key']).toBe(TEST_KEYS.anthropic);
    expect(seen.headers['anthropic-beta']).toBe('a,b');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
  });
});

describe('switching to Anthropic mid-session', () => {
  it('drops thinking blocks that another backend produced, keeping the rest unchanged', async () => {
    h.controller.setActiveProvider('anthropic');
    h.upstream.enqueue({
      kind: 'json',
      body: {
        id: 'msg_2',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    });
    await post(
      '/v1/messages',
      body({
        messages: [
          { role: 'user', content: 'q' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'from gpt', signature: 'turnout' },
              // Reasoning carried for OpenAI's Responses API: not Anthropic's either.
              { type: 'thinking', thinking: 'from codex', signature: 'turnout.responses.v1:gAAAAenc' },
              { type: 'text', text: 'a' },
            ],
          },
          { role: 'user', content: 'more' },
        ],
      }),
    );
    const sent = h.upstream.received[0].body.messages;
    expect(sent[1].content).toEqual([{ type: 'text', text: 'a' }]);
    expect(sent[0]).toEqual({ role: 'user', content: 'q' });
  });
});
