/**
 * What a hostile client or a broken upstream could still do to the proxy (issue 9), over real
 * HTTP: each case asserts the answer, and where the point is that one client cannot stall the
 * others, that a small request sent meanwhile was answered without delay.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { countTokens as exactTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatLogLine } from '../../src/main/app/logLines';
import { chunk, textChunks } from '../support/fakeUpstream';
import { postJson, startHarness, TEST_KEYS, type Harness } from '../support/proxyHarness';
import { checkGrammar, parseEvents, sdkVerdict } from '../support/anthropicStream';

const unhandledRejection = vi.fn();
const uncaughtException = vi.fn();
process.on('unhandledRejection', unhandledRejection);
process.on('uncaughtException', uncaughtException);
afterAll(() => {
  process.off('unhandledRejection', unhandledRejection);
  process.off('uncaughtException', uncaughtException);
});

const TIMEOUTS = { connectMs: 300, firstByteMs: 1500, idleMs: 500 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const request = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

const lastRecord = (h: Harness) => h.controller.log.records().at(-1)!;

async function expectError(res: Response, status: number, type: string): Promise<string> {
  const body = await res.json();
  expect({ status: res.status, type: body.error?.type }).toEqual({ status, type });
  expect(body.type).toBe('error');
  return body.error.message as string;
}

/** A 200 stream that ends in `event: error`, accepted as such by the official SDK. */
async function expectStreamError(res: Response, type = 'api_error'): Promise<string> {
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(checkGrammar(parseEvents(text))).toMatchObject({ outcome: 'error', errorType: type });
  expect((await sdkVerdict(text)).apiError).toBeDefined();
  return parseEvents(text).at(-1)!.data.error.message;
}

/**
 * Sends a small count_tokens request every `everyMs`, without waiting for the previous one,
 * until `until` settles; returns their latencies. A blocked event loop shows up as long ones.
 */
async function probeLatencies(h: Harness, until: Promise<unknown>, everyMs = 10): Promise<number[]> {
  let settled = false;
  void until.finally(() => (settled = true)).catch(() => undefined);
  const probe = async () => {
    const started = performance.now();
    const res = await postJson(h.baseUrl, '/v1/messages/count_tokens', {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'small' }],
    });
    expect(res.status).toBe(200);
    await res.json();
    return performance.now() - started;
  };
  const probes: Array<Promise<number>> = [];
  do {
    probes.push(probe());
    await sleep(everyMs);
  } while (!settled);
  return Promise.all(probes);
}

/** The same probes with nothing else going on: what "not delayed" is measured against. */
async function baselineLatency(h: Harness): Promise<number> {
  const latencies = await probeLatencies(h, sleep(300));
  return Math.max(...latencies);
}

/**
 * Timing on a shared, busy machine is noisy in one direction only (a descheduled process looks
 * slow). A measurement is taken up to three times and the best kept: code that blocks the event
 * loop fails every attempt by a wide margin (the report measured seconds), noise rarely thrice.
 */
async function bestOf<T>(attempt: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await attempt();
  for (let i = 1; i < 3 && !ok(value); i++) value = await attempt();
  return value;
}

/** The longest the event loop was blocked while `work` ran (the proxy runs in this process). */
async function eventLoopBlock<T>(work: Promise<T>): Promise<{ result: T; maxBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work;
    return { result, maxBlockMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

describe('count_tokens on hostile text', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // Load the tokenizer's tables and warm the code paths (JIT) before timing anything.
    await postJson(h.baseUrl, '/v1/messages/count_tokens', request());
    const warm = await postJson(
      h.baseUrl,
      '/v1/messages/count_tokens',
      request({ messages: [{ role: 'user', content: 'warm-up text '.repeat(80_000) }] }),
    );
    expect(warm.status).toBe(200);
  });
  afterAll(() => h.close());

  const MB = 1024 * 1024;
  const random = (n: number, alphabet: string) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
    return s;
  };
  const texts: Record<string, () => string> = {
    // The shapes that made gpt-tokenizer's BPE super-linear (issue 9, item 1).
    'one run of a letter': () => 'a'.repeat(MB),
    'a DNA sequence': () => random(MB, 'ACGT'),
    'base64 without separators': () =>
      Buffer.from(Array.from({ length: (MB * 3) / 4 }, () => Math.floor(Math.random() * 256))).toString(
        'base64',
      ),
    'random words': () => random(MB, 'abcdefghij klmnopqrstuvwxyz '),
  };

  const single = (text: string) => [{ role: 'user', content: text }];
  // Many medium pieces use up the exact-count budget before anything is extrapolated: the slowest case.
  const pieces = (text: string) =>
    Array.from({ length: 64 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: text.slice(i * 16 * 1024, (i + 1) * 16 * 1024),
    }));
  const shapes: Array<[string, () => string, (text: string) => unknown[]]> = [
    ...Object.entries(texts).map(
      ([name, make]) => [name, make, single] as [string, () => string, typeof single],
    ),
    ['a DNA sequence in 64 messages of 16 KB', texts['a DNA sequence'], pieces],
  ];

  for (const [name, make, messages] of shapes) {
    it(`1 MB of ${name}: answered in under a second, a small request meanwhile not delayed by more than 50 ms`, async () => {
      const text = make();
      const measure = async () => {
        const baseline = await baselineLatency(h);
        const started = performance.now();
        const big = postJson(h.baseUrl, '/v1/messages/count_tokens', {
          model: 'claude-sonnet-4-5',
          messages: messages(text),
        }).then(async (res) => ({
          status: res.status,
          body: await res.json(),
          ms: performance.now() - started,
        }));
        const { result: latencies, maxBlockMs } = await eventLoopBlock(probeLatencies(h, big));
        return {
          answer: await big,
          baseline,
          latency: Math.max(...latencies),
          n: latencies.length,
          maxBlockMs,
        };
      };
      const m = await bestOf(
        measure,
        (m) => m.answer.ms < 1000 && m.latency < m.baseline + 50 && m.maxBlockMs < 50,
      );
      console.info(
        `count_tokens, 1 MB of ${name}: ${m.answer.ms.toFixed(0)} ms; small requests meanwhile: max ` +
          `${m.latency.toFixed(0)} ms (idle baseline ${m.baseline.toFixed(0)} ms), n=${m.n}; ` +
          `longest event-loop block ${m.maxBlockMs.toFixed(0)} ms`,
      );
      expect(m.answer.status).toBe(200);
      expect(m.answer.ms).toBeLessThan(1000);
      expect(m.latency).toBeLessThan(m.baseline + 50);
      expect(m.maxBlockMs).toBeLessThan(50);
      // Close to an exact count (measured here straight with the tokenizer on a sample of the
      // same text): within 15 %, plus the per-message framing.
      const sample = text.slice(0, 16 * 1024);
      const expected = (exactTokens(sample) / sample.length) * text.length;
      expect(m.answer.body.input_tokens).toBeGreaterThan(expected * 0.85);
      expect(m.answer.body.input_tokens).toBeLessThan(expected * 1.15 + 4 * 64 + 10);
    });
  }

  it('short texts are still counted exactly', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    const res = await postJson(h.baseUrl, '/v1/messages/count_tokens', {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: text }],
    });
    // 4 tokens of framing per message.
    expect((await res.json()).input_tokens).toBe(exactTokens(text) + 4);
  });
});

describe('upstream stream reading', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tweak: (s) => Object.assign(s.timeouts, TIMEOUTS) });
  });
  afterAll(() => h.close());
  afterEach(() => {
    expect(unhandledRejection).not.toHaveBeenCalled();
    expect(uncaughtException).not.toHaveBeenCalled();
  });

  it('one 20 MB event (an image as a data URL) arriving in 64 KB pieces: linear, others not stalled', async () => {
    const content = `data:image/png;base64,${'QUJD'.repeat(5 * 1024 * 1024)}`;
    const event = `data: ${JSON.stringify(chunk({ content }))}\n\n`;
    h.upstream.enqueue({
      kind: 'custom',
      handle: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const start = `data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`;
        res.write(start);
        for (let i = 0; i < event.length; i += 64 * 1024) {
          if (!res.write(event.slice(i, i + 64 * 1024))) await new Promise((r) => res.once('drain', r));
        }
        res.end(`data: ${JSON.stringify(chunk({}, 'stop'))}\n\ndata: [DONE]\n\n`);
      },
    });
    const baseline = await baselineLatency(h);
    const started = performance.now();
    const stream = postJson(h.baseUrl, '/v1/messages', request({ stream: true })).then(async (res) => ({
      res,
      text: await res.text(),
      ms: performance.now() - started,
    }));
    const latencies = await probeLatencies(h, stream, 25);
    const { res, text, ms } = await stream;
    expect(res.status).toBe(200);
    const events = parseEvents(text);
    expect(checkGrammar(events)).toMatchObject({ outcome: 'complete' });
    const received = events
      .filter((e) => e.data?.delta?.type === 'text_delta')
      .map((e) => e.data.delta.text)
      .join('');
    expect(received).toBe(content);
    // Quadratic reading took 12.5 s of CPU and stalled others 8.6 s. Linear reading still has to
    // parse and re-serialise one 20 MB JSON event in one go (about 0.1–0.3 s).
    expect(ms).toBeLessThan(4000);
    expect(Math.max(...latencies)).toBeLessThan(baseline + 1000);
    console.info(
      `20 MB SSE event: ${ms.toFixed(0)} ms end to end; small requests meanwhile: max ` +
        `${Math.max(...latencies).toFixed(0)} ms (baseline ${baseline.toFixed(0)} ms), n=${latencies.length}`,
    );
  });

  it('one large event trickling in at 1 byte per 100 ms is not "idle" (bytes count, not events)', async () => {
    const event = `data: ${JSON.stringify(chunk({ content: 'slow but steady' }))}\n\n`;
    h.upstream.enqueue({
      kind: 'custom',
      handle: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`);
        // 20 bytes one at a time (2 s, four idle timeouts), then the rest at once.
        for (let i = 0; i < 20; i++) {
          res.write(event[i]);
          await sleep(100);
        }
        res.end(`${event.slice(20)}data: ${JSON.stringify(chunk({}, 'stop'))}\n\ndata: [DONE]\n\n`);
      },
    });
    const res = await postJson(h.baseUrl, '/v1/messages', request({ stream: true }));
    const text = await res.text();
    expect(checkGrammar(parseEvents(text))).toMatchObject({ outcome: 'complete' });
    expect(text).toContain('slow but steady');
    expect(lastRecord(h)).toMatchObject({ state: 'done', status: 200 });
  });

  it('keep-alive comment lines (`: OPENROUTER PROCESSING`) count as upstream activity', async () => {
    // OpenRouter documents these comments on streams while the model works:
    // https://openrouter.ai/docs/api-reference/streaming
    h.upstream.enqueue({
      kind: 'sse',
      events: [
        ...Array.from({ length: 8 }, () => [{ raw: ': OPENROUTER PROCESSING' }, { pauseMs: 200 }]).flat(),
        ...textChunks(['after the wait']),
      ],
    });
    const res = await postJson(h.baseUrl, '/v1/messages', request({ stream: true }));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(checkGrammar(parseEvents(text))).toMatchObject({ outcome: 'complete' });
    expect(text).toContain('after the wait');
  });

  it('a stream still goes idle when nothing at all arrives', async () => {
    h.upstream.enqueue({ kind: 'sse', events: [...textChunks(['a']).slice(0, 2), { pauseMs: 1500 }] });
    const message = await expectStreamError(
      await postJson(h.baseUrl, '/v1/messages', request({ stream: true })),
      'timeout_error',
    );
    expect(message).toMatch(/stopped sending data for 0.5 s/);
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 200 });
  });

  it('a non-streamed answer whose body stalls after the headers → 504 after the idle timeout (body timeout)', async () => {
    h.upstream.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"chatcmpl-1","choices":[');
        // …and nothing more until the proxy gives up.
      },
    });
    const started = Date.now();
    const message = await expectError(
      await postJson(h.baseUrl, '/v1/messages', request()),
      504,
      'timeout_error',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(message).toMatch(/body timeout/);
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 504 });
    await sleep(50);
    expect(h.upstream.inFlight()).toBe(0);
  });

  it('a non-streamed answer trickling in slower than the answer but faster than the idle timeout completes', async () => {
    const body = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'trickled' }, finish_reason: 'stop' }],
    });
    h.upstream.enqueue({
      kind: 'custom',
      handle: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < body.length; i += 40) {
          res.write(body.slice(i, i + 40));
          await sleep(150);
        }
        res.end();
      },
    });
    const res = await postJson(h.baseUrl, '/v1/messages', request());
    expect(res.status).toBe(200);
    expect((await res.json()).content[0].text).toBe('trickled');
  });
});

describe('streams that end in `event: error` are logged as errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tweak: (s) => Object.assign(s.timeouts, TIMEOUTS) });
  });
  afterAll(() => h.close());

  const cases: Array<{ name: string; step: Parameters<Harness['upstream']['enqueue']>[0]; reason: RegExp }> =
    [
      {
        name: 'no finish reason',
        step: { kind: 'sse', events: textChunks(['partial']).slice(0, 2) },
        reason: /without a finish reason/,
      },
      {
        name: 'broken tool arguments',
        step: {
          kind: 'sse',
          events: [
            chunk({
              role: 'assistant',
              tool_calls: [
                { index: 0, id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"a":' } },
              ],
            }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: '}}}' } }] }),
            chunk({}, 'tool_calls'),
          ],
        },
        reason: /malformed arguments for tool Read/,
      },
      {
        name: 'an empty 200',
        step: { kind: 'sse', events: [] },
        reason: /without a finish reason/,
      },
      {
        name: 'an HTML 200',
        step: {
          kind: 'raw',
          status: 200,
          body: '<html><body>Welcome to nginx</body></html>',
          headers: { 'content-type': 'text/html' },
        },
        reason: /without a finish reason/,
      },
    ];

  for (const { name, step, reason } of cases) {
    it(`${name}: the client gets event: error and the log says error with the reason`, async () => {
      h.upstream.enqueue(step);
      const message = await expectStreamError(
        await postJson(h.baseUrl, '/v1/messages', request({ stream: true })),
      );
      expect(message).toMatch(reason);
      expect(lastRecord(h)).toMatchObject({ state: 'error', status: 200, error: message });
    });
  }
});

describe('redaction of upstream strings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a tool name that echoes the key is redacted in the malformed-arguments error and the log', async () => {
    const key = TEST_KEYS.openai;
    h.upstream.enqueue({
      kind: 'sse',
      events: [
        chunk({
          role: 'assistant',
          tool_calls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: key, arguments: '{"a":' } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '!!' } }] }),
        chunk({}, 'tool_calls'),
      ],
    });
    const res = await postJson(h.baseUrl, '/v1/messages', request({ stream: true }));
    const text = await res.text();
    expect(text).not.toContain(key);
    expect(parseEvents(text).at(-1)!.data.error.message).toMatch(/malformed arguments for tool \[redacted\]/);
    expect(JSON.stringify(lastRecord(h))).not.toContain(key);
    expect(lastRecord(h).state).toBe('error');
  });
});

/** An HTTP server on 127.0.0.1 that records what reaches it (the origin a redirect points at). */
async function startRecorder(): Promise<{
  url: string;
  received: IncomingMessage[];
  close(): Promise<void>;
}> {
  const received: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    received.push(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ stolen: req.headers['x-api-key'] ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('Anthropic pass-through', () => {
  let h: Harness;
  let elsewhere: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    h = await startHarness({ provider: 'anthropic', tweak: (s) => Object.assign(s.timeouts, TIMEOUTS) });
    elsewhere = await startRecorder();
  });
  afterAll(async () => {
    await h.close();
    await elsewhere.close();
  });

  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} redirect to another origin is not followed: the key goes nowhere, the client gets an error naming ${status}`, async () => {
      h.upstream.enqueue({
        kind: 'raw',
        status,
        body: '',
        headers: { location: `${elsewhere.url}/v1/messages` },
      });
      const message = await expectError(
        await postJson(h.baseUrl, '/v1/messages', request()),
        502,
        'api_error',
      );
      expect(message).toContain(`HTTP ${status}`);
      expect(elsewhere.received).toHaveLength(0);
      expect(lastRecord(h)).toMatchObject({ state: 'error', status: 502 });
    });
  }

  it('forwarded response headers (request-id, anthropic-*) are redacted', async () => {
    const key = TEST_KEYS.anthropic;
    h.upstream.enqueue({
      kind: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'm',
        stop_reason: 'end_turn',
        usage: { input_tokens: 1, output_tokens: 1 },
      },
      headers: { 'request-id': `req_${key}`, 'anthropic-organization-id': key, 'retry-after': key },
    });
    const res = await postJson(h.baseUrl, '/v1/messages', request());
    expect(res.status).toBe(200);
    const headers = JSON.stringify([...res.headers]);
    expect(headers).not.toContain(key);
    expect(res.headers.get('anthropic-organization-id')).toBe('[redacted]');
  });

  it('an error body that stalls after the headers → 504 after the idle timeout', async () => {
    h.upstream.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.write('{"type":"error","error":{"type":"api_error","mess');
      },
    });
    const started = Date.now();
    const message = await expectError(
      await postJson(h.baseUrl, '/v1/messages', request()),
      504,
      'timeout_error',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(message).toMatch(/body timeout/);
    await sleep(50);
    expect(h.upstream.inFlight()).toBe(0);
  });

  it("a forwarded Anthropic error, and a stream ending in Anthropic's own event: error, are logged as errors", async () => {
    h.upstream.enqueue({
      kind: 'json',
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    expect((await postJson(h.baseUrl, '/v1/messages', request())).status).toBe(529);
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 529, error: 'Overloaded' });

    // Anthropic's documented mid-stream error: https://docs.anthropic.com/en/api/messages-streaming#error-events
    h.upstream.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n' +
            'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
        );
      },
    });
    const res = await postJson(h.baseUrl, '/v1/messages', request({ stream: true }));
    await res.text();
    expect(lastRecord(h)).toMatchObject({ state: 'error', status: 200, error: 'Overloaded' });
  });
});

describe('upstream error bodies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tweak: (s) => Object.assign(s.timeouts, TIMEOUTS) });
  });
  afterAll(() => h.close());

  it('a 160 KB error page of `<a<a<a…` with no `>` is reduced to text at once, others not delayed', async () => {
    const measure = async () => {
      h.upstream.enqueue({
        kind: 'raw',
        status: 502,
        body: `<html>${'<a'.repeat(80_000)}`,
        headers: { 'content-type': 'text/html' },
      });
      const baseline = await baselineLatency(h);
      const started = performance.now();
      const answer = postJson(h.baseUrl, '/v1/messages', request()).then(async (res) => ({
        status: res.status,
        body: await res.json(),
        ms: performance.now() - started,
      }));
      const { result: latencies, maxBlockMs } = await eventLoopBlock(probeLatencies(h, answer));
      return { ...(await answer), baseline, latency: Math.max(...latencies), maxBlockMs };
    };
    // The quadratic regexes blocked the event loop for 11.8 s on this page.
    const m = await bestOf(measure, (m) => m.ms < 1000 && m.latency < m.baseline + 50 && m.maxBlockMs < 50);
    expect(m.status).toBe(502);
    expect(m.body.error.type).toBe('api_error');
    expect(m.body.error.message.length).toBeLessThanOrEqual(601);
    expect(m.ms).toBeLessThan(1000);
    expect(m.latency).toBeLessThan(m.baseline + 50);
    expect(m.maxBlockMs).toBeLessThan(50);
  });

  it('an error body far larger than 1 MB is read up to the cap; the rest is never downloaded', async () => {
    let written = 0;
    let closedEarly = false;
    h.upstream.enqueue({
      kind: 'custom',
      handle: async (_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.on('close', () => (closedEarly = !res.writableFinished));
        res.write('{"error":{"message":"Internal meltdown","padding":"');
        const piece = 'x'.repeat(64 * 1024);
        // Up to 200 MB, as in the report; the proxy is expected to hang up long before.
        while (written < 200 * 1024 * 1024 && !res.destroyed) {
          written += piece.length;
          if (!res.write(piece)) {
            await new Promise((r) => {
              res.once('drain', r);
              res.once('close', r);
            });
          }
        }
        if (!res.destroyed) res.end('"}}');
      },
    });
    const rssBefore = process.memoryUsage().rss;
    const res = await postJson(h.baseUrl, '/v1/messages', request());
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.type).toBe('api_error');
    expect(body.error.message).toMatch(/^\{"error":\{"message":"Internal meltdown"/);
    await sleep(100);
    expect(closedEarly).toBe(true);
    // The cap is 1 MB; socket buffers on both sides hold a few MB more at most.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });
});

/** A raw HTTP exchange on its own socket, so tests can hold a body back or watch the close. */
function rawRequest(
  baseUrl: string,
  head: string,
  bodyPart = '',
): { socket: Socket; response: Promise<string>; closed: Promise<void> } {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  const response = new Promise<string>((resolve) => {
    const check = () => {
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length >= end + 4 + length) resolve(text);
    };
    socket.on('data', check);
    socket.on('close', () => resolve(text));
  });
  socket.write(head + bodyPart);
  return { socket, response, closed };
}

describe('client bodies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('JSON nested 5,000 deep → 400 invalid_request_error saying so; no upstream call', async () => {
    const before = h.upstream.received.length;
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      const deep = `{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"metadata":${nested(5000)}}`;
      const message = await expectError(await postJson(h.baseUrl, path, deep), 400, 'invalid_request_error');
      expect(message).toMatch(/nests JSON deeper than 400 levels/);
    }
    expect(h.upstream.received.length).toBe(before);
    // Brackets inside strings are text, not nesting.
    const res = await postJson(
      h.baseUrl,
      '/v1/messages',
      request({ messages: [{ role: 'user', content: nested(5000) }] }),
    );
    expect(res.status).toBe(200);
  });

  it('JSON nested 400 deep is accepted', async () => {
    const res = await postJson(
      h.baseUrl,
      '/v1/messages/count_tokens',
      `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"metadata":${nested(397)}}`,
    );
    expect(res.status).toBe(200);
  });

  it('a 413 closes the connection instead of reading the rest of the body', async () => {
    const head =
      'POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${40 * 1024 * 1024}\r\n\r\n`;
    const exchange = rawRequest(h.baseUrl, head, '{"model":"x",');
    const response = await exchange.response;
    expect(response).toMatch(/^HTTP\/1\.1 413/);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(response).toContain('"request_too_large"');
    // The server hangs up although the client has not sent (and keeps not sending) the rest.
    await Promise.race([exchange.closed, sleep(4000).then(() => Promise.reject(new Error('still open')))]);
  });

  it('past the in-flight body budget → 529 overloaded_error; small requests still pass; the budget is released', async () => {
    // Eight clients each declaring a 31.5 MB body and sending a little of it: 252 MB reserved.
    const declared = Math.floor(31.5 * 1024 * 1024);
    const head =
      'POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${declared}\r\n\r\n`;
    const holders = Array.from({ length: 8 }, () => rawRequest(h.baseUrl, head, '{"model":"x","pad":"'));
    await sleep(300);
    try {
      const ninth = rawRequest(h.baseUrl, head, '{"model":"x",');
      const response = await ninth.response;
      expect(response).toMatch(/^HTTP\/1\.1 529/);
      expect(response).toContain('"overloaded_error"');
      expect(response.toLowerCase()).toContain('retry-after: 1');
      ninth.socket.destroy();
      // A normal request fits in what is left.
      const small = await postJson(h.baseUrl, '/v1/messages', request());
      expect(small.status).toBe(200);
    } finally {
      for (const holder of holders) holder.socket.destroy();
    }
    await sleep(200);
    // Released: a real 20 MB body goes through again.
    const big = await postJson(
      h.baseUrl,
      '/v1/messages/count_tokens',
      request({ messages: [{ role: 'user', content: 'word '.repeat(4 * 1024 * 1024) }] }),
    );
    expect(big.status).toBe(200);
  });
});

describe('methods', () => {
  let h: Harness;
  const TOKEN = 'hardening-token-0123456789abcdef';
  beforeAll(async () => {
    h = await startHarness({ accessToken: TOKEN, tweak: (s) => (s.requireAccessToken = true) });
  });
  afterAll(() => h.close());

  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; text: string }>((resolve, reject) => {
      const req = httpRequest(`${h.baseUrl}${path}`, { method, headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end();
    });

  it('other methods on /v1/messages → 405 in Anthropic shape with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'OPTIONS']) {
      const res = await send(method, '/v1/messages', { 'x-api-key': TOKEN });
      expect({ method, status: res.status }).toEqual({ method, status: 405 });
      expect(res.headers.allow).toBe('POST');
      const body = JSON.parse(res.text);
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(body.error.message).toContain(method);
    }
    const tokens = await send('GET', '/v1/messages/count_tokens', { 'x-api-key': TOKEN });
    expect({ status: tokens.status, allow: tokens.headers.allow }).toEqual({ status: 405, allow: 'POST' });
  });

  it('HEAD / needs no token (the start-up probe); GET / needs it, as the README says', async () => {
    expect((await send('HEAD', '/')).status).toBe(200);
    expect((await send('GET', '/')).status).toBe(401);
    const withToken = await send('GET', '/', { authorization: `Bearer ${TOKEN}` });
    expect(withToken.status).toBe(200);
    expect(JSON.parse(withToken.text)).toMatchObject({ name: 'turnout', status: 'ok' });
  });
});

describe('log lines', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('client-chosen model names and tool names cannot forge lines, reach the terminal, or make huge lines', async () => {
    const model = 'claude-sonnet-4-5\n12:00:00 req_forged POST /v1/messages 200\u001b[2J\u001b]0;pwned\u0007';
    const hugeTool = `tool\n${'x'.repeat(1024 * 1024)}`;
    const res = await postJson(h.baseUrl, '/v1/messages', {
      ...request({ model }),
      tools: [{ name: hugeTool, description: 'd', input_schema: { type: 'object' } }],
    });
    await res.text();
    const record = lastRecord(h);
    const line = formatLogLine(record);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(line).toContain('\\n12:00:00 req_forged');
    expect(line).toContain('\\u001b[2J');
    expect(line.length).toBeLessThan(4000);
    // The record itself (what the log window and support pastes show) is cleaned too.
    expect(JSON.stringify(record).length).toBeLessThan(8000);
    expect(record.clientModel).not.toContain('\n');
  });
});
