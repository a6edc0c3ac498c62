/**
 * Anthropic as a provider: the request goes to Anthropic unchanged (body bytes, `anthropic-*`
 * headers) with the configured key instead of the client's, and the answer, streamed or not,
 * is piped back unchanged. Only the model is rewritten, and only when a mapping slot says so.
 */
import type { Context } from 'koa';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { errorTypeForStatus, ProxyError } from '../errors';
import { redactSecrets } from '../redact';
import { madeByTurnout } from '../translate/responseContext';
import type { ProviderRuntime } from '../snapshot';
import { plainText } from './upstreamErrors';

const FORWARDED_RESPONSE_HEADERS = ['content-type', 'request-id', 'retry-after', 'x-should-retry'];

export interface PassthroughOptions {
  ctx: Context;
  provider: ProviderRuntime;
  apiKey: string;
  /** The client's body bytes, sent as they are unless the model changes. */
  raw: Buffer;
  parsed: Record<string, unknown>;
  upstreamModel: string;
  abort: AbortController;
  firstByteMs: number;
  idleMs: number;
}

/** True when a message holds a thinking block that Turnout made from another backend. */
function hasForeignThinking(message: unknown): boolean {
  const content = (message as { content?: unknown }).content;
  return Array.isArray(content) && content.some((b) => b?.type === 'thinking' && madeByTurnout(b.signature));
}

/**
 * The client's bytes unchanged, unless the model is remapped or the history holds thinking
 * blocks produced by another backend earlier in the session (Anthropic rejects their
 * signature), which are dropped.
 */
function outboundBody(options: PassthroughOptions): Buffer | string {
  const { parsed, upstreamModel } = options;
  const messages = Array.isArray(parsed.messages) ? parsed.messages : [];
  const foreign = messages.some(hasForeignThinking);
  if (!foreign && upstreamModel === parsed.model) return options.raw;
  return JSON.stringify({
    ...parsed,
    model: upstreamModel,
    messages: foreign
      ? messages.map((m) =>
          hasForeignThinking(m)
            ? {
                ...m,
                content: (m.content as Array<{ type?: string; signature?: string }>).filter(
                  (b) => !(b?.type === 'thinking' && madeByTurnout(b.signature)),
                ),
              }
            : m,
        )
      : messages,
  });
}

export async function passThroughToAnthropic(options: PassthroughOptions): Promise<void> {
  const { ctx, provider, apiKey, abort } = options;
  const base = provider.settings.baseUrl.replace(/\/+$/, '');
  const url = `${base}${ctx.path}${ctx.querystring ? `?${ctx.querystring}` : ''}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': apiKey };
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name.startsWith('anthropic-') && typeof value === 'string') headers[name] = value;
  }
  const body = outboundBody(options);

  const firstByte = setTimeout(() => abort.abort(new Error('first-byte timeout')), options.firstByteMs);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: abort.signal });
  } catch (error) {
    if (ctx.res.destroyed) return;
    const timedOut =
      abort.signal.reason instanceof Error && abort.signal.reason.message === 'first-byte timeout';
    if (timedOut)
      throw new ProxyError(504, 'timeout_error', `${provider.entry.label} did not answer in time.`);
    const cause = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    throw new ProxyError(
      502,
      'api_error',
      `Could not reach ${provider.entry.label}${cause ? ` (${cause})` : ''}.`,
    );
  } finally {
    clearTimeout(firstByte);
  }

  const label = provider.entry.label;
  if (!response.ok) {
    const text = redactSecrets(await response.text(), [apiKey]);
    if (!(response.headers.get('content-type') ?? '').includes('json')) {
      // An HTML error page from a gateway in front of Anthropic: answer in Anthropic's shape.
      throw new ProxyError(
        response.status,
        errorTypeForStatus(response.status),
        plainText(text) || `${label} answered HTTP ${response.status}.`,
        response.headers.get('retry-after') ?? undefined,
      );
    }
    // Anthropic's own error body, already in the right shape: forwarded, keys redacted.
    ctx.respond = false;
    ctx.res.writeHead(response.status, forwardedHeaders(response));
    ctx.res.end(text);
    return;
  }

  ctx.respond = false;
  ctx.res.writeHead(response.status, forwardedHeaders(response));
  if (!response.body) {
    ctx.res.end();
    return;
  }
  const sse = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  await pump(ctx, response.body, { ...options, label, sse });
}

function forwardedHeaders(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value) out[name] = value;
  }
  response.headers.forEach((value, name) => {
    if (name.startsWith('anthropic-')) out[name] = value;
  });
  return out;
}

/**
 * Copies the answer to the client as it arrives. A stream that stalls past the idle timeout or
 * is cut off ends with `event: error` (on an event boundary) so the client's SDK reports it;
 * a client that leaves aborts the upstream call.
 */
async function pump(
  ctx: Context,
  body: ReadableStream<Uint8Array>,
  options: PassthroughOptions & { label: string; sse: boolean },
): Promise<void> {
  const { abort, label } = options;
  const res = ctx.res;
  const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream);
  let idle = false;
  const watchdog = setTimeout(() => {
    idle = true;
    source.destroy(new Error('idle'));
  }, options.idleMs);
  let tail = '';
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      watchdog.refresh();
      if (res.destroyed) break;
      tail = (tail + chunk.toString('latin1')).slice(-2);
      if (!res.write(chunk)) await once(res, 'drain', { signal: abort.signal }).catch(() => undefined);
    }
    if (res.destroyed) {
      abort.abort();
      return;
    }
    res.end();
  } catch {
    abort.abort();
    if (res.destroyed) return;
    if (!options.sse) {
      res.destroy();
      return;
    }
    const message = idle
      ? `${label} stopped sending data for ${options.idleMs / 1000} s; the answer is incomplete.`
      : `The connection to ${label} was cut off; the answer is incomplete.`;
    const event = { type: 'error', error: { type: idle ? 'timeout_error' : 'api_error', message } };
    res.end(`${tail === '\n\n' ? '' : '\n\n'}event: error\ndata: ${JSON.stringify(event)}\n\n`);
  } finally {
    clearTimeout(watchdog);
  }
}
