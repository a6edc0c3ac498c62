/** The model list and the Test button against a real HTTP server (OpenAI-compatible and Anthropic). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../src/shared/config';
import { ModelListCache } from '../../src/main/app/modelList';
import { checkProvider } from '../../src/main/app/providerCheck';
import { describeUpstreamError, messageFromBody, redactKey } from '../../src/main/app/upstreamError';
import { buildSnapshot, type ProviderRuntime } from '../../src/main/proxy/snapshot';

const KEY = 'sk-good-key-0123456789';
let server: Server;
let base: string;
const seen: { url: string; body: Record<string, unknown>; authorization?: string; apiKey?: string }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
    const apiKey = req.headers['api-key'] as string | undefined;
    seen.push({ url: req.url ?? '', body, authorization: req.headers.authorization, apiKey });
    // Bearer (OpenAI), x-api-key (Anthropic) or api-key (Azure OpenAI).
    const auth = req.headers.authorization ?? `Bearer ${apiKey ?? req.headers['x-api-key']}`;
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (auth !== `Bearer ${KEY}`) {
      // Like OpenAI, the error echoes (part of) the key it got.
      return json(401, {
        error: { message: `Incorrect API key provided: ${auth.slice(7)}.`, type: 'invalid_request_error' },
      });
    }
    if (req.url?.endsWith('/models') || req.url?.includes('/models?')) {
      return json(200, { object: 'list', data: [{ id: 'models/zeta' }, { id: 'alpha' }, { id: 'alpha' }] });
    }
    if (path === '/v1/chat/completions' && body.model === 'missing') {
      return json(404, [
        { error: { code: 404, message: 'models/missing is not found', status: 'NOT_FOUND' } },
      ]);
    }
    if (path === '/v1/chat/completions' || path === '/anthropic/v1/messages') {
      return json(200, { id: 'x', choices: [], content: [] });
    }
    json(404, { error: { message: 'no route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function runtime(
  id: string,
  patch: { key?: string; baseUrl?: string; bigModel?: string; smallModel?: string } = {},
): ProviderRuntime {
  const settings = defaultSettings();
  settings.providers[id] = {
    ...settings.providers[id],
    baseUrl: patch.baseUrl ?? `${base}/v1`,
    bigModel: patch.bigModel ?? settings.providers[id].bigModel,
    smallModel: patch.smallModel ?? settings.providers[id].smallModel,
  };
  return buildSnapshot(settings, () => patch.key, { accessToken: null, keyHelp: 'settings' }).providers.get(
    id,
  )!;
}

describe('checkProvider', () => {
  it('makes a one-token call and reports the latency', async () => {
    const result = await checkProvider(runtime('openai', { key: KEY, bigModel: 'gpt-4o' }));
    expect(result).toMatchObject({ ok: true, model: 'gpt-4o', error: null, status: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)!.body).toMatchObject({
      model: 'gpt-4o',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    });
  });

  it('uses max_completion_tokens for reasoning models', async () => {
    await checkProvider(runtime('openai', { key: KEY, bigModel: 'gpt-5.1' }));
    expect(seen.at(-1)!.body).toMatchObject({ model: 'gpt-5.1', max_completion_tokens: 1 });
    expect(seen.at(-1)!.body.max_tokens).toBeUndefined();
  });

  it("reports the upstream's own message, never the key", async () => {
    const wrong = 'sk-wrong-key-ABCDEFGHIJ';
    const result = await checkProvider(runtime('openai', { key: wrong }));
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(result.error).toBe('Incorrect API key provided: ••••.');
    const gemini = await checkProvider(runtime('google', { key: KEY, bigModel: 'missing' }));
    expect(gemini).toMatchObject({ ok: false, status: 404 });
    expect(gemini.error).toContain('models/missing is not found');
  });

  it('says what is missing before calling', async () => {
    expect(await checkProvider(runtime('openai'))).toMatchObject({
      ok: false,
      error: 'Set an API key first.',
    });
    expect(await checkProvider(runtime('openai', { key: KEY, bigModel: '', smallModel: '' }))).toMatchObject({
      ok: false,
      error: 'Set a big or small model first.',
    });
  });

  it('talks to Anthropic with its own headers, and names connection failures', async () => {
    expect(
      await checkProvider(runtime('anthropic', { key: KEY, baseUrl: `${base}/anthropic` })),
    ).toMatchObject({
      ok: true,
      model: 'claude-haiku-4-5',
    });
    const bad = await checkProvider(
      runtime('anthropic', { key: 'nope-nope-nope', baseUrl: `${base}/anthropic` }),
    );
    expect(bad).toMatchObject({ ok: false, status: 401 });
    const refused = await checkProvider(runtime('openai', { key: KEY, baseUrl: 'http://127.0.0.1:1/v1' }));
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(refused.error).toMatch(/Connection error/);
  });
});

describe('Azure OpenAI in Settings', () => {
  // Azure reads the key from `api-key` and wants `api-version` on every call
  // (https://learn.microsoft.com/azure/ai-services/openai/reference): the Test button and the
  // model list must send them as the proxy does.
  it('the Test button sends the key as api-key, no Authorization, and the api-version query', async () => {
    const result = await checkProvider(runtime('azure', { key: KEY, bigModel: 'gpt-5.1' }));
    expect(result).toMatchObject({ ok: true, model: 'gpt-5.1' });
    const call = seen.at(-1)!;
    expect(call.url).toBe('/v1/chat/completions?api-version=2024-10-21');
    expect(call.apiKey).toBe(KEY);
    expect(call.authorization).toBeUndefined();
  });

  it('the model list does the same, and a version in the URL wins over the default', async () => {
    const settings = defaultSettings();
    settings.providers.azure.baseUrl = `${base}/v1?api-version=2025-04-01-preview`;
    const snapshot = buildSnapshot(settings, () => KEY, { accessToken: null, keyHelp: 'settings' });
    expect(await new ModelListCache({ getSnapshot: () => snapshot }).get('azure')).toMatchObject({
      error: null,
    });
    expect(seen.at(-1)).toMatchObject({ url: '/v1/models?api-version=2025-04-01-preview', apiKey: KEY });
    expect(seen.at(-1)!.authorization).toBeUndefined();
  });
});

describe('ModelListCache', () => {
  it('lists, sorts and de-duplicates models, stripping the "models/" prefix', async () => {
    const settings = defaultSettings();
    settings.providers.openai.baseUrl = `${base}/v1`;
    const snapshot = buildSnapshot(settings, () => KEY, { accessToken: null, keyHelp: 'settings' });
    const cache = new ModelListCache({ getSnapshot: () => snapshot });
    expect(await cache.get('openai')).toMatchObject({ models: ['alpha', 'zeta'], error: null });
  });

  it('caches per URL and key, refreshes on demand, and returns failures as values', async () => {
    let key = KEY;
    let now = 1_000;
    const settings = defaultSettings();
    const snapshot = () => buildSnapshot(settings, () => key, { accessToken: null, keyHelp: 'settings' });
    const fetcher = vi.fn(async (provider: ProviderRuntime) => {
      if (provider.apiKey !== KEY) throw new Error(`401 bad key ${provider.apiKey}`);
      return ['b', 'a'];
    });
    const cache = new ModelListCache({ getSnapshot: snapshot, fetcher, now: () => now, ttlMs: 100 });
    expect(cache.peek('groq')).toBeUndefined();
    const [first, second] = await Promise.all([cache.get('groq'), cache.get('groq')]);
    expect(first).toEqual({ providerId: 'groq', models: ['a', 'b'], error: null, fetchedAt: 1_000 });
    expect(second).toBe(first);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(cache.peek('groq')).toBe(first);
    await cache.get('groq');
    expect(fetcher).toHaveBeenCalledTimes(1);
    await cache.get('groq', true);
    expect(fetcher).toHaveBeenCalledTimes(2);
    now += 200;
    await cache.get('groq');
    expect(fetcher).toHaveBeenCalledTimes(3);

    key = 'other-key-that-fails';
    expect(cache.peek('groq')).toBeUndefined();
    const failed = await cache.get('groq');
    expect(failed.models).toEqual([]);
    expect(failed.error).toBe('401 bad key ••••');
    expect(await cache.get('nope')).toMatchObject({ error: 'Unknown provider "nope".' });
  });
});

describe('upstream error text', () => {
  it('redacts the key and reads the usual error body shapes', () => {
    expect(redactKey('key sk-1234567 and sk-1234567', 'sk-1234567')).toBe('key •••• and ••••');
    expect(messageFromBody('{"error":{"message":"quota"}}')).toBe('quota');
    expect(messageFromBody('[{"error":{"message":"gemini says no"}}]')).toBe('gemini says no');
    expect(messageFromBody('{"error":"plain"}')).toBe('plain');
    expect(messageFromBody('Bad Gateway')).toBe('Bad Gateway');
    expect(
      describeUpstreamError(Object.assign(new Error('nope'), { code: 'ECONNRESET' }), undefined),
    ).toEqual({
      status: null,
      message: 'nope (ECONNRESET)',
    });
  });
});
