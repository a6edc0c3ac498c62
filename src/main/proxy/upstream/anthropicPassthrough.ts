/**
 * Anthropic as a provider: the request goes to Anthropic unchanged (body bytes, `anthropic-*`
 * headers) with the configured key instead of the client's, and the answer, streamed or not,
 * is piped back unchanged. Only the model is rewritten, and only when a mapping slot says so.
 */
import type { Context } from 'koa';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProxyError } from '../errors';
import { redactSecrets } from '../redact';
import { THINKING_SIGNATURE } from '../translate/responseContext';
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

/** True when a message holds a thinking block that Switchyard made from another backend. */
function hasForeignThinking(message: unknown): boolean {
  const content = (message as { content?: unknown }).content;
  return (
    Array.isArray(content) &&
    content.some((b) => b?.type === 'thinking' && b.signature === THINKING_SIGNATURE)
  );
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
                  (b) => !(b?.type === 'thinking' && b.signature === THINKING_SIGNATURE),
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

  if (!response.ok && !(response.headers.get('content-type') ?? '').includes('json')) {
    // An HTML error page from a gateway in front of Anthropic: answer in Anthropic's shape.
    const text = redactSecrets(plainText(await response.text()), [apiKey]);
    throw new ProxyError(
      response.status,
      response.status >= 500 ? 'api_error' : 'invalid_request_error',
      text,
    );
  }

  ctx.respond = false;
  const outHeaders: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value) outHeaders[name] = value;
  }
  response.headers.forEach((value, name) => {
    if (name.startsWith('anthropic-')) outHeaders[name] = value;
  });
  ctx.res.writeHead(response.status, outHeaders);
  if (!response.body) {
    ctx.res.end();
    return;
  }
  const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  const idle = setTimeout(() => source.destroy(new Error('idle')), options.idleMs);
  source.on('data', () => idle.refresh());
  try {
    await pipeline(source, ctx.res);
  } catch {
    // Client gone or upstream cut off: nothing more can be said on a started response.
    abort.abort();
    if (!ctx.res.writableEnded) ctx.res.destroy();
  } finally {
    clearTimeout(idle);
  }
}
