/**
 * Conformance with the official Anthropic SDK as the client: its stream helper validates event
 * order and block indexes, and its error classes must match what we return.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunk, completion, textChunks } from '../support/fakeUpstream';
import { startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ apiKey: 'client-key', baseURL: h.baseUrl, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.upstream.received.length = 0;
});

const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

describe('@anthropic-ai/sdk against Turnout', () => {
  it('messages.create returns a well-formed message', async () => {
    h.upstream.enqueue({ kind: 'json', body: completion('Paris is sunny.') });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(message.type).toBe('message');
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([{ type: 'text', text: 'Paris is sunny.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(h.upstream.received[0].body.messages[0]).toEqual({ role: 'system', content: 'Answer briefly.' });
  });

  it('messages.stream().finalMessage() assembles text', async () => {
    h.upstream.enqueue({ kind: 'sse', events: textChunks(['Hello', ', ', 'world']) });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Greet me' }],
    });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('Hello, world');
    expect(final.content).toHaveLength(1);
    expect((final.content[0] as Anthropic.TextBlock).text).toBe('Hello, world');
    expect(final.usage.output_tokens).toBe(3);
  });

  it('streams thinking, text and a tool call that finalMessage() parses', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [
        chunk({ role: 'assistant', reasoning_content: 'The user wants ' }),
        chunk({ reasoning_content: 'the weather.' }),
        chunk({ content: 'Checking.' }),
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"ci' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
        chunk({}, 'tool_calls'),
        {
          id: 'c',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'm',
          choices: [],
          usage: { prompt_tokens: 50, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 40 } },
        },
      ],
    });
    const final = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        tools,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect((final.content[0] as Anthropic.ThinkingBlock).thinking).toBe('The user wants the weather.');
    const tool = final.content[2] as Anthropic.ToolUseBlock;
    expect(tool.name).toBe('get_weather');
    expect(tool.input).toEqual({ city: 'Paris' });
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 40, output_tokens: 20 });
  });

  it('completes a tool round trip: the tool_result pairs with the call on the next turn', async () => {
    h.upstream.enqueue({ kind: 'json', body: completion('It is 21°C in Paris.') });
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '21°C' }] },
      ],
    });
    const sent = h.upstream.received[0].body.messages;
    expect(sent[1].tool_calls[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });
    expect(sent[2]).toMatchObject({ role: 'tool', tool_call_id: sent[1].tool_calls[0].id, content: '21°C' });
  });

  it('countTokens answers locally', async () => {
    const count = await client.messages.countTokens({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'How many tokens is this?' }],
      tools,
    });
    expect(count.input_tokens).toBeGreaterThan(10);
    expect(h.upstream.received).toHaveLength(0);
  });

  it('raises the SDK error class that matches the upstream failure', async () => {
    h.upstream.enqueue({
      kind: 'json',
      status: 429,
      body: { error: { message: 'Rate limit reached for gpt-5.1' } },
    });
    const error = await client.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as APIError).message).toContain('Rate limit reached for gpt-5.1');
    expect((error as APIError).requestID).toMatch(/^req_/);
  });

  it('surfaces a mid-stream failure as an APIError from the stream', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [chunk({ role: 'assistant', content: 'partial' }), { pauseMs: 30 }],
      reset: true,
    });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
  });
});
