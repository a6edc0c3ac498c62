/**
 * Accounting for the `openai` SDK's own retries. The SDK retries failures before the first byte
 * (429, 408, 409, 5xx, connection errors, timeouts) with backoff and honours `retry-after`; it
 * never retries once a response has been returned, so a stream that has begun is never replayed.
 *
 * What this module adds, without sending anything extra upstream:
 * - a per-request attempt count (for the request log's `retries`). The log travels with each
 *   request in the SDK's per-request `fetchOptions`, which the SDK spreads into every attempt's
 *   RequestInit, so one pooled client serves concurrent requests. (AsyncLocalStorage would do
 *   the same, but on Node 20 it turns on promise hooks for every promise in the process.)
 * - whether the last failure was a connect timeout (the SDK reports every timeout alike);
 * - a ceiling on `retry-after`: the SDK would sleep for whatever an upstream asks (an hour, say),
 *   holding the client's request open. Past the ceiling the 429/5xx goes straight back to the
 *   client, `retry-after` included, and the client's SDK decides when to try again;
 * - no retry of a 429 that says the quota or usage limit is spent.
 */
import type OpenAI from 'openai';
import { saysQuotaSpent } from '../routing/failover';
import { ERROR_BODY_CAP, readBounded } from './boundedBody';

/** The SDK's per-request options (its type module is not exported by name). */
type RequestOptions = NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>;

/** Longest `retry-after` the proxy waits out itself before retrying. */
export const MAX_RETRY_AFTER_MS = 30_000;

export interface AttemptLog {
  /** Upstream fetches made for this request (1 = no retry). */
  attempts: number;
  /** The last attempt failed while connecting (TCP/TLS) rather than waiting for an answer. */
  connectTimedOut: boolean;
}

/** The RequestInit field that carries a request's attempt log to `countingFetch`. */
const ATTEMPT_LOG = 'turnoutAttemptLog';

/** Per-request SDK options that make `countingFetch` count into `log`. */
export function attemptLogOptions(log: AttemptLog): Pick<RequestOptions, 'fetchOptions'> {
  return { fetchOptions: { [ATTEMPT_LOG]: log } as RequestOptions['fetchOptions'] };
}

export function newAttemptLog(): AttemptLog {
  return { attempts: 0, connectTimedOut: false };
}

/** Retries spent so far: attempts after the first. */
export function retriesOf(log: AttemptLog): number {
  return Math.max(0, log.attempts - 1);
}

/** The innermost error code (undici nests them: TypeError → cause → cause). */
export function innermostCode(error: unknown): string | undefined {
  let code: string | undefined;
  let node = error as { cause?: unknown; code?: unknown } | undefined;
  for (let depth = 0; node && depth < 6; depth++) {
    if (typeof node.code === 'string') code = node.code;
    node = node.cause as typeof node;
  }
  return code;
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/** `retry-after-ms` or `retry-after` (seconds or an HTTP date) in ms; undefined when absent. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms)) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = parseFloat(raw);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : date - now;
}

/** Wraps the fetch the SDK uses: counts attempts and caps how long a retry may be deferred. */
export function countingFetch(base: typeof fetch, maxRetryAfterMs = MAX_RETRY_AFTER_MS): typeof fetch {
  return async (input, init) => {
    const log = (init as Record<string, unknown> | undefined)?.[ATTEMPT_LOG] as AttemptLog | undefined;
    if (log) {
      log.attempts += 1;
      log.connectTimedOut = false;
    }
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      if (log && innermostCode(error) === 'UND_ERR_CONNECT_TIMEOUT') log.connectTimedOut = true;
      throw error;
    }
    if (response.ok || !RETRYABLE(response.status) || response.headers.get('x-should-retry') !== null) {
      return response;
    }
    const wait = retryAfterMs(response.headers);
    // Too long to hold the client's request open: hand the error back now, retry-after intact.
    if (wait !== undefined && wait > maxRetryAfterMs) return withoutRetry(response);
    // A 429 that says the quota or usage limit is spent: retrying within seconds cannot help,
    // and with no fallback left the client would wait out the SDK's backoff for the same answer.
    if (response.status === 429) {
      const { text } = await readBounded(response.clone().body as AsyncIterable<Uint8Array> | null, {
        cap: ERROR_BODY_CAP,
      });
      if (saysQuotaSpent(text)) return withoutRetry(response);
    }
    return response;
  };
}

/** The same answer, marked so the SDK hands it back instead of retrying. */
function withoutRetry(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
