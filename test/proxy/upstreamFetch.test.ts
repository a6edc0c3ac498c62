/**
 * The pooled fetch under the SDK (undici's request API behind a thin Response): it must look
 * like fetch wherever the SDK or our wrappers look.
 */
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatcherFetch } from '../../src/main/proxy/upstream/upstreamFetch';
import { completion, startFakeUpstream, textChunks, type FakeUpstream } from '../support/fakeUpstream';

let upstream: FakeUpstream;
const agent = new Agent({ keepAliveTimeout: 1000 });
const pooled = dispatcherFetch(agent);

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
  await agent.close();
});

const post = (body: unknown, init: RequestInit = {}) =>
  pooled(`${upstream.url}/chat/completions`, {
    method: 'POST',
    headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer k' }),
    body: JSON.stringify(body),
    ...init,
  });

describe('dispatcherFetch', () => {
  it('answers JSON with status, headers and json(), sending method, headers and body', async () => {
    upstream.enqueue({ kind: 'json', body: completion('hello'), headers: { 'x-request-id': 'r1' } });
    const res = await post({ model: 'm' });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Request-Id')).toBe('r1');
    expect([...res.headers.entries()].some(([name]) => name === 'x-request-id')).toBe(true);
    expect(
      ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content,
    ).toBe('hello');
    const received = upstream.received.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.headers.authorization).toBe('Bearer k');
    expect(received.body).toEqual({ model: 'm' });
  });

  it('hands an SSE body over as it arrives, losing nothing', async () => {
    const events = textChunks(['a', 'b', 'c']);
    const raw = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
    upstream.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(raw);
      },
    });
    const res = await post({ stream: true });
    const pieces: string[] = [];
    for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
      pieces.push(Buffer.from(piece).toString());
    }
    expect(pieces.join('')).toBe(raw);
  });

  it('turns an error status into a real Response with its body and headers', async () => {
    upstream.enqueue({
      kind: 'json',
      status: 429,
      body: { error: { message: 'slow down' } },
      headers: { 'retry-after': '2' },
    });
    const res = await post({});
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.text()).toContain('slow down');
  });

  it('decompresses a compressed answer', async () => {
    const body = gzipSync(JSON.stringify(completion('zipped')));
    upstream.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(body);
      },
    });
    const res = await post({});
    expect(JSON.stringify(await res.json())).toContain('zipped');
  });

  it('leaves redirects to fetch (which strips credentials across origins)', async () => {
    const redirect = {
      kind: 'raw',
      status: 307,
      body: '',
      headers: { location: `${upstream.url}/elsewhere` },
    } as const;
    // The redirect is seen once by the fast path, then again by fetch, which follows it.
    upstream.enqueue(redirect, redirect, { kind: 'json', body: completion('moved') });
    const res = await post({ n: 1 });
    expect(JSON.stringify(await res.json())).toContain('moved');
    expect(upstream.received.at(-1)!.url).toBe('/v1/elsewhere');
  });

  it('fails like fetch: TypeError with the cause, and the abort reason on abort', async () => {
    const refused = pooled('http://127.0.0.1:1/v1/chat/completions', { method: 'POST', body: '{}' });
    await expect(refused).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    await expect(refused.catch((e: Error) => (e.cause as { code?: string }).code)).resolves.toBe(
      'ECONNREFUSED',
    );

    upstream.enqueue({ kind: 'hang' });
    const abort = new AbortController();
    const hanging = post({}, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(hanging).rejects.toMatchObject({ name: 'AbortError' });
  });
});
