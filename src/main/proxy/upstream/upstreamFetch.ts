/**
 * The fetch the `openai` SDK uses for upstream calls.
 *
 * `createUpstreamFetch`: successful responses pass through untouched; error responses are
 * normalised first, because Gemini sends its error object wrapped in a JSON array, which the SDK
 * cannot read (it would report "no body").
 *
 * `dispatcherFetch`: the pooled fetch underneath. undici's WHATWG `fetch` costs a Request, a
 * web ReadableStream, several transferable AbortSignals and a Response per call; profiled under
 * `npm run bench` that was a large share of the proxy's CPU per request. The SDK needs far
 * less: a status, headers with `get`, and a body it can iterate (it accepts any async iterable)
 * or read with `json()`/`text()`. So a successful answer is undici's Node stream behind a thin
 * Response-shaped object, fed by `dispatcher.request` over the same keep-alive pool. Everything
 * uncommon keeps the exact fetch behaviour: bodies other than strings/bytes and redirects go
 * through real `fetch`; error statuses are read (up to ERROR_BODY_CAP) into a real `Response`;
 * a compressed answer is decompressed. Failures look like fetch's: `TypeError('fetch failed')`
 * with undici's error as `cause`, and the abort reason when the signal fired.
 */
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { ERROR_BODY_CAP, readBounded } from './boundedBody';

export function createUpstreamFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    // Error bodies are kept up to a cap (a message needs a few hundred bytes; a 200 MB body would not fit).
    const { text } = await readBounded(response.body as AsyncIterable<Uint8Array> | null, {
      cap: ERROR_BODY_CAP,
    });
    let body = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.length > 0) body = JSON.stringify(parsed[0]);
    } catch {
      // Not JSON after all: leave the text for the error mapper.
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

type RawHeaders = Record<string, string | string[] | undefined>;

/** The read-only part of `Headers` the SDK and our wrappers use, over undici's header object. */
export class ResponseHeaders implements Iterable<[string, string]> {
  constructor(private readonly raw: RawHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  entries(): IterableIterator<[string, string]> {
    // The SDK lists every response's headers (looking for x-request-id): keep this a plain loop.
    const out: Array<[string, string]> = [];
    for (const name in this.raw) {
      const value = this.raw[name];
      if (value !== undefined) out.push([name, Array.isArray(value) ? value.join(', ') : value]);
    }
    return out[Symbol.iterator]();
  }

  keys(): IterableIterator<string> {
    return Array.from(this.entries(), ([name]) => name)[Symbol.iterator]();
  }

  values(): IterableIterator<string> {
    return Array.from(this.entries(), ([, value]) => value)[Symbol.iterator]();
  }

  forEach(callback: (value: string, name: string, parent: ResponseHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A successful upstream answer, shaped like the `Response` the SDK reads. */
class StreamedResponse {
  readonly ok = true;
  readonly redirected = false;
  readonly type = 'basic';
  readonly statusText = '';
  private used = false;

  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    readonly url: string,
    /** Iterated by the SDK (JSON answers) or by sseChunks (streams). */
    readonly body: Readable,
  ) {}

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private bytes(): Promise<Buffer> {
    if (this.used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.used = true;
    return readAll(this.body);
  }
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function decoded(body: Readable, encoding: string | null): Readable {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return body.pipe(createGunzip());
    case 'deflate':
      return body.pipe(createInflate());
    case 'br':
      return body.pipe(createBrotliDecompress());
    default:
      return body;
  }
}

/** A fetch over `dispatcher` (a keep-alive undici Agent) for the SDK's upstream calls. */
export function dispatcherFetch(dispatcher: Dispatcher): typeof fetch {
  const slowPath = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher }) as unknown as Promise<Response>;

  return (async (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const body = init.body;
    const simpleBody =
      body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
    if (!simpleBody || href === null || (init.redirect !== undefined && init.redirect !== 'follow')) {
      return slowPath(input, init);
    }
    const url = new URL(href);
    const signal = init.signal ?? undefined;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
        headers: init.headers as Dispatcher.DispatchOptions['headers'],
        body: body as string | Uint8Array | null | undefined,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      throw new TypeError('fetch failed', { cause: error });
    }
    const { statusCode } = answer;
    const headers = new ResponseHeaders(answer.headers);
    if (statusCode >= 300 && statusCode < 400 && headers.has('location')) {
      // Rare: let fetch redo the request and follow the redirect itself (its rules for methods
      // and for dropping credentials across origins apply), with the same (string) body.
      answer.body.resume();
      return slowPath(input, init);
    }
    const stream = decoded(answer.body, headers.get('content-encoding'));
    if (statusCode >= 200 && statusCode < 300) {
      return new StreamedResponse(statusCode, headers, href, stream) as unknown as Response;
    }
    // Error answers are rare and small: give the SDK (and our error mapper) a real Response.
    let text: string;
    try {
      ({ text } = await readBounded(stream, { cap: ERROR_BODY_CAP, onStop: () => answer.body.destroy() }));
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      throw new TypeError('fetch failed', { cause: error });
    }
    const realHeaders = new Headers();
    for (const [name, value] of headers) {
      if (name !== 'content-encoding' && name !== 'content-length') realHeaders.append(name, value);
    }
    return new Response(NULL_BODY_STATUS.has(statusCode) ? null : text, {
      status: statusCode,
      headers: realHeaders,
    });
  }) as typeof fetch;
}
