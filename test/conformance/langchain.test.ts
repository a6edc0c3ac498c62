/**
 * Conformance with LangChain (`@langchain/anthropic`) as the client: invoke, stream, a bindTools
 * round trip and withStructuredOutput, through Turnout to a fake OpenAI-compatible upstream.
 */
import { ChatAnthropic } from '@langchain/anthropic';
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { completion, textChunks, toolCallCompletion } from '../support/fakeUpstream';
import { startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let model: ChatAnthropic;

beforeAll(async () => {
  h = await startHarness();
  model = new ChatAnthropic({
    model: 'claude-sonnet-4-5',
    apiKey: 'client-key',
    anthropicApiUrl: h.baseUrl,
    maxRetries: 0,
    maxTokens: 512,
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.upstream.received.length = 0;
});

describe('LangChain (@langchain/anthropic) against Turnout', () => {
  it('invoke returns the text and usage', async () => {
    h.upstream.enqueue({ kind: 'json', body: completion('Bonjour') });
    const answer = await model.invoke([new HumanMessage('Say hello in French')]);
    expect(answer.content).toBe('Bonjour');
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 10, output_tokens: 5 });
  });

  it('stream yields the text; input tokens are known from message_start on', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: textChunks(['Bon', 'jour'], { prompt_tokens: 40, completion_tokens: 2 }),
    });
    let text = '';
    let firstInput: number | undefined;
    let total: { input_tokens: number; output_tokens: number } | undefined;
    for await (const piece of await model.stream([new HumanMessage('Say hello in French')])) {
      if (typeof piece.content === 'string') text += piece.content;
      // LangChain takes input tokens from message_start: a cheap estimate there, never 0.
      if (firstInput === undefined && piece.usage_metadata) firstInput = piece.usage_metadata.input_tokens;
      if (piece.usage_metadata) total = piece.usage_metadata;
    }
    expect(text).toBe('Bonjour');
    expect(firstInput).toBeGreaterThan(0);
    expect(total?.output_tokens).toBe(2);
  });

  it('bindTools: a tool call comes back, its result goes upstream paired with the call', async () => {
    h.upstream.enqueue(
      { kind: 'json', body: toolCallCompletion('call_weather0001', 'get_weather', { city: 'Paris' }) },
      { kind: 'json', body: completion('Sunny in Paris.') },
    );
    const withTools = model.bindTools([
      {
        name: 'get_weather',
        description: 'Weather for a city',
        schema: z.object({ city: z.string() }),
      },
    ]);
    const first = (await withTools.invoke([new HumanMessage('Weather in Paris?')])) as AIMessage;
    expect(first.tool_calls).toEqual([
      expect.objectContaining({ name: 'get_weather', args: { city: 'Paris' }, id: 'call_weather0001' }),
    ]);
    const final = await withTools.invoke([
      new HumanMessage('Weather in Paris?'),
      first,
      new ToolMessage({ tool_call_id: first.tool_calls![0].id!, content: 'sunny' }),
    ]);
    expect(final.content).toBe('Sunny in Paris.');
    const sent = h.upstream.received[1].body.messages;
    expect(sent.find((m: { role: string }) => m.role === 'tool')).toMatchObject({
      tool_call_id: 'call_weather0001',
      content: 'sunny',
    });
  });

  it('withStructuredOutput returns the parsed object', async () => {
    // LangChain's default method forces a tool named after the schema; the backend answers with
    // that tool call.
    h.upstream.enqueue({
      kind: 'custom',
      handle: (_req, res, body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const forced = body.tool_choice?.function?.name;
        res.end(
          JSON.stringify(
            forced
              ? toolCallCompletion('call_person00001', forced, { name: 'Ada', age: 36 })
              : completion('{"name":"Ada","age":36}'),
          ),
        );
      },
    });
    const structured = model.withStructuredOutput(z.object({ name: z.string(), age: z.number() }), {
      name: 'person',
    });
    expect(await structured.invoke('Who wrote the first program?')).toEqual({ name: 'Ada', age: 36 });
  });
});
