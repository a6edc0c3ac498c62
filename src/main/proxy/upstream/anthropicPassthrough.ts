/**
 * Anthropic as a provider: the request goes to Anthropic unchanged (body bytes, `anthropic-*`
 * headers) with the configured key instead of the client's, and the answer, streamed or not,
 * is piped back unchanged. Only the model is rewritten, and only when a mapping slot says so.
 *
 * The key travels as `x-api-key`, which fetch would carry along a redirect to any origin (the
 * Fetch standard strips only `Authorization`), so redirects are never followed: a 3xx becomes an
 * Anthropic error naming the status. Error bodies are read up to a cap and with an idle timeout;
 * forwarded headers and error bodies are redacted.
 */
import type { Context } from 'koa';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { errorTypeForStatus, ProxyError } from '../errors';
import { redactSecrets } from '../redact';
import { isTurnoutBlock } from '../translate/responseContext';
import type { ProviderRuntime } from '../snapshot';
import { bodyTimeoutError, BodyTimeout, ERROR_BODY_CAP, readBounded } from './boundedBody';
import type { Usage } from '../anthropicTypes';
import { AnthropicUsageTap } from './anthropicUsage';
import { plainText, upstreamMessage } from './upstreamErrors';

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
  /** The model's output ceiling from the catalog: a larger max_tokens is clamped to it. */
  maxOutputTokens?: number;
  /** Receives a note for the request log when the body was changed. */
  note?: (text: string) => void;
  /**
   * An error status for which the caller would rather try another provider: thrown as a
   * ProxyError instead of forwarded (only while nothing has been sent).
   */
  failOverOn?: (status: number) => boolean;
}

/** True when a message holds a thinking block that Turnout made from another backend. */
function hasForeignThinking(message: unknown): boolean {
  const content = (message as { content?: unknown }).content;
  return Array.isArray(content) && content.some(isTurnoutBlock);
}

/**
 * The client's bytes unchanged, unless the model is remapped or the history holds thinking
 * blocks produced by another backend earlier in the session (Anthropic rejects their
 * signature), which are dropped.
 */
function outboundBody(options: PassthroughOptions): Buffer | string {
  const { parsed, upstreamModel, maxOutputTokens } = options;
  const messages = Array.isArray(parsed.messages) ? parsed.messages : [];
  const foreign = messages.some(hasForeignThinking);
  // Anthropic-compatible servers have their own output limits (DeepSeek's deepseek-chat: 8192).
  const clamp =
    maxOutputTokens !== undefined &&
    typeof parsed.max_tokens === 'number' &&
    parsed.max_tokens > maxOutputTokens;
  if (clamp) options.note?.(`clamped max_tokens ${parsed.max_tokens}→${maxOutputTokens}`);
  if (!foreign && !clamp && upstreamModel === parsed.model) return options.raw;
  return JSON.stringify({
    ...parsed,
    model: upstreamModel,
    ...(clamp ? { max_tokens: maxOutputTokens } : {}),
    messages: foreign
      ? messages.map((m) =>
          hasForeignThinking(m)
            ? {
                ...m,
                content: (m.content as unknown[]).filter((b) => !isTurnoutBlock(b)),
              }
            : m,
        )
      : messages,
  });
}

/** How the answer ended, for the request log ('error' also when an error was forwarded). */
export interface PassthroughOutcome {
  state: 'done' | 'error' | 'aborted';
  error?: string;
  /** The token usage Anthropic reported in the answer, when it did. */
  usage?: Usage | null;
}

export async function passThroughToAnthropic(options: PassthroughOptions): Promise<PassthroughOutcome> {
  const { ctx, provider, apiKey, abort } = options;
  const base = provider.settings.baseUrl.replace(/\/+$/, '');
  const url = `${base}${ctx.path}${ctx.querystring ? `?${ctx.querystring}` : ''}`;
  // Anthropic and most Anthropic-compatible endpoints read `x-api-key`; some (Kimi's, GLM's
  // coding plans) document `Authorization: Bearer`: the catalog entry says which.
  const keyHeader: Record<string, string> =
    provider.entry.keyHeader === 'bearer' ? { authorization: `Bearer ${apiKey}` } : { 'x-api-key': apiKey };
  const headers: Record<string, string> = { 'content-type': 'application/json', ...keyHeader };
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name.startsWith('anthropic-') && typeof value === 'string') headers[name] = value;
  }
  const body = outboundBody(options);

  const firstByte = setTimeout(() => abort.abort(new Error('first-byte timeout')), options.firstByteMs);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: abort.signal, redirect: 'manual' });
  } catch (error) {
    if (ctx.res.destroyed) return { state: 'aborted' };
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
  const secrets = [apiKey];
  if (response.status >= 300 && response.status < 400) {
    void response.body?.cancel().catch(() => undefined);
    throw new ProxyError(
      502,
      'api_error',
      `${label} answered with a redirect (HTTP ${response.status}); Turnout does not follow redirects, ` +
        'so the key is never sent to another address. Check the base URL.',
    );
  }
  if (!response.ok) {
    let text: string;
    try {
      ({ text } = await readBounded(response.body as AsyncIterable<Uint8Array> | null, {
        cap: ERROR_BODY_CAP,
        idleMs: options.idleMs,
        onStop: () => abort.abort(),
      }));
    } catch (error) {
      if (ctx.res.destroyed) return { state: 'aborted' };
      if (error instanceof BodyTimeout) throw bodyTimeoutError(label, options.idleMs);
      throw new ProxyError(
        502,
        'api_error',
        `The connection to ${label} was cut off while it sent an error.`,
      );
    }
    text = redactSecrets(text, secrets);
    const failOver = options.failOverOn?.(response.status) ?? false;
    if (failOver || !(response.headers.get('content-type') ?? '').includes('json')) {
      // An error another provider may cure (the route fails over), or an HTML error page from a
      // gateway in front of Anthropic: answer in Anthropic's shape.
      throw new ProxyError(
        response.status,
        errorTypeForStatus(response.status),
        errorMessageOf(text) || `${label} answered HTTP ${response.status}.`,
        redactedHeader(response, 'retry-after', secrets),
      );
    }
    // Anthropic's own error body, already in the right shape: forwarded, keys redacted.
    ctx.respond = false;
    ctx.res.writeHead(response.status, forwardedHeaders(response, secrets));
    ctx.res.end(text);
    return { state: 'error', error: errorMessageOf(text) || `${label} answered HTTP ${response.status}.` };
  }

  ctx.respond = false;
  ctx.res.writeHead(response.status, forwardedHeaders(response, secrets));
  if (!response.body) {
    ctx.res.end();
    return { state: 'done' };
  }
  const sse = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  const tap = new AnthropicUsageTap(sse);
  const outcome = await pump(ctx, response.body, { ...options, label, sse, tap });
  return { ...outcome, usage: tap.usage };
}

/** The message of an Anthropic error body, for the request log. */
function errorMessageOf(text: string): string {
  try {
    return plainText(upstreamMessage(JSON.parse(text)) ?? '');
  } catch {
    return plainText(text);
  }
}

function redactedHeader(response: Response, name: string, secrets: string[]): string | undefined {
  const value = response.headers.get(name);
  return value ? redactSecrets(value, secrets) : undefined;
}

/** The headers a client may rely on (`request-id`, `anthropic-*`, retry hints), redacted. */
function forwardedHeaders(response: Response, secrets: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value) out[name] = redactSecrets(value, secrets);
  }
  response.headers.forEach((value, name) => {
    if (name.startsWith('anthropic-')) out[name] = redactSecrets(value, secrets);
  });
  return out;
}

/**
 * Copies the answer to the client as it arrives. A stream that stalls past the idle timeout or
 * is cut off ends with `event: error` (on an event boundary) so the client's SDK reports it;
 * a client that leaves aborts the upstream call. The outcome says whether the answer ended in
 * an error, Anthropic's own `event: error` included (it is the last event when it comes).
 */
async function pump(
  ctx: Context,
  body: ReadableStream<Uint8Array>,
  options: PassthroughOptions & { label: string; sse: boolean; tap: AnthropicUsageTap },
): Promise<PassthroughOutcome> {
  const { abort, label } = options;
  const res = ctx.res;
  const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream);
  let idle = false;
  const watchdog = setTimeout(() => {
    idle = true;
    source.destroy(new Error('idle'));
  }, options.idleMs);
  // The last two pieces, kept by reference (no copy per piece) to look at how the answer ended.
  let last: Buffer | null = null;
  let beforeLast: Buffer | null = null;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      watchdog.refresh();
      if (res.destroyed) break;
      beforeLast = last;
      last = chunk;
      options.tap.push(chunk);
      if (!res.write(chunk)) await once(res, 'drain', { signal: abort.signal }).catch(() => undefined);
    }
    if (res.destroyed) {
      abort.abort();
      return { state: 'aborted' };
    }
    res.end();
    const error = options.sse ? finalErrorEvent(beforeLast, last, options.apiKey) : null;
    return error === null ? { state: 'done' } : { state: 'error', error };
  } catch {
    abort.abort();
    if (res.destroyed) return { state: 'aborted' };
    if (!options.sse) {
      res.destroy();
      return { state: 'error', error: `The connection to ${label} was cut off; the answer is incomplete.` };
    }
    const message = idle
      ? `${label} stopped sending data for ${options.idleMs / 1000} s; the answer is incomplete.`
      : `The connection to ${label} was cut off; the answer is incomplete.`;
    const event = { type: 'error', error: { type: idle ? 'timeout_error' : 'api_error', message } };
    const tail = last ? tailText(beforeLast, last, 2) : '';
    res.end(
      `${tail === '\n\n' || tail === '' ? '' : '\n\n'}event: error\ndata: ${JSON.stringify(event)}\n\n`,
    );
    return { state: 'error', error: message };
  } finally {
    clearTimeout(watchdog);
  }
}

/** The last `n` characters of what was sent (latin1 is enough for `\n` and ASCII). */
function tailText(beforeLast: Buffer | null, last: Buffer, n: number): string {
  const text = last.toString('latin1', Math.max(0, last.length - n));
  if (text.length >= n || !beforeLast) return text;
  return beforeLast.toString('latin1', Math.max(0, beforeLast.length - (n - text.length))) + text;
}

/** When the stream's last event is `event: error`, its message (redacted); otherwise null. */
function finalErrorEvent(beforeLast: Buffer | null, last: Buffer | null, apiKey: string): string | null {
  if (!last) return null;
  const tail = tailText(beforeLast, last, 4096);
  const at = tail.lastIndexOf('event:');
  if (at === -1 || !/^event:\s*error\s*$/m.test(tail.slice(at, tail.indexOf('\n', at) + 1 || undefined))) {
    return null;
  }
  const data = /^data:\s*(.*)$/m.exec(tail.slice(at));
  let message = 'Anthropic ended the stream with an error.';
  try {
    const parsed = JSON.parse(Buffer.from(data?.[1] ?? '', 'latin1').toString('utf8')) as unknown;
    message = plainText(upstreamMessage(parsed) ?? '') || message;
  } catch {
    // Not JSON: keep the generic message.
  }
  return redactSecrets(message, [apiKey]);
}
