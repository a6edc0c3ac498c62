/**
 * Conformance with the Vercel AI SDK (`ai` + `@ai-sdk/anthropic`) as the client: a tool loop,
 * streaming text, and structured output (generateObject), through Turnout to a fake
 * OpenAI-compatible upstream over real HTTP.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chunk, completion, textChunks, toolCallCompletion } from '../support/fakeUpstream';
import { startHarness, TEST_KEYS, type Harness } from '../support/proxyHarness';

let h: Harness;
let anthropic: ReturnType<typeof createAnthropic>;

beforeAll(async () => {
  h = await startHarness({ keys: { ...TEST_KEYS, deepseek: 'sk-deepseek-test-0123456789' } });
  anthropic = createAnthropic({ baseURL: `${h.baseUrl}/v1`, apiKey: 'client-key' });
});
afterAll(() => h.close());
beforeEach(() => {
  h.upstream.received.length = 0;
  h.controller.setActiveProvider('openai');
});

describe('Vercel AI SDK (@ai-sdk/anthropic) against Turnout', () => {
  it('generateText runs a tool loop: call, result, final answer', async () => {
    h.upstream.enqueue(
      { kind: 'json', body: toolCallCompletion('call_weather0001', 'weather', { city: 'Paris' }) },
      { kind: 'json', body: completion('It is sunny in Paris.') },
    );
    const result = await generateText({
      model: anthropic('claude-sonnet-4-5'),
      prompt: 'Weather in Paris?',
      tools: {
        weather: tool({
          description: 'Weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, sky: 'sunny' }),
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('It is sunny in Paris.');
    expect(result.steps).toHaveLength(2);
    const second = h.upstream.received[1].body.messages;
    const toolMessage = second.find((m: { role: string }) => m.role === 'tool');
    expect(toolMessage.tool_call_id).toBe('call_weather0001');
    expect(JSON.parse(toolMessage.content)).toMatchObject({ city: 'Paris', sky: 'sunny' });
    expect(result.totalUsage.inputTokens).toBeGreaterThan(0);
  });

  it('streamText streams the text and reports usage', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: textChunks(['Hel', 'lo'], { prompt_tokens: 12, completion_tokens: 2 }),
    });
    const result = streamText({ model: anthropic('claude-sonnet-4-5'), prompt: 'Say hello' });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toBe('Hello');
    expect((await result.usage).inputTokens).toBe(12);
    expect((await result.usage).outputTokens).toBe(2);
  });

  it('generateObject (JSON-schema backend): the schema goes as response_format, the JSON comes back as text', async () => {
    // @ai-sdk/anthropic sends output_config.format {type: "json_schema"} for Claude model names.
    h.upstream.enqueue({ kind: 'json', body: completion('{"name":"Ada","age":36}') });
    const { object } = await generateObject({
      model: anthropic('claude-sonnet-4-5'),
      schema: z.object({ name: z.string(), age: z.number() }),
      prompt: 'Who wrote the first program?',
    });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    const sent = h.upstream.received[0].body;
    expect(sent.response_format).toMatchObject({ type: 'json_schema' });
    expect(sent.response_format.json_schema.schema.properties).toMatchObject({
      name: { type: 'string' },
      age: { type: 'number' },
    });
  });

  it('generateObject (json_object-only backend, DeepSeek): a forced tool carries the schema and the answer', async () => {
    // DeepSeek documents only response_format json_object (https://api-docs.deepseek.com/guides/json_mode).
    h.controller.setActiveProvider('deepseek');
    h.controller.updateProvider('deepseek', { bigModel: 'deepseek-chat' });
    h.upstream.enqueue({
      kind: 'custom',
      handle: (_req, res, body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const forced = body.tool_choice?.function?.name;
        res.end(
          JSON.stringify(
            forced
              ? toolCallCompletion('call_json000001', forced, { name: 'Ada', age: 36 })
              : completion('no'),
          ),
        );
      },
    });
    const { object } = await generateObject({
      model: anthropic('claude-sonnet-4-5'),
      schema: z.object({ name: z.string(), age: z.number() }),
      prompt: 'Who wrote the first program?',
    });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    const sent = h.upstream.received[0].body;
    expect(sent.response_format).toBeUndefined();
    expect(sent.tools.at(-1).function.parameters.properties).toMatchObject({ name: { type: 'string' } });
  });
});

void chunk;
