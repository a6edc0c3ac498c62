/**
 * Context windows Claude Code respects: input counts scaled to Claude Code's assumed 200K
 * window, backends' context-length errors as Anthropic's `prompt is too long:`, and the
 * pre-check that answers before any upstream call. Real HTTP, the official SDK as the client.
 */
import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/main/app/envConfig';
import { completion, textChunks } from '../support/fakeUpstream';
import { parseEvents } from '../support/anthropicStream';
import { postJson, startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness({
    tweak: (s) => {
      s.contextScaling = true;
      // A 100K-window model: Claude Code's 200K view is twice the real window.
      s.providers.openai.bigModel = 'small-window-model';
      s.providers.openai.modelRules = [{ match: '^small-window-model$', contextWindow: 100_000 }];
      // A terminal pinned to /p/groq talks to a 400K-window model instead.
      s.providers.groq.bigModel = 'wide-window-model';
      s.providers.groq.modelRules = [{ match: '^wide-window-model$', contextWindow: 400_000 }];
    },
  });
  client = new Anthropic({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.upstream.received.length = 0;
  h.controller.log.clear();
  h.upstream.fallback = { kind: 'json', body: completion('ok') };
});

const ask = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('context scaling', () => {
  it('non-streaming: the client sees input counts scaled by 200K / window; the log keeps the real ones', async () => {
    h.upstream.enqueue({
      kind: 'json',
      body: completion('ok', {
        usage: {
          prompt_tokens: 30_000,
          completion_tokens: 10,
          total_tokens: 30_010,
          prompt_tokens_details: { cached_tokens: 10_000 },
        },
      }),
    });
    const answer = await client.messages.create(ask);
    expect(answer.usage).toMatchObject({
      input_tokens: 40_000,
      cache_read_input_tokens: 20_000,
      output_tokens: 10,
    });
    expect(h.controller.log.records().at(-1)).toMatchObject({ inputTokens: 30_000, cacheReadTokens: 10_000 });
  });

  it('streaming: message_start carries a scaled estimate, message_delta the scaled exact count', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: textChunks(['o', 'k'], { prompt_tokens: 50_000, completion_tokens: 2 }),
    });
    const response = await postJson(h.baseUrl, '/v1/messages', { ...ask, stream: true });
    const events = parseEvents(await response.text());
    const start = events.find((e) => e.event === 'message_start')!.data.message.usage.input_tokens;
    expect(start).toBeGreaterThan(0);
    expect(events.find((e) => e.event === 'message_delta')!.data.usage).toMatchObject({
      input_tokens: 100_000,
      output_tokens: 2,
    });
    expect(h.controller.log.records().at(-1)).toMatchObject({ inputTokens: 50_000 });
  });

  it('against the window Claude Code assumes for the model it asked for (1M for claude-opus-5-5)', async () => {
    // Claude Code 2.1.332 reports contextWindow 1000000 for claude-opus-5-5 (--output-format json).
    h.upstream.enqueue({
      kind: 'json',
      body: completion('ok', { usage: { prompt_tokens: 30_000, completion_tokens: 1 } }),
    });
    const answer = await client.messages.create({ ...ask, model: 'claude-opus-5-5' });
    expect(answer.usage.input_tokens).toBe(300_000);
  });

  it('count_tokens is scaled the same way', async () => {
    const text = 'word '.repeat(2000);
    const scaled = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: text }],
    });
    const plain = await client.messages.countTokens({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: text }],
    });
    // `gpt-4o` passes through unchanged and OpenAI's rule gives it 128K: the two counts differ
    // by the ratio of their scales.
    expect(scaled.input_tokens / plain.input_tokens).toBeCloseTo(200_000 / 100_000 / (200_000 / 128_000), 1);
  });

  it('count_tokens under /p/<provider> scales against the pinned provider model', async () => {
    const text = 'word '.repeat(2000);
    const body = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: text }] };
    const active = await client.messages.countTokens(body);
    const pinned = new Anthropic({ baseURL: `${h.baseUrl}/p/groq`, apiKey: 'any', maxRetries: 0 });
    const onGroq = await pinned.messages.countTokens(body);
    // 200K / 100K on the active provider's model, 200K / 400K on the pinned one's.
    expect(active.input_tokens / onGroq.input_tokens).toBeCloseTo(2 / 0.5, 1);
  });

  it('TURNOUT_CONTEXT_SCALING=off turns it off', () => {
    expect(configFromEnv({}).settings.contextScaling).toBe(true);
    expect(configFromEnv({ TURNOUT_CONTEXT_SCALING: 'off' }).settings.contextScaling).toBe(false);
  });
});

describe('prompt is too long', () => {
  const tooLong = async () => {
    const error = await client.messages.create(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).error as { error: { type: string; message: string } };
  };

  it("OpenAI context_length_exceeded becomes Anthropic's 400, counts on Claude Code's scale", async () => {
    // https://platform.openai.com/docs/guides/error-codes (code context_length_exceeded).
    h.upstream.enqueue({
      kind: 'json',
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 100000 tokens. However, you requested 120000 tokens (119000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    });
    const body = await tooLong();
    expect(body.error).toEqual({
      type: 'invalid_request_error',
      message: 'prompt is too long: 240000 tokens > 200000 maximum',
    });
  });

  it('Gemini and Mistral wordings', async () => {
    // Gemini's OpenAI endpoint (reported in google-gemini/gemini-cli and litellm threads).
    h.upstream.enqueue({
      kind: 'json',
      status: 400,
      body: [
        {
          error: {
            code: 400,
            message: 'The input token count (150000) exceeds the maximum number of tokens allowed (100000).',
            status: 'INVALID_ARGUMENT',
          },
        },
      ],
    });
    expect((await tooLong()).error.message).toBe('prompt is too long: 300000 tokens > 200000 maximum');
    // Mistral (vLLM-style envelope): "Prompt contains … too large for model with … maximum context length".
    h.upstream.enqueue({
      kind: 'json',
      status: 400,
      body: {
        object: 'error',
        message:
          'Prompt contains 110000 tokens and 0 draft tokens, too large for model with 100000 maximum context length',
        type: 'invalid_request_error',
        param: null,
        code: '3051',
      },
    });
    expect((await tooLong()).error.message).toBe('prompt is too long: 220000 tokens > 200000 maximum');
  });

  it('a request that cannot fit the known window is refused before any upstream call', async () => {
    const huge = 'lorem ipsum dolor sit amet '.repeat(30_000); // ~200K tokens by the cheap estimate
    const error = await client.messages
      .create({ ...ask, messages: [{ role: 'user', content: huge }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toMatch(/prompt is too long: \d+ tokens > 200000 maximum/);
    expect(h.upstream.received).toHaveLength(0);
  });
});
