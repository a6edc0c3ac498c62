/**
 * The Responses API dialect end to end over real HTTP: the official @anthropic-ai/sdk as the
 * client, Turnout, and a fake upstream that speaks only the Responses API (its wire shapes are
 * checked against the openai SDK in fakeResponses.test.ts). Expected values are written by hand
 * from OpenAI's Responses API reference and Anthropic's Messages API reference.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completion } from '../../support/fakeUpstream';
import {
  responseEvents,
  responsesOnly,
  sseText,
  type FakeAnswer,
  type Play,
} from '../../support/fakeResponses';
import { postJson, startHarness, type Harness } from '../../support/proxyHarness';

let h: Harness;
let client: Anthropic;
let play: Play = () => ({ items: [{ type: 'message', text: 'ok' }] });

beforeAll(async () => {
  h = await startHarness({
    tweak: (s) => {
      s.providers.openai.bigModel = 'gpt-5.1-codex';
      s.providers.openai.smallModel = 'gpt-5.1-codex-mini';
    },
  });
  client = new Anthropic({ apiKey: 'client-key', baseURL: h.baseUrl, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.upstream.received.length = 0;
  h.upstream.fallback = { kind: 'custom', handle: responsesOnly((body) => play(body)) };
});

const tools: Anthropic.Tool[] = [
  {
    name: 'Read',
    description: 'Read a file',
    input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
  },
];

const toolTurn: FakeAnswer = {
  items: [
    { type: 'reasoning', summary: ['I need the file.'], encrypted: 'gAAAAenc-turn-1' },
    { type: 'message', text: 'Reading it.' },
    {
      type: 'function_call',
      callId: 'call_read_0001',
      name: 'Read',
      arguments: '{"file_path":"/tmp/a.txt"}',
    },
  ],
  usage: { input: 120, cached: 100, output: 30, reasoning: 10 },
};

describe('Responses dialect: requests', () => {
  it('sends a codex model to /responses with store:false, encrypted reasoning, instructions and function tools', async () => {
    play = () => ({ items: [{ type: 'message', text: 'hi' }] });
    // Raw HTTP: the Anthropic SDK refuses a non-streamed request this large on its own.
    await postJson(h.baseUrl, '/v1/messages', {
      model: 'claude-sonnet-4-6',
      max_tokens: 500_000,
      system: [{ type: 'text', text: 'You are terse.' }],
      thinking: { type: 'enabled', budget_tokens: 20_000 },
      tools,
      tool_choice: { type: 'tool', name: 'Read', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'Read /tmp/a.txt' }],
    });
    expect(h.upstream.received).toHaveLength(1);
    const { url, body } = h.upstream.received[0];
    expect(url).toBe('/v1/responses');
    expect(body).toEqual({
      model: 'gpt-5.1-codex',
      instructions: 'You are terse.',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Read /tmp/a.txt' }] }],
      store: false,
      include: ['reasoning.encrypted_content'],
      stream: false,
      // Clamped to the model's documented 128k output ceiling.
      max_output_tokens: 128_000,
      reasoning: { effort: 'high', summary: 'auto' },
      tools: [
        {
          type: 'function',
          name: 'Read',
          description: 'Read a file',
          parameters: {
            type: 'object',
            properties: { file_path: { type: 'string' } },
            required: ['file_path'],
          },
          strict: false,
        },
      ],
      tool_choice: { type: 'function', name: 'Read' },
      parallel_tool_calls: false,
    });
  });

  it('translates tool results with images and errors, PDFs and placeholder results', async () => {
    play = () => ({ items: [{ type: 'message', text: 'seen' }] });
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'Look at these' },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_A', name: 'Read', input: { file_path: 'a.png' } },
            { type: 'tool_use', id: 'toolu_B', name: 'Read', input: { file_path: 'b' } },
            { type: 'tool_use', id: 'toolu_C', name: 'Read', input: { file_path: 'c' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_A',
              content: [
                { type: 'text', text: 'an image:' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              ],
            },
            { type: 'tool_result', tool_use_id: 'toolu_B', content: 'no such file', is_error: true },
            {
              type: 'document',
              title: 'spec',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' },
            },
          ],
        },
      ],
    });
    const input = h.upstream.received[0].body.input;
    expect(input.slice(1)).toEqual([
      { type: 'function_call', call_id: 'toolu_A', name: 'Read', arguments: '{"file_path":"a.png"}' },
      { type: 'function_call', call_id: 'toolu_B', name: 'Read', arguments: '{"file_path":"b"}' },
      { type: 'function_call', call_id: 'toolu_C', name: 'Read', arguments: '{"file_path":"c"}' },
      {
        type: 'function_call_output',
        call_id: 'toolu_A',
        output: [
          { type: 'input_text', text: 'an image:' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
        ],
      },
      { type: 'function_call_output', call_id: 'toolu_B', output: '[tool error] no such file' },
      {
        type: 'function_call_output',
        call_id: 'toolu_C',
        output: '[no result was provided for this tool call]',
      },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_file', filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQ=' },
        ],
      },
    ]);
  });

  it('sends structured output as text.format json_schema', async () => {
    play = () => ({ items: [{ type: 'message', text: '{"a":1}' }] });
    const schema = {
      type: 'object',
      properties: { a: { type: 'number' } },
      required: ['a'],
      additionalProperties: false,
    };
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'json please' }],
      output_config: { format: { type: 'json_schema', schema } },
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(h.upstream.received[0].body.text).toEqual({
      format: { type: 'json_schema', name: 'output', schema, strict: true },
    });
  });
});

describe('Responses dialect: answers', () => {
  it('streams reasoning as a thinking block whose signature carries the encrypted item, then text and tool_use', async () => {
    play = () => toolTurn;
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      tools,
      messages: [{ role: 'user', content: 'Read /tmp/a.txt' }],
    });
    const thinking: string[] = [];
    stream.on('thinking', (delta) => thinking.push(delta));
    const final = await stream.finalMessage();
    expect(thinking.join('')).toBe('I need the file.');
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'I need the file.', signature: 'turnout.responses.v1:gAAAAenc-turn-1' },
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_use', id: 'call_read_0001', name: 'Read', input: { file_path: '/tmp/a.txt' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    // input_tokens include cached ones upstream; Anthropic counts them apart.
    expect(final.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 30 });
    expect(h.upstream.received[0].body.stream).toBe(true);
  });

  it('answers whole responses with the same blocks', async () => {
    play = () => toolTurn;
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      tools,
      messages: [{ role: 'user', content: 'Read /tmp/a.txt' }],
    });
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'I need the file.', signature: 'turnout.responses.v1:gAAAAenc-turn-1' },
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_use', id: 'call_read_0001', name: 'Read', input: { file_path: '/tmp/a.txt' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 20,
      cache_read_input_tokens: 100,
      output_tokens: 30,
    });
  });

  it('maps incomplete (max_output_tokens) to max_tokens and a refusal to refusal', async () => {
    play = () => ({ items: [{ type: 'message', text: 'cut sh' }], incomplete: 'max_output_tokens' });
    const cut = await client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.content).toEqual([{ type: 'text', text: 'cut sh' }]);

    play = () => ({ items: [{ type: 'refusal', refusal: 'I can’t help with that.' }] });
    const refused = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.content).toEqual([{ type: 'text', text: 'I can’t help with that.' }]);
    const refusedStream = await client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(refusedStream.stop_reason).toBe('refusal');
  });

  it('turns response.failed before the first byte into an HTTP error with the right type', async () => {
    h.upstream.fallback = {
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const failed = responseEvents({ items: [] }).slice(0, 2);
        failed.push({
          type: 'response.failed',
          sequence_number: 2,
          response: {
            id: 'resp_x',
            status: 'failed',
            error: { code: 'rate_limit_exceeded', message: 'Slow down (sk-test-openai-0123456789abcdef).' },
          },
        });
        res.end(sseText(failed));
      },
    };
    const failure = await client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect(String((failure as Error).message)).not.toContain('sk-test-openai');
  });

  it('turns a whole response with status failed into an error', async () => {
    h.upstream.fallback = {
      kind: 'json',
      body: {
        id: 'resp_f',
        object: 'response',
        status: 'failed',
        output: [],
        error: { code: 'server_error', message: 'The model failed.' },
      },
    };
    const failure = await client.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
    expect(String((failure as Error).message)).toContain('The model failed.');
  });

  it('ends a stream that breaks off before response.completed with an error event', async () => {
    h.upstream.fallback = {
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const events = responseEvents({ items: [{ type: 'message', text: 'partial answer' }] });
        res.end(sseText(events.slice(0, -1)));
      },
    };
    const failure = await client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toMatch(/before response\.completed/);
  });
});

describe('Responses dialect: reasoning across turns', () => {
  it('hands the encrypted reasoning back in place of its thinking block and drops foreign thinking', async () => {
    play = () => toolTurn;
    const first = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 1000,
        tools,
        messages: [{ role: 'user', content: 'Read /tmp/a.txt' }],
      })
      .finalMessage();
    play = () => ({
      items: [
        { type: 'reasoning', summary: ['Got it.'], encrypted: 'gAAAAenc-turn-2' },
        { type: 'message', text: 'The file says hi.' },
      ],
    });
    const history: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Earlier question' },
      {
        role: 'assistant',
        content: [
          // A thinking block from another backend (Anthropic's own signature): not ours to send.
          { type: 'thinking', thinking: 'old thoughts', signature: 'EqQBCkYIBRgCKkDanthropic' },
          { type: 'text', text: 'Earlier answer' },
        ],
      },
      { role: 'user', content: 'Read /tmp/a.txt' },
      { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_read_0001', content: 'hi' }] },
    ];
    const second = await client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 1000, tools, messages: history })
      .finalMessage();
    expect(second.content[0]).toEqual({
      type: 'thinking',
      thinking: 'Got it.',
      signature: 'turnout.responses.v1:gAAAAenc-turn-2',
    });
    const input = h.upstream.received[1].body.input;
    expect(input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Earlier question' }] },
      { type: 'message', role: 'assistant', content: 'Earlier answer' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Read /tmp/a.txt' }] },
      {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'I need the file.' }],
        encrypted_content: 'gAAAAenc-turn-1',
      },
      { type: 'message', role: 'assistant', content: 'Reading it.' },
      {
        type: 'function_call',
        call_id: 'call_read_0001',
        name: 'Read',
        arguments: '{"file_path":"/tmp/a.txt"}',
      },
      { type: 'function_call_output', call_id: 'call_read_0001', output: 'hi' },
    ]);
    const record = h.controller.log.records().at(-1)!;
    expect(record.notes).toContain('dropped 1 thinking block');
  });
});

describe('Responses dialect: choosing the API', () => {
  it('switches a model to /responses after a chat 404 naming v1/responses, retrying at once and remembering it', async () => {
    play = () => ({ items: [{ type: 'message', text: 'from responses' }] });
    const first = await client.messages.create({
      model: 'openai/gpt-9-newcodex',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(first.content).toEqual([{ type: 'text', text: 'from responses' }]);
    expect(h.upstream.received.map((r) => r.url)).toEqual(['/v1/chat/completions', '/v1/responses']);
    expect(h.controller.log.records().at(-1)!.notes?.join(' ')).toMatch(
      /gpt-9-newcodex is served by the Responses API only/,
    );
    expect(h.controller.log.records().at(-1)!.api).toBe('responses');

    h.upstream.received.length = 0;
    const stream = await client.messages
      .stream({ model: 'openai/gpt-9-newcodex', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(stream.content).toEqual([{ type: 'text', text: 'from responses' }]);
    expect(h.upstream.received.map((r) => r.url)).toEqual(['/v1/responses']);
  });

  it('also switches on Azure OpenAI’s OperationNotSupported for the chatCompletion operation', async () => {
    play = () => ({ items: [{ type: 'message', text: 'azure via responses' }] });
    // Azure's documented error for a Responses-only deployment called through chat completions.
    h.upstream.enqueue({
      kind: 'json',
      status: 400,
      body: {
        error: {
          code: 'OperationNotSupported',
          message:
            'The chatCompletion operation does not work with the specified model, gpt-5-codex-azure. Please choose different model and try again.',
        },
      },
    });
    const answer = await client.messages.create({
      model: 'openai/gpt-9-azure-deployment',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(answer.content).toEqual([{ type: 'text', text: 'azure via responses' }]);
    expect(h.upstream.received.map((r) => r.url)).toEqual(['/v1/chat/completions', '/v1/responses']);
  });

  it('does not switch on other 404s', async () => {
    h.upstream.enqueue({
      kind: 'json',
      status: 404,
      body: { error: { message: 'The model `gpt-nope` does not exist', type: 'invalid_request_error' } },
    });
    const failure = await client.messages
      .create({ model: 'openai/gpt-nope', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
    expect(h.upstream.received.map((r) => r.url)).toEqual(['/v1/chat/completions']);
  });

  it('follows the provider setting: responses forces the Responses API, chat forces chat completions', async () => {
    try {
      h.controller.updateProvider('openai', { apiStyle: 'responses' });
      play = () => ({ items: [{ type: 'message', text: 'r' }] });
      await client.messages.create({
        model: 'openai/gpt-4.1',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(h.upstream.received.at(-1)!.url).toBe('/v1/responses');
      // No reasoning asked of a model that has none.
      expect(h.upstream.received.at(-1)!.body.reasoning).toBeUndefined();

      h.controller.updateProvider('openai', { apiStyle: 'chat' });
      h.upstream.enqueue({ kind: 'json', body: completion('via chat') });
      const viaChat = await client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(viaChat.content).toEqual([{ type: 'text', text: 'via chat' }]);
      expect(h.upstream.received.at(-1)!.url).toBe('/v1/chat/completions');
      expect(h.controller.log.records().at(-1)!.api).toBe('chat');
    } finally {
      h.controller.updateProvider('openai', { apiStyle: 'auto' });
    }
  });

  it('keeps other OpenAI reasoning models on chat completions when the base URL is not OpenAI’s own', async () => {
    h.upstream.enqueue({ kind: 'json', body: completion('chat') });
    await client.messages.create({
      model: 'openai/gpt-5.1',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(h.upstream.received.at(-1)!.url).toBe('/v1/chat/completions');
  });
});

describe('Responses dialect: web search', () => {
  const searchTurn: FakeAnswer = {
    items: [
      {
        type: 'web_search_call',
        query: 'turnout release',
        sources: ['https://example.com/news', 'https://example.org/b'],
      },
      {
        type: 'message',
        text: 'Turnout 2 shipped today.',
        citations: [{ url: 'https://example.com/news', title: 'News', start: 0, end: 17 }],
      },
    ],
  };
  const webSearch = {
    type: 'web_search_20250305',
    name: 'web_search',
    max_uses: 3,
    allowed_domains: ['example.com'],
  } as const;

  it('serves Anthropic’s web_search tool with OpenAI’s and returns result blocks and citations', async () => {
    play = () => searchTurn;
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      tools: [webSearch as unknown as Anthropic.ToolUnion],
      messages: [{ role: 'user', content: 'Any Turnout news?' }],
    });
    const body = h.upstream.received[0].body;
    expect(body.tools).toEqual([{ type: 'web_search', filters: { allowed_domains: ['example.com'] } }]);
    expect(body.include).toContain('web_search_call.action.sources');
    expect(message.content).toMatchObject([
      { type: 'server_tool_use', name: 'web_search', input: { query: 'turnout release' } },
      {
        type: 'web_search_tool_result',
        content: [
          { type: 'web_search_result', url: 'https://example.com/news' },
          { type: 'web_search_result', url: 'https://example.org/b' },
        ],
      },
      {
        type: 'text',
        text: 'Turnout 2 shipped today.',
        citations: [
          {
            type: 'web_search_result_location',
            url: 'https://example.com/news',
            title: 'News',
            cited_text: 'Turnout 2 shipped',
          },
        ],
      },
    ]);
    const [use, result] = message.content as Array<{ id?: string; tool_use_id?: string }>;
    expect(result.tool_use_id).toBe(use.id);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('streams the same blocks', async () => {
    play = () => searchTurn;
    const final = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 500,
        tools: [webSearch as unknown as Anthropic.ToolUnion],
        messages: [{ role: 'user', content: 'Any Turnout news?' }],
      })
      .finalMessage();
    expect(final.content).toMatchObject([
      { type: 'server_tool_use', name: 'web_search', input: { query: 'turnout release' } },
      {
        type: 'web_search_tool_result',
        content: [{ url: 'https://example.com/news' }, { url: 'https://example.org/b' }],
      },
      {
        type: 'text',
        text: 'Turnout 2 shipped today.',
        citations: [
          {
            type: 'web_search_result_location',
            url: 'https://example.com/news',
            cited_text: 'Turnout 2 shipped',
          },
        ],
      },
    ]);
  });
});
