/**
 * Failover and provider health over real HTTP: the active provider (openai) and two fallbacks
 * (groq, moonshot) are separate fake upstreams. Error bodies replay documented shapes:
 * - OpenAI's error object and its quota 429 (`insufficient_quota`, "You exceeded your current
 *   quota…"): https://platform.openai.com/docs/guides/error-codes
 * - Groq/OpenAI-style 429 with `retry-after` (seconds): RFC 9110 §10.2.3
 * - Anthropic's 529 overloaded_error: https://docs.anthropic.com/en/api/errors
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import {
  completion,
  startFakeUpstream,
  textChunks,
  type FakeUpstream,
  type Step,
} from '../../support/fakeUpstream';
import { parseEvents, checkGrammar } from '../../support/anthropicStream';
import { postJson, startHarness, type Harness } from '../../support/proxyHarness';

let h: Harness;
let openai: FakeUpstream;
let groq: FakeUpstream;
let moonshot: FakeUpstream;
let clock = 1_000_000;

beforeAll(async () => {
  groq = await startFakeUpstream();
  moonshot = await startFakeUpstream();
  h = await startHarness({
    now: () => clock,
    tweak: (s) => {
      s.providers.groq.baseUrl = groq.url;
      s.providers.moonshot.baseUrl = moonshot.url;
      s.fallbackProviders = ['groq', 'moonshot'];
      s.maxRetries = 2;
      s.timeouts.firstByteMs = 400;
      s.timeouts.idleMs = 400;
    },
  });
  openai = h.upstream;
});
afterAll(async () => {
  await h.close();
  await groq.close();
  await moonshot.close();
});
beforeEach(() => {
  for (const f of [openai, groq, moonshot]) {
    f.received.length = 0;
    f.fallback = {
      kind: 'json',
      body: completion(`answer from ${f === openai ? 'openai' : f === groq ? 'groq' : 'moonshot'}`),
    };
  }
  h.controller.log.clear();
});
afterEach(() => {
  // Each test starts with closed breakers.
  for (const id of ['openai', 'groq', 'moonshot']) h.controller.health.reset(id);
});

const body = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});
const post = (payload: unknown, path = '/v1/messages') => postJson(h.baseUrl, path, payload);
const lastRecord = () => h.controller.log.records().at(-1)!;
const openaiError = (
  status: number,
  message: string,
  code: string | null = null,
  headers?: Record<string, string>,
): Step => ({
  kind: 'json',
  status,
  headers,
  body: { error: { message, type: code ?? 'server_error', param: null, code } },
});

async function text(res: Response, stream: boolean): Promise<string> {
  if (!stream) return (await res.json()).content[0].text;
  const verdict = checkGrammar(parseEvents(await res.text()));
  expect(verdict.outcome).toBe('complete');
  return verdict.text;
}

describe('failover triggers: the next provider answers', () => {
  const triggers: Array<[string, () => Step, string]> = [
    ['408', () => openaiError(408, 'Request timed out.'), '408'],
    [
      '429 with a long retry-after',
      () =>
        openaiError(429, 'Rate limit reached for requests', 'rate_limit_exceeded', { 'retry-after': '60' }),
      '429',
    ],
    [
      '429 saying the quota is spent',
      () =>
        openaiError(
          429,
          'You exceeded your current quota, please check your plan and billing details.',
          'insufficient_quota',
        ),
      '429',
    ],
    ['429 "Usage limit reached"', () => openaiError(429, 'Usage limit reached for this month.'), '429'],
    ['402 payment required', () => openaiError(402, 'Insufficient credits.'), '402'],
    ['500', () => openaiError(500, 'The server had an error while processing your request.'), '500'],
    [
      '502 HTML page',
      () => ({ kind: 'raw', status: 502, body: '<html><body>Bad gateway</body></html>' }),
      '502',
    ],
    ['503', () => openaiError(503, 'The engine is currently overloaded.'), '503'],
    [
      '529',
      () => ({
        kind: 'json',
        status: 529,
        body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      }),
      '529',
    ],
    ['a connection reset', () => ({ kind: 'reset' }), 'unreachable'],
    ['no answer before the first-byte timeout', () => ({ kind: 'hang' }), 'timeout'],
  ];
  let n = 0;
  for (const [name, step, outcome] of triggers) {
    const stream = n++ % 2 === 0;
    it(`${name} (${stream ? 'stream' : 'json'}) → groq`, async () => {
      openai.fallback = step();
      if (stream) groq.enqueue({ kind: 'sse', events: textChunks(['answer from groq']) });
      const res = await post(body({ stream }));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-turnout-provider')).toBe('groq');
      expect(res.headers.get('x-turnout-model')).toBe('openai/gpt-oss-120b');
      expect(await text(res, stream)).toBe('answer from groq');
      // With a fallback ahead, the SDK does not retry: one call to openai, then groq.
      expect(openai.received).toHaveLength(1);
      expect(groq.received).toHaveLength(1);
      expect(groq.received[0].body.model).toBe('openai/gpt-oss-120b');
      const record = lastRecord();
      expect(record.attempts?.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
        `openai ${outcome}`,
        'groq 200',
      ]);
      expect(record).toMatchObject({
        provider: 'groq',
        upstreamModel: 'openai/gpt-oss-120b',
        status: 200,
        state: 'done',
      });
    });
  }

  it('a stream whose headers come but no data within the idle timeout fails over, and the next attempt is not cut short', async () => {
    openai.fallback = { kind: 'sse', events: [{ pauseMs: 1200 }, ...textChunks(['too late'])] };
    groq.enqueue({ kind: 'sse', events: [{ pauseMs: 100 }, ...textChunks(['answer from groq'])] });
    const res = await post(body({ stream: true }));
    expect(res.status).toBe(200);
    expect(await text(res, true)).toBe('answer from groq');
    expect(lastRecord().attempts?.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
      'openai timeout',
      'groq 200',
    ]);
  });

  it('a refused connection fails over too', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    h.controller.updateProvider('openai', { baseUrl: `http://127.0.0.1:${port}/v1` });
    try {
      const res = await post(body());
      expect(res.status).toBe(200);
      expect(await text(res, false)).toBe('answer from groq');
      expect(lastRecord().attempts?.map((a) => a.outcome)).toEqual(['unreachable', '200']);
    } finally {
      h.controller.updateProvider('openai', { baseUrl: openai.url });
    }
  });

  it('the log sees the finished record once, already holding every attempt', async () => {
    openai.fallback = openaiError(503, 'overloaded');
    const finished: string[] = [];
    const stop = h.controller.log.subscribe((record, kind) => {
      if (kind === 'updated' && ['done', 'error', 'aborted'].includes(record.state)) {
        finished.push(record.attempts?.map((a) => `${a.provider} ${a.outcome}`).join(' → ') ?? '');
      }
    });
    try {
      groq.enqueue({ kind: 'sse', events: textChunks(['streamed']) });
      await (await post(body({ stream: true }))).text();
      await (await post(body())).json();
    } finally {
      stop();
    }
    expect(finished).toEqual(['openai 503 → groq 200', 'openai 503 → groq 200']);
  });

  it('the Anthropic pass-through fails over too: a 529 from Anthropic goes to groq', async () => {
    h.controller.setActiveProvider('anthropic');
    try {
      // Anthropic's overloaded error: https://docs.anthropic.com/en/api/errors
      openai.fallback = {
        kind: 'json',
        status: 529,
        body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      };
      const res = await post(body());
      expect(res.status).toBe(200);
      expect(await text(res, false)).toBe('answer from groq');
      expect(openai.received[0].url).toBe('/v1/messages');
      expect(lastRecord().attempts?.map((a) => `${a.provider}/${a.model} ${a.outcome}`)).toEqual([
        'anthropic/claude-sonnet-4-5 529',
        'groq/openai/gpt-oss-120b 200',
      ]);
    } finally {
      h.controller.setActiveProvider('openai');
    }
  });

  it('walks the whole chain and answers with the last error when every provider fails', async () => {
    openai.fallback = openaiError(503, 'openai overloaded');
    groq.fallback = openaiError(500, 'groq broke');
    moonshot.fallback = openaiError(502, 'moonshot gateway');
    const res = await post(body());
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toBe('moonshot gateway');
    expect(res.headers.get('x-turnout-provider')).toBe('moonshot');
    expect(lastRecord().attempts?.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
      'openai 503',
      'groq 500',
      'moonshot 502',
    ]);
    // The last provider of the chain keeps the configured retries (maxRetries 2).
    expect(moonshot.received).toHaveLength(3);
  });

  it('skips a fallback without a key and says so', async () => {
    openai.fallback = openaiError(503, 'overloaded');
    const key = 'gsk_' + 'testgroqkey0123456789abcdef';
    await h.controller.removeKey('groq');
    try {
      const res = await post(body());
      expect(await text(res, false)).toBe('answer from moonshot');
      expect(lastRecord().attempts?.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
        'openai 503',
        'groq no key',
        'moonshot 200',
      ]);
    } finally {
      await h.controller.setKey('groq', key);
    }
  });
});

describe('non-triggers: the error goes to the client', () => {
  it('400 is the request’s own fault: not retried elsewhere', async () => {
    openai.fallback = openaiError(400, "Invalid 'messages[0].content': string too long.", 'invalid_value');
    const res = await post(body());
    expect(res.status).toBe(400);
    expect((await res.json()).error.type).toBe('invalid_request_error');
    expect(groq.received).toHaveLength(0);
    expect(h.controller.health.status('openai').state).toBe('ok');
  });

  for (const status of [401, 403]) {
    it(`${status} is not retried and marks the provider "needs attention"`, async () => {
      openai.fallback = openaiError(status, 'Incorrect API key provided: sk-test***.', 'invalid_api_key');
      const res = await post(body({ stream: true }));
      expect(res.status).toBe(status);
      await res.text();
      expect(groq.received).toHaveLength(0);
      const health = h.controller.getState().health.find((x) => x.id === 'openai')!;
      expect(health.state).toBe('attention');
      expect(health.lastError).toMatch(/Incorrect API key/);
      // A success clears it.
      openai.fallback = { kind: 'json', body: completion('fine') };
      await (await post(body())).json();
      expect(h.controller.health.status('openai').state).toBe('ok');
    });
  }

  it('Anthropic’s own 401 body is forwarded as it is, and the provider needs attention', async () => {
    h.controller.setActiveProvider('anthropic');
    try {
      openai.fallback = {
        kind: 'json',
        status: 401,
        body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
      };
      const res = await post(body());
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toBe('invalid x-api-key');
      expect(groq.received).toHaveLength(0);
      expect(h.controller.health.status('anthropic').state).toBe('attention');
    } finally {
      h.controller.setActiveProvider('openai');
      h.controller.health.reset('anthropic');
    }
  });

  it('after the first byte no failover is possible: the stream ends with an error event', async () => {
    openai.fallback = {
      kind: 'sse',
      events: [textChunks(['partial '])[0], textChunks(['partial '])[1]],
      done: false,
      reset: true,
    };
    const res = await post(body({ stream: true }));
    expect(res.status).toBe(200);
    const verdict = checkGrammar(parseEvents(await res.text()));
    expect(verdict.outcome).toBe('error');
    expect(groq.received).toHaveLength(0);
    expect(res.headers.get('x-turnout-provider')).toBe('openai');
  });

  it('a 400 saying the input is too long takes the long-context route instead', async () => {
    h.controller.setRules({ longContext: 'moonshot/kimi-long' });
    try {
      openai.fallback = openaiError(
        400,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
        'context_length_exceeded',
      );
      const res = await post(body());
      expect(res.status).toBe(200);
      expect(await text(res, false)).toBe('answer from moonshot');
      expect(moonshot.received[0].body.model).toBe('kimi-long');
      expect(groq.received).toHaveLength(0);
      expect(lastRecord().attempts?.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
        'openai 400',
        'moonshot 200',
      ]);
    } finally {
      h.controller.setRules({ longContext: '' });
    }
  });

  it('an explicit provider/model is served by that provider alone', async () => {
    groq.fallback = openaiError(503, 'groq overloaded');
    const res = await post(body({ model: 'groq/llama-3.3-70b-versatile' }));
    expect(res.status).toBe(503);
    await res.text();
    expect(openai.received).toHaveLength(0);
    expect(moonshot.received).toHaveLength(0);
    expect(lastRecord().rule).toBe('explicit');
  });
});

describe('circuit breaker', () => {
  it('opens after three failures, skips the provider, probes after 30 s, backs off, and closes on success', async () => {
    openai.fallback = openaiError(503, 'overloaded');
    for (let i = 0; i < 3; i++) expect(await text(await post(body()), false)).toBe('answer from groq');
    expect(openai.received).toHaveLength(3);
    const down = h.controller.health.status('openai');
    expect(down).toMatchObject({
      state: 'down',
      consecutiveFailures: 3,
      lastError: 'overloaded',
      retryAt: clock + 30_000,
    });

    // Open: skipped without a call.
    await (await post(body())).json();
    expect(openai.received).toHaveLength(3);
    expect(lastRecord().attempts?.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
      'openai skipped',
      'groq 200',
    ]);

    // Cool-off over: one real request probes, fails, and the cool-off doubles.
    clock += 30_000;
    await (await post(body())).json();
    expect(openai.received).toHaveLength(4);
    expect(h.controller.health.status('openai')).toMatchObject({ state: 'down', retryAt: clock + 60_000 });
    clock += 30_000;
    await (await post(body())).json();
    expect(openai.received).toHaveLength(4);

    // The next probe succeeds: closed again, and requests go to openai first.
    clock += 30_000;
    openai.fallback = { kind: 'json', body: completion('openai is back') };
    expect(await text(await post(body()), false)).toBe('openai is back');
    expect(h.controller.health.status('openai').state).toBe('ok');
    expect(await text(await post(body()), false)).toBe('openai is back');
  });

  it('lets exactly one probe through while it is in flight', async () => {
    openai.fallback = openaiError(503, 'overloaded');
    for (let i = 0; i < 3; i++) await (await post(body())).json();
    clock += 30_000;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    openai.fallback = {
      kind: 'custom',
      handle: async (_req, res) => {
        await gate;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(completion('probe ok')));
      },
    };
    const probe = post(body());
    await new Promise((r) => setTimeout(r, 100));
    expect(h.controller.health.status('openai').state).toBe('probing');
    const other = await post(body());
    expect(await text(other, false)).toBe('answer from groq');
    release();
    expect(await text(await probe, false)).toBe('probe ok');
    expect(h.controller.health.status('openai').state).toBe('ok');
  });

  it('opens at once for a spent quota', async () => {
    openai.fallback = openaiError(429, 'You exceeded your current quota.', 'insufficient_quota');
    await (await post(body())).json();
    expect(h.controller.health.status('openai').state).toBe('down');
  });

  it('still tries a cooling-off provider when it is the only one left', async () => {
    h.controller.setFallbackProviders([]);
    try {
      openai.fallback = openaiError(503, 'overloaded');
      for (let i = 0; i < 4; i++) {
        const res = await post(body());
        expect(res.status).toBe(503);
        await res.text();
      }
      expect(h.controller.health.status('openai').state).toBe('down');
      openai.fallback = { kind: 'json', body: completion('served anyway') };
      expect(await text(await post(body()), false)).toBe('served anyway');
    } finally {
      h.controller.setFallbackProviders(['groq', 'moonshot']);
    }
  });
});

describe('client abort during failover', () => {
  it('stops: no further attempts once the client has gone', async () => {
    openai.fallback = {
      kind: 'custom',
      handle: async (_req, res) => {
        await new Promise((r) => setTimeout(r, 300));
        if (!res.destroyed) {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'overloaded' } }));
        }
      },
    };
    const abort = new AbortController();
    const pending = fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body({ stream: true })),
      signal: abort.signal,
    }).catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 500));
    expect(groq.received).toHaveLength(0);
    expect(moonshot.received).toHaveLength(0);
    expect(lastRecord().state).toBe('aborted');
    expect(h.controller.health.status('openai').state).toBe('ok');
  });
});
