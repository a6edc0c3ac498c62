/**
 * Fault injection over real HTTP: the fake upstream resets, hangs, trickles, stalls, answers
 * with HTML or garbage. Every time the client gets a proper Anthropic error (a status before the
 * first byte, `event: error` after it), the log says what happened, the proxy stays up, the next
 * request succeeds, and nothing escapes as an unhandled rejection or exception.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunk, startSilentServer, textChunks } from '../support/fakeUpstream';
import { postJson, startHarness, type Harness } from '../support/proxyHarness';
import { checkGrammar, parseEvents, sdkVerdict } from '../support/anthropicStream';

const unhandledRejection = vi.fn();
const uncaughtException = vi.fn();
process.on('unhandledRejection', unhandledRejection);
process.on('uncaughtException', uncaughtException);

const TIMEOUTS = { connectMs: 300, firstByteMs: 700, idleMs: 500 };

const request = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

const post = (h: Harness, payload: unknown, headers: Record<string, string> = {}) =>
  postJson(h.baseUrl, '/v1/messages', payload, headers);

async function expectError(res: Response, status: number, type: string): Promise<string> {
  const body = await res.json();
  expect({ status: res.status, type: body.error?.type }).toEqual({ status, type });
  expect(body.type).toBe('error');
  expect(body.request_id).toMatch(/^req_/);
  expect(res.headers.get('request-id')).toBe(body.request_id);
  expect(body.error.message).not.toMatch(/\n\s+at /); // no stack trace
  return body.error.message as string;
}

/** A 200 stream that ends in `event: error` of `type`, accepted as such by the official SDK. */
async function expectStreamError(res: Response, type: string): Promise<string> {
  expect(res.status).toBe(200);
  const text = await res.text();
  const verdict = checkGrammar(parseEvents(text));
  expect(verdict).toMatchObject({ outcome: 'error', errorType: type });
  const sdk = await sdkVerdict(text);
  expect(sdk.apiError).toBeDefined();
  return parseEvents(text).at(-1)!.data.error.message;
}

const lastRecord = (h: Harness) => h.controller.log.records().at(-1)!;

/** The proxy is still up and the next request goes through. */
async function expectHealthy(h: Harness): Promise<void> {
  const res = await post(h, request());
  expect(res.status).toBe(200);
  expect((await res.json()).content[0].text).toBe('ok');
}

afterAll(() => {
  process.off('unhandledRejection', unhandledRejection);
  process.off('uncaughtException', uncaughtException);
});

describe('OpenAI-compatible upstream faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tweak: (s) => Object.assign(s.timeouts, TIMEOUTS) });
  });
  afterAll(() => h.close());
  afterEach(async () => {
    await expectHealthy(h);
    expect(unhandledRejection).not.toHaveBeenCalled();
    expect(uncaughtException).not.toHaveBeenCalled();
  });

  it('connection reset before headers → 502 api_error (non-streaming and streaming)', async () => {
    h.upstream.enqueue({ kind: 'reset' });
    const message = await expectError(await post(h, request()), 502, 'api_error');
    expect(message).toMatch(/^Could not reach OpenAI/);
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 502, retries: 0 });

    h.upstream.enqueue({ kind: 'reset' });
    await expectError(await post(h, request({ stream: true })), 502, 'api_error');
  });

  it('connection reset mid-stream → event: error (api_error); the log records the failure', async () => {
    h.upstream.enqueue({ kind: 'sse', events: textChunks(['par', 'tial']).slice(0, 2), reset: true });
    const message = await expectStreamError(await post(h, request({ stream: true })), 'api_error');
    expect(message).toContain('OpenAI');
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 200, stream: true });
    expect(lastRecord(h).error).toBe(message);
  });

  it('an upstream that never answers → 504 timeout_error after the first-byte timeout', async () => {
    const abortedBefore = h.upstream.aborted;
    h.upstream.enqueue({ kind: 'hang' });
    const started = Date.now();
    const message = await expectError(await post(h, request({ stream: true })), 504, 'timeout_error');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUTS.firstByteMs - 50);
    expect(Date.now() - started).toBeLessThan(TIMEOUTS.firstByteMs + 2000);
    expect(message).toContain('first-byte timeout');
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 504 });
    await vi.waitFor(() => expect(h.upstream.aborted).toBe(abortedBefore + 1));
  });

  it('an upstream that does not complete the connection → 504 timeout_error (connect timeout)', async () => {
    // A TLS handshake that never completes. (undici checks connect timeouts about once a
    // second, so the first-byte timeout is raised well above that for this case.)
    const silent = await startSilentServer();
    const original = h.controller.getSettings();
    try {
      const settings = h.controller.getSettings();
      settings.providers.openai.baseUrl = `https://127.0.0.1:${silent.port}/v1`;
      settings.timeouts.firstByteMs = 10_000;
      h.controller.replaceSettings(settings);
      const started = Date.now();
      const message = await expectError(await post(h, request()), 504, 'timeout_error');
      expect(message).toBe('OpenAI did not accept a connection in time (connect timeout).');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      h.controller.replaceSettings(original);
      await silent.close();
    }
  });

  it('headers then silence → 504 timeout_error before anything was streamed', async () => {
    let release!: () => void;
    h.upstream.enqueue({ kind: 'sse', events: [{ waitFor: new Promise<void>((r) => (release = r)) }] });
    const message = await expectError(await post(h, request({ stream: true })), 504, 'timeout_error');
    expect(message).toMatch(/sent no data for 0.5 s/);
    release();
  });

  it('a slow trickle within the idle timeout succeeds', async () => {
    const parts = ['a', 'b', 'c', 'd', 'e'];
    const events = textChunks(parts).flatMap((c) => [{ pauseMs: TIMEOUTS.idleMs * 0.6 }, c]);
    h.upstream.enqueue({ kind: 'sse', events });
    const res = await post(h, request({ stream: true }));
    const text = await res.text();
    const verdict = checkGrammar(parseEvents(text));
    expect(verdict).toMatchObject({ outcome: 'complete', text: 'abcde' });
    expect((await sdkVerdict(text)).message?.content).toMatchObject([{ type: 'text', text: 'abcde' }]);
    expect(lastRecord(h)).toMatchObject({ state: 'done', status: 200 });
  });

  it('a stall longer than the idle timeout mid-stream → event: error (timeout_error), upstream aborted', async () => {
    const abortedBefore = h.upstream.aborted;
    const events = [...textChunks(['one']).slice(0, 2), { pauseMs: TIMEOUTS.idleMs * 4 }, chunk({}, 'stop')];
    h.upstream.enqueue({ kind: 'sse', events });
    const message = await expectStreamError(await post(h, request({ stream: true })), 'timeout_error');
    expect(message).toMatch(/stopped sending data for 0.5 s/);
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 200 });
    await vi.waitFor(() => expect(h.upstream.aborted).toBe(abortedBefore + 1));
  });

  it('an HTML 502 page → 502 api_error with the page reduced to text', async () => {
    const page =
      '<html><head><style>h1{}</style></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';
    h.upstream.enqueue({ kind: 'raw', status: 502, body: page, headers: { 'content-type': 'text/html' } });
    const message = await expectError(await post(h, request()), 502, 'api_error');
    expect(message).toBe('502 Bad Gateway nginx');
    h.upstream.enqueue({ kind: 'raw', status: 502, body: page, headers: { 'content-type': 'text/html' } });
    await expectError(await post(h, request({ stream: true })), 502, 'api_error');
  });

  it('invalid JSON in a chunk → event: error mid-stream, 502 when it is the first chunk', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [...textChunks(['fine']).slice(0, 2), { raw: 'data: {"choices": [' }],
    });
    await expectStreamError(await post(h, request({ stream: true })), 'api_error');
    expect(lastRecord(h).state).toBe('error');

    h.upstream.enqueue({ kind: 'sse', events: [{ raw: 'data: not json at all' }] });
    await expectError(await post(h, request({ stream: true })), 502, 'api_error');
  });

  it('malformed SSE lines (comments, unknown fields, stray text) are skipped', async () => {
    const [first, ...rest] = textChunks(['still ', 'fine']);
    h.upstream.enqueue({
      kind: 'sse',
      events: [{ raw: ': keep-alive comment' }, first, { raw: 'retry: 10\nbogus line' }, ...rest],
    });
    const verdict = checkGrammar(parseEvents(await (await post(h, request({ stream: true }))).text()));
    expect(verdict).toMatchObject({ outcome: 'complete', text: 'still fine' });
  });

  it('chunks of the wrong shape end in a valid stream or event: error, never a cut connection', async () => {
    const shapes = [
      { choices: 'nope' },
      { choices: [{ delta: 5 }] },
      [1, 2],
      'text',
      null,
      { choices: [null] },
    ];
    for (const bad of shapes) {
      h.upstream.enqueue({
        kind: 'sse',
        events: [textChunks(['x'])[0], chunk({ content: 'x' }), bad, chunk({}, 'stop')],
      });
      const text = await (await post(h, request({ stream: true }))).text();
      const verdict = checkGrammar(parseEvents(text));
      expect(['complete', 'error']).toContain(verdict.outcome);
      await sdkVerdict(text);
    }
  });

  it('a 200 whose body is an error object → that error, not an empty answer', async () => {
    h.upstream.enqueue({
      kind: 'json',
      body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 429 } },
    });
    expect(await expectError(await post(h, request()), 429, 'rate_limit_error')).toBe(
      'You exceeded your current quota',
    );
    h.upstream.enqueue({ kind: 'json', body: { error: { message: 'backend exploded' } } });
    expect(await expectError(await post(h, request()), 502, 'api_error')).toBe('backend exploded');
  });

  it('an error object as the first chunk → its status; mid-stream → event: error of its type', async () => {
    h.upstream.enqueue({ kind: 'sse', events: [{ error: { message: 'Rate limit reached', code: 429 } }] });
    await expectError(await post(h, request({ stream: true })), 429, 'rate_limit_error');

    h.upstream.enqueue({
      kind: 'sse',
      events: [...textChunks(['so far']).slice(0, 2), { error: { message: 'Model overloaded', code: 503 } }],
    });
    const message = await expectStreamError(await post(h, request({ stream: true })), 'overloaded_error');
    expect(message).toBe('Model overloaded');
  });

  it('a 200 stream that ends without [DONE] or finish_reason still closes the message properly', async () => {
    h.upstream.enqueue({ kind: 'sse', events: textChunks(['cut']).slice(0, 2), done: false });
    const text = await (await post(h, request({ stream: true }))).text();
    expect(['complete', 'error']).toContain(checkGrammar(parseEvents(text)).outcome);
  });
});

describe('retries before the first byte', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      tweak: (s) => {
        Object.assign(s.timeouts, TIMEOUTS);
        s.maxRetries = 2;
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.upstream.received.length = 0;
  });
  afterEach(async () => {
    await expectHealthy(h);
    expect(unhandledRejection).not.toHaveBeenCalled();
  });

  const rateLimited = (headers: Record<string, string>) => ({
    kind: 'json' as const,
    status: 429,
    body: { error: { message: 'Slow down', type: 'rate_limit' } },
    headers,
  });

  it('retries a 429 after the retry-after it was given, and logs one retry', async () => {
    h.upstream.enqueue(rateLimited({ 'retry-after': '0.3' }));
    const started = Date.now();
    const res = await post(h, request());
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(h.upstream.received).toHaveLength(2);
    expect(lastRecord(h)).toMatchObject({ state: 'done', retries: 1 });
  });

  it('honours retry-after-ms too', async () => {
    h.upstream.enqueue(
      rateLimited({ 'retry-after-ms': '200' }),
      rateLimited({ 'retry-after-ms': '200' }),
      // A stream request gets a stream (a JSON body to a stream request is a failure now logged as such).
      { kind: 'sse', events: textChunks(['ok']) },
    );
    const started = Date.now();
    const res = await post(h, request({ stream: true }));
    expect(res.status).toBe(200);
    await res.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(lastRecord(h)).toMatchObject({ state: 'done', retries: 2 });
  });

  it('gives up after maxRetries and mirrors the last error with its retry-after', async () => {
    const overloaded = {
      kind: 'json' as const,
      status: 503,
      body: { error: { message: 'Service unavailable' } },
      headers: { 'retry-after': '0.05' },
    };
    h.upstream.enqueue(overloaded, overloaded, overloaded);
    const res = await post(h, request());
    expect(res.headers.get('retry-after')).toBe('0.05');
    expect(await expectError(res, 503, 'overloaded_error')).toBe('Service unavailable');
    expect(h.upstream.received).toHaveLength(3);
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 503, retries: 2 });
  });

  it('does not sit out a retry-after longer than 30 s: the client gets the 429 and decides', async () => {
    h.upstream.enqueue(rateLimited({ 'retry-after': '3600' }));
    const started = Date.now();
    const res = await post(h, request());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.headers.get('retry-after')).toBe('3600');
    await expectError(res, 429, 'rate_limit_error');
    expect(h.upstream.received).toHaveLength(1);
    expect(lastRecord(h).retries).toBe(0);
  });

  it('does not retry a 429 that says the quota is spent: the error comes back at once', async () => {
    // OpenAI's spent-quota 429 (https://platform.openai.com/docs/guides/error-codes), and the
    // "Usage limit reached" wording users of other proxies report.
    for (const message of [
      'You exceeded your current quota, please check your plan and billing details.',
      'Usage limit reached for this month.',
    ]) {
      h.upstream.received.length = 0;
      h.upstream.enqueue({
        kind: 'json',
        status: 429,
        body: { error: { message, type: 'insufficient_quota' } },
        headers: { 'retry-after': '0.3' },
      });
      const started = Date.now();
      const res = await post(h, request());
      expect(await expectError(res, 429, 'rate_limit_error')).toBe(message);
      expect(Date.now() - started).toBeLessThan(300);
      expect(h.upstream.received).toHaveLength(1);
      expect(lastRecord(h).retries).toBe(0);
    }
  });

  it('retries a connection reset before headers', async () => {
    h.upstream.enqueue({ kind: 'reset' });
    expect((await post(h, request())).status).toBe(200);
    expect(lastRecord(h)).toMatchObject({ state: 'done', retries: 1 });
  });

  it('never retries once streaming began', async () => {
    h.upstream.enqueue({ kind: 'sse', events: textChunks(['half']).slice(0, 2), reset: true });
    await expectStreamError(await post(h, request({ stream: true })), 'api_error');
    expect(h.upstream.received).toHaveLength(1);
    expect(lastRecord(h)).toMatchObject({ state: 'error', retries: 0 });
  });

  it('does not retry a 4xx other than 408/409/429', async () => {
    h.upstream.enqueue({ kind: 'json', status: 400, body: { error: { message: 'bad tool schema' } } });
    await expectError(await post(h, request()), 400, 'invalid_request_error');
    expect(h.upstream.received).toHaveLength(1);
  });

  it('sends no extra header of ours upstream', async () => {
    await post(h, request());
    const names = Object.keys(h.upstream.received[0].headers);
    expect(names.filter((n) => /turnout|attempt|request-id/i.test(n))).toEqual([]);
  });
});

describe('Anthropic pass-through faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ provider: 'anthropic', tweak: (s) => Object.assign(s.timeouts, TIMEOUTS) });
  });
  afterAll(() => h.close());
  afterEach(async () => {
    h.upstream.enqueue({
      kind: 'json',
      body: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
    });
    await expectHealthy(h);
    expect(unhandledRejection).not.toHaveBeenCalled();
  });

  const anthropicEvents = (text: string) => [
    {
      raw: `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } } })}`,
    },
    {
      raw: `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}`,
    },
    {
      raw: `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}`,
    },
  ];

  it('reset before headers → 502 api_error', async () => {
    h.upstream.enqueue({ kind: 'reset' });
    await expectError(await post(h, request()), 502, 'api_error');
  });

  it('no answer → 504 timeout_error', async () => {
    h.upstream.enqueue({ kind: 'hang' });
    await expectError(await post(h, request()), 504, 'timeout_error');
  });

  it('an HTML 503 page → 503 overloaded_error in Anthropic shape', async () => {
    h.upstream.enqueue({
      kind: 'raw',
      status: 503,
      body: '<h1>Service Unavailable</h1>',
      headers: { 'content-type': 'text/html' },
    });
    expect(await expectError(await post(h, request()), 503, 'overloaded_error')).toBe('Service Unavailable');
  });

  it('a stall mid-stream → event: error (timeout_error)', async () => {
    h.upstream.enqueue({
      kind: 'sse',
      events: [...anthropicEvents('partial'), { pauseMs: TIMEOUTS.idleMs * 4 }],
      done: false,
    });
    await expectStreamError(await post(h, request({ stream: true })), 'timeout_error');
  });

  it('a reset mid-stream → event: error (api_error)', async () => {
    h.upstream.enqueue({ kind: 'sse', events: anthropicEvents('partial'), reset: true });
    await expectStreamError(await post(h, request({ stream: true })), 'api_error');
  });
});
