/**
 * `GET /api/usage` and `GET /api/status` through the real proxy (controller, Koa server, guard)
 * with a real usage store, after requests answered by fake upstreams that replay documented
 * usage shapes. The expected totals are the sums of what the fakes reported, and the expected
 * costs are worked out here by hand from the providers' published prices.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageStore } from '../../src/main/usage/usageStore';
import { chunk, completion } from '../support/fakeUpstream';
import { postJson, startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let store: UsageStore;

beforeEach(async () => {
  store = UsageStore.open(join(mkdtempSync(join(tmpdir(), 'turnout-usage-api-')), 'usage.sqlite'));
  h = await startHarness({ usageStore: store });
});

afterEach(async () => {
  await h.close();
});

const ask = (stream = false, model = 'claude-sonnet-4-5-20250929') =>
  postJson(h.baseUrl, '/v1/messages', {
    model,
    max_tokens: 256,
    stream,
    messages: [{ role: 'user', content: 'hello' }],
  });

async function getJson(path: string, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(`${h.baseUrl}${path}`, { headers });
  return { status: response.status, body: await response.json() };
}

/** OpenAI-style stream whose every chunk carries the usage so far, as vLLM does with
 * `stream_options.continuous_usage_stats` (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html). */
function cumulativeUsageStream(prompt: number, completions: number[]): unknown[] {
  return completions.map((done, i) => ({
    ...(chunk({ content: `part ${i} ` }, i === completions.length - 1 ? 'stop' : null) as object),
    usage: { prompt_tokens: prompt, completion_tokens: done, total_tokens: prompt + done },
  }));
}

/** Anthropic's stream as documented (https://docs.claude.com/en/docs/build-with-claude/streaming):
 * input counts in message_start, cumulative output counts in message_delta. */
function anthropicStream(usage: { input: number; cacheWrite: number; cacheRead: number; output: number }) {
  const event = (type: string, data: object) => ({
    raw: `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}`,
  });
  return [
    event('message_start', {
      message: {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: usage.cacheWrite,
          cache_read_input_tokens: usage.cacheRead,
          output_tokens: 1,
        },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi' } }),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: Math.floor(usage.output / 2) },
    }),
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
    event('message_stop', {}),
  ];
}

describe('usage API', () => {
  it('totals equal what the upstreams reported, and costs follow the price table', async () => {
    // 1. OpenAI gpt-5.1, not streamed: 1200 prompt tokens of which 200 cached, 80 out.
    h.upstream.enqueue({
      kind: 'json',
      body: completion('hi', {
        usage: {
          prompt_tokens: 1200,
          completion_tokens: 80,
          total_tokens: 1280,
          prompt_tokens_details: { cached_tokens: 200 },
        },
      }),
    });
    expect((await ask()).status).toBe(200);

    // 2. OpenAI gpt-5.1, streamed with cumulative usage on every chunk: 500 in, 40 out (not 10+20+30+40).
    h.upstream.enqueue({ kind: 'sse', events: cumulativeUsageStream(500, [10, 20, 30, 40]) });
    const streamed = await ask(true);
    expect(streamed.status).toBe(200);
    await streamed.text();

    // 3. Anthropic pass-through, streamed: 3000 in, 1000 cache writes, 2000 cache reads, 150 out.
    h.controller.setActiveProvider('anthropic');
    h.upstream.enqueue({
      kind: 'sse',
      done: false,
      events: anthropicStream({ input: 3000, cacheWrite: 1000, cacheRead: 2000, output: 150 }),
    });
    const passed = await ask(true);
    expect(passed.status).toBe(200);
    await passed.text();

    // 4. OpenRouter reports its own cost (https://openrouter.ai/docs/use-cases/usage-accounting): it wins.
    h.controller.addCustomProvider({ id: 'openrouter', label: 'OpenRouter', baseUrl: h.upstream.url });
    await h.controller.setKey('openrouter', 'sk-or-test-0123456789abcdef');
    h.controller.updateProvider('openrouter', { bigModel: 'gpt-5.1' });
    h.controller.setActiveProvider('openrouter');
    h.upstream.enqueue({
      kind: 'json',
      body: completion('hi', {
        usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, cost: 0.0123 },
      }),
    });
    expect((await ask()).status).toBe(200);

    // 5. A model with no known price: its cost stays unknown.
    h.controller.addCustomProvider({ id: 'local', label: 'Local', baseUrl: h.upstream.url });
    await h.controller.setKey('local', 'local-key-0123456789');
    h.controller.updateProvider('local', { bigModel: 'qwen3-coder-30b-local' });
    h.controller.setActiveProvider('local');
    h.upstream.enqueue({
      kind: 'json',
      body: completion('hi', { usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } }),
    });
    expect((await ask()).status).toBe(200);

    // 6. An upstream error counts as an error with no tokens.
    h.upstream.enqueue({ kind: 'json', status: 500, body: { error: { message: 'boom' } } });
    expect((await ask()).status).toBeGreaterThanOrEqual(500);

    const { status, body } = await getJson('/api/usage?groupBy=provider');
    expect(status).toBe(200);
    expect(body.totals).toEqual({
      requests: 6,
      inputTokens: 1000 + 500 + 3000 + 100 + 50,
      outputTokens: 80 + 40 + 150 + 20 + 10,
      cacheReadTokens: 200 + 2000,
      cacheWriteTokens: 1000,
      costUsd: expect.any(Number),
      unpricedRequests: 2,
      errors: 1,
      failovers: 0,
    });
    // gpt-5.1 $1.25 in, $0.125 cached, $10 out; Sonnet 4.5 $3 in, $3.75 cache write, $0.30 cache read, $15 out.
    const gpt1 = 1000 * 1.25e-6 + 200 * 0.125e-6 + 80 * 10e-6;
    const gpt2 = 500 * 1.25e-6 + 40 * 10e-6;
    const sonnet = 3000 * 3e-6 + 1000 * 3.75e-6 + 2000 * 0.3e-6 + 150 * 15e-6;
    expect(body.totals.costUsd).toBeCloseTo(gpt1 + gpt2 + sonnet + 0.0123, 10);

    const rows = Object.fromEntries(body.rows.map((r: any) => [r.provider, r]));
    expect(rows.openai).toMatchObject({ requests: 2, outputTokens: 120 });
    expect(rows.openai.costUsd).toBeCloseTo(gpt1 + gpt2, 10);
    expect(rows.anthropic.costUsd).toBeCloseTo(sonnet, 10);
    expect(rows.openrouter.costUsd).toBeCloseTo(0.0123, 10);
    expect(rows.local).toMatchObject({ requests: 2, costUsd: null, unpricedRequests: 2, errors: 1 });

    const byModel = await getJson('/api/usage?groupBy=model');
    const models = Object.fromEntries(byModel.body.rows.map((r: any) => [r.model, r.requests]));
    expect(models).toMatchObject({
      'gpt-5.1': 3,
      'claude-sonnet-4-5-20250929': 1,
      'qwen3-coder-30b-local': 2,
    });
  });

  it('uses the user price override for a model', async () => {
    h.controller.setModelPrice('gpt-5.1', { input: 2, output: 20 });
    h.upstream.enqueue({
      kind: 'json',
      body: completion('hi', { usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
    });
    await ask();
    const { body } = await getJson('/api/usage');
    expect(body.totals.costUsd).toBeCloseTo(1000 * 2e-6 + 100 * 20e-6, 10);
  });

  it('filters by time and rejects bad parameters in Anthropic’s error shape', async () => {
    await ask();
    const future = Date.now() + 60_000;
    const empty = await getJson(`/api/usage?from=${future}&to=${future + 1000}`);
    expect(empty.body.totals).toMatchObject({ requests: 0, costUsd: null });
    const all = await getJson(`/api/usage?from=${new Date(Date.now() - 60_000).toISOString()}`);
    expect(all.body.totals.requests).toBe(1);
    for (const query of ['groupBy=week', 'from=yesterday', `from=${future}&to=1`]) {
      const bad = await getJson(`/api/usage?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
  });

  it('reports status: active provider, health, today’s totals and the last request', async () => {
    h.upstream.enqueue({
      kind: 'json',
      body: completion('hi', { usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
    });
    await ask();
    const { status, body } = await getJson('/api/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: 'turnout',
      proxy: 'running',
      activeProvider: 'openai',
      health: 'ok',
      usageEnabled: true,
      today: { requests: 1, inputTokens: 1000, outputTokens: 100 },
      last: { provider: 'openai', model: 'gpt-5.1', status: 200 },
    });
    expect(body.today.costUsd).toBeCloseTo(1000 * 1.25e-6 + 100 * 10e-6, 10);
    expect(body.last.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is refused to web pages like the proxy itself', async () => {
    const { status } = await getJson('/api/status', { origin: 'https://evil.example' });
    expect(status).toBe(403);
  });
});

describe('usage API behind an access token', () => {
  it('needs the token like the proxy', async () => {
    await h.close();
    h = await startHarness({
      usageStore: UsageStore.open(join(mkdtempSync(join(tmpdir(), 'turnout-usage-api-')), 'usage.sqlite')),
      accessToken: 'local-token-0123456789abcdef',
      tweak: (s) => (s.requireAccessToken = true),
    });
    expect((await getJson('/api/usage')).status).toBe(401);
    const ok = await getJson('/api/usage', { authorization: 'Bearer local-token-0123456789abcdef' });
    expect(ok.status).toBe(200);
  });
});
