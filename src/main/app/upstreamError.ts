/**
 * Turns a failed call to a provider (through the openai SDK or plain fetch) into the upstream's
 * own words, for the Settings window's Test button and model lists. The key is never part of it.
 */
import { APIError } from 'openai';

export interface UpstreamFailure {
  status: number | null;
  message: string;
}

/** Replaces every occurrence of the key (and of its long prefixes) with a mask. */
export function redactKey(text: string, key: string | undefined): string {
  if (!key || key.length < 4) return text;
  return text.split(key).join('••••');
}

/**
 * A fetch for the openai SDK that keeps the body of the last error response: the SDK reads only
 * `{error: {...}}` bodies, and some providers (Gemini) answer with an array or plain text.
 */
export function errorBodyCapture(): { fetch: typeof fetch; body: () => string | null } {
  let body: string | null = null;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!response.ok) body = await response.clone().text();
      return response;
    },
    body: () => body,
  };
}

export function describeUpstreamError(
  error: unknown,
  key: string | undefined,
  rawBody?: string | null,
): UpstreamFailure {
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    let message = rawBody ? messageFromBody(rawBody) : error.message;
    // The SDK prefixes the status ("401 Incorrect API key…"); the status is reported separately.
    if (status !== null && message.startsWith(`${status} `))
      message = message.slice(String(status).length + 1);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (status === null && cause?.code) message = `${message} (${cause.code})`;
    return { status, message: redactKey(message, key) };
  }
  if (error instanceof Error) {
    const code =
      (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
    const status = (error as { status?: unknown }).status;
    const message = error.name === 'TimeoutError' ? 'The provider did not answer in time.' : error.message;
    return {
      status: typeof status === 'number' ? status : null,
      message: redactKey(code ? `${message} (${code})` : message, key),
    };
  }
  return { status: null, message: redactKey(String(error), key) };
}

/** The message from an error body as providers send it ({error:{message}}, [{error:…}], text). */
export function messageFromBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const inner = (first as { error?: { message?: unknown } | string })?.error;
    if (typeof inner === 'string') return inner;
    if (inner && typeof inner.message === 'string') return inner.message;
  } catch {
    // Not JSON: the text itself is the message.
  }
  return body.slice(0, 500) || '(empty response)';
}
