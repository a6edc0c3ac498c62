/**
 * Reads an upstream body that Turnout holds whole (error bodies, non-streamed answers) with two
 * bounds: a cap on what is kept (the rest is discarded unread, and the connection with it) and
 * an idle timeout between bytes (headers followed by silence would otherwise hang the request
 * until the upstream closed the connection).
 */
import { APIUserAbortError } from 'openai';
import { ProxyError } from '../errors';
import { redactSecrets } from '../redact';
import { plainText } from './upstreamErrors';

/** Error bodies are kept up to this much; a message needs a few hundred bytes of it. */
export const ERROR_BODY_CAP = 1024 * 1024;

export class BodyTimeout extends Error {
  constructor(readonly idleMs: number) {
    super(`no data for ${idleMs} ms`);
  }
}

export interface BoundedText {
  text: string;
  /** True when the body was longer than the cap and the rest was discarded. */
  truncated: boolean;
}

type Body = AsyncIterable<Uint8Array> & {
  destroy?: (error?: Error) => void;
  cancel?: (reason?: unknown) => Promise<void>;
};

/**
 * The body as text, at most `cap` bytes of it. With `idleMs`, a gap longer than that between
 * two pieces rejects with BodyTimeout (and the body is destroyed). `onStop` runs when the body
 * is given up early, e.g. to abort the request it belongs to.
 */
export async function readBounded(
  body: AsyncIterable<Uint8Array> | null | undefined,
  options: { cap: number; idleMs?: number; onStop?: () => void },
): Promise<BoundedText> {
  if (!body) return { text: '', truncated: false };
  const source = body as Body;
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const stop = () => {
    options.onStop?.();
    void iterator.return?.().catch(() => undefined);
    source.destroy?.();
  };
  try {
    for (;;) {
      const next = options.idleMs ? await withIdle(iterator.next(), options.idleMs) : await iterator.next();
      if (next.done) break;
      const piece = next.value;
      if (size + piece.length > options.cap) {
        chunks.push(piece.subarray(0, options.cap - size));
        size = options.cap;
        truncated = true;
        stop();
        break;
      }
      chunks.push(piece);
      size += piece.length;
    }
  } catch (error) {
    if (error instanceof BodyTimeout) stop();
    throw error;
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated };
}

function withIdle<T>(promise: Promise<T>, idleMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyTimeout(idleMs)), idleMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The client-facing error for an answer whose body stalled. */
export function bodyTimeoutError(label: string, idleMs: number): ProxyError {
  return new ProxyError(
    504,
    'timeout_error',
    `${label} sent the headers of its answer, then no data for ${idleMs / 1000} s (body timeout).`,
  );
}

/** A non-streamed answer larger than this is refused (the proxy holds it whole to translate it). */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * A non-streamed answer's JSON, read with the body timeout: an upstream that sends the headers
 * and then stalls gets 504 after `idleMs` of silence instead of hanging until it closes.
 * A client that leaves meanwhile surfaces as the SDK's abort error (nothing to answer).
 */
export async function readJsonAnswer(
  response: Response,
  options: { label: string; idleMs: number; abort: AbortController; secrets: string[] },
): Promise<unknown> {
  const { label, idleMs, abort } = options;
  let answer: BoundedText;
  try {
    answer = await readBounded(response.body as AsyncIterable<Uint8Array> | null, {
      cap: MAX_ANSWER_BYTES,
      idleMs,
      onStop: () => abort.abort(),
    });
  } catch (error) {
    if (error instanceof BodyTimeout) throw bodyTimeoutError(label, idleMs);
    if (abort.signal.aborted) throw new APIUserAbortError();
    throw new ProxyError(
      502,
      'api_error',
      `The connection to ${label} was cut off while it sent its answer.`,
    );
  }
  if (answer.truncated) {
    throw new ProxyError(
      502,
      'api_error',
      `${label} sent an answer larger than ${MAX_ANSWER_BYTES / (1024 * 1024)} MB; Turnout does not hold answers that large.`,
    );
  }
  try {
    return JSON.parse(answer.text);
  } catch {
    const sample = redactSecrets(plainText(answer.text), options.secrets).slice(0, 200);
    throw new ProxyError(
      502,
      'api_error',
      `${label} answered with something that is not JSON${sample ? `: ${sample}` : ''}.`,
    );
  }
}
