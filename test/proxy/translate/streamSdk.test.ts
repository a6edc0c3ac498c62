/**
 * The official Anthropic SDK as the judge: the translator's events, serialized as SSE, are
 * parsed by the SDK's own stream reader and MessageStream, which throw on bad event order,
 * missing usage or a stream without message_stop.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { serializeEvent } from '../../../src/main/proxy/translate/sse';
import { StreamTranslator } from '../../../src/main/proxy/translate/stream';
import { argsFragment, chunk, finish, firstFragment, text, usage } from './chunks';
import { responseContext } from './contexts';

function sseBody(chunks: ChatCompletionChunk[], failWith?: string): string {
  const t = new StreamTranslator(responseContext());
  const events = [...t.start(), ...chunks.flatMap((c) => t.push(c))];
  events.push(...(failWith ? t.fail('overloaded_error', failWith) : t.finish()));
  return events.map(serializeEvent).join('');
}

function sdkClient(body: string): Anthropic {
  return new Anthropic({
    apiKey: 'test-key',
    baseURL: 'http://127.0.0.1:9',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

async function finalMessage(chunks: ChatCompletionChunk[]) {
  const client = sdkClient(sseBody(chunks));
  return client.messages
    .stream({ model: 'claude-test-model', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage();
}

describe('stream output accepted by @anthropic-ai/sdk MessageStream', () => {
  it('text only', async () => {
    const message = await finalMessage([text('Hello'), text(' there'), finish('stop'), usage(11, 2)]);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 2 });
    expect(message.model).toBe('claude-sonnet-4-5');
  });

  it('thinking, text, then interleaved tool calls', async () => {
    const message = await finalMessage([
      chunk({ reasoning_content: 'Two files.' }),
      text('Reading.'),
      firstFragment(0, 'call_aaaaaaaa1', 'Read'),
      firstFragment(1, 'call_bbbbbbbb2', 'Read'),
      argsFragment(1, '{"file_path":"/b"}'),
      argsFragment(0, '{"file_path":"/a"}'),
      finish('tool_calls'),
      usage(100, 20, 60),
    ]);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Two files.', signature: 'turnout' },
      { type: 'text', text: 'Reading.' },
      { type: 'tool_use', id: 'call_aaaaaaaa1', name: 'Read', input: { file_path: '/a' } },
      { type: 'tool_use', id: 'call_bbbbbbbb2', name: 'Read', input: { file_path: '/b' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 40, output_tokens: 20, cache_read_input_tokens: 60 });
  });

  it('tool call without arguments', async () => {
    const message = await finalMessage([
      firstFragment(0, 'call_noargs001', 'TodoRead'),
      finish('tool_calls'),
    ]);
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_noargs001', name: 'TodoRead', input: {} },
    ]);
  });

  it('an error event raises an APIError of the given type', async () => {
    const client = sdkClient(sseBody([text('partial')], 'Upstream overloaded'));
    const stream = client.messages.stream({
      model: 'claude-test-model',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(String((error as APIError).message)).toContain('Upstream overloaded');
  });
});
