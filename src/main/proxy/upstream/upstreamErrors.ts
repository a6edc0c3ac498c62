/**
 * Upstream failures as Anthropic errors: the status mirrored and typed per the Anthropic table,
 * the upstream's own message text kept (Claude Code's recovery logic matches on wording), keys
 * redacted, HTML error pages reduced to their text.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { errorTypeForStatus, ProxyError } from '../errors';
import { redactSecrets } from '../redact';
import { innermostCode } from './upstreamAttempts';

const MAX_MESSAGE = 600;

/** Pulls the human message out of the error bodies backends send (OpenAI, Gemini's arrays…). */
export function upstreamMessage(body: unknown): string | undefined {
  if (Array.isArray(body)) return upstreamMessage(body[0]);
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.message === 'string') return record.message;
  if (record.error !== undefined) return upstreamMessage(record.error);
  return undefined;
}

export function plainText(text: string): string {
  const stripped = /<\/?[a-z][\s\S]*>/i.test(text)
    ? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
    : text;
  const collapsed = stripped.replace(/\s+/g, ' ').trim();
  return collapsed.length > MAX_MESSAGE ? `${collapsed.slice(0, MAX_MESSAGE)}…` : collapsed;
}

export interface UpstreamFailure {
  /** null: the client went away, nothing to answer. */
  error: ProxyError | null;
  /** For the request log's detail pane (redacted). */
  detail?: string;
}

export interface UpstreamErrorHints {
  /** The failed attempt timed out while connecting (the SDK reports every timeout alike). */
  connectTimedOut?: boolean;
}

const connectTimeout = (label: string): ProxyError =>
  new ProxyError(504, 'timeout_error', `${label} did not accept a connection in time (connect timeout).`);

export function mapUpstreamError(
  error: unknown,
  label: string,
  secrets: string[],
  hints: UpstreamErrorHints = {},
): UpstreamFailure {
  if (error instanceof ProxyError) return { error };
  if (error instanceof APIUserAbortError) return { error: null };
  if (error instanceof APIConnectionTimeoutError) {
    return {
      error: hints.connectTimedOut
        ? connectTimeout(label)
        : new ProxyError(504, 'timeout_error', `${label} did not answer in time (first-byte timeout).`),
    };
  }
  if (error instanceof APIConnectionError) {
    if (innermostCode(error) === 'UND_ERR_CONNECT_TIMEOUT') return { error: connectTimeout(label) };
    const cause = innermostCode(error.cause) ?? (error.cause as Error | undefined)?.message;
    return {
      error: new ProxyError(502, 'api_error', `Could not reach ${label}${cause ? ` (${cause})` : ''}.`),
    };
  }
  if (error instanceof APIError && (typeof error.status === 'number' || error.error !== undefined)) {
    // An error object inside a 200 stream has no HTTP status; its `code` often is one.
    const code = Number((error.error as { code?: unknown } | undefined)?.code);
    const status = error.status ?? (Number.isInteger(code) && code >= 400 && code < 600 ? code : 502);
    const fromBody = upstreamMessage(error.error);
    const fallback = error.message.replace(/^\d{3}\s*/, '');
    const text = redactSecrets(plainText(fromBody ?? fallback ?? ''), secrets);
    const message = text || `${label} answered HTTP ${status}.`;
    const retryAfter = error.headers?.get('retry-after') ?? undefined;
    const detail =
      error.error !== undefined
        ? redactSecrets(JSON.stringify(error.error).slice(0, 4000), secrets)
        : message;
    return { error: new ProxyError(status, errorTypeForStatus(status), message, retryAfter), detail };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: new ProxyError(502, 'api_error', `${label} failed: ${redactSecrets(plainText(message), secrets)}`),
  };
}

/**
 * A 200 answer that is really an error (`{"error": {...}}` and no `choices`), which some
 * gateways send: mapped like an HTTP error so the client never gets an empty "success".
 */
export function errorInBody(body: unknown, label: string, secrets: string[]): ProxyError | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return new ProxyError(
      502,
      'api_error',
      `${label} answered with something that is not a chat completion.`,
    );
  }
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.choices)) return null;
  if (record.error === undefined || record.error === null) {
    return new ProxyError(502, 'api_error', `${label} answered without any choices.`);
  }
  const code = Number((record.error as { code?: unknown }).code);
  const status = Number.isInteger(code) && code >= 400 && code < 600 ? code : 502;
  const text = redactSecrets(plainText(upstreamMessage(record.error) ?? ''), secrets);
  return new ProxyError(status, errorTypeForStatus(status), text || `${label} answered with an error.`);
}

/** The Responses API's counterpart of errorInBody: a 200 answer without `output`, or a failed one. */
export function responsesErrorInBody(body: unknown, label: string, secrets: string[]): ProxyError | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return new ProxyError(502, 'api_error', `${label} answered with something that is not a response.`);
  }
  const record = body as Record<string, unknown>;
  const failed =
    record.status === 'failed'
      ? (record.error ?? { message: `${label} reported a failed response.` })
      : undefined;
  if (Array.isArray(record.output) && !failed) return null;
  const error = failed ?? record.error;
  if (error === undefined || error === null) {
    return new ProxyError(502, 'api_error', `${label} answered without any output.`);
  }
  const code = Number((error as { code?: unknown }).code);
  const status = Number.isInteger(code) && code >= 400 && code < 600 ? code : 502;
  const text = redactSecrets(plainText(upstreamMessage(error) ?? ''), secrets);
  return new ProxyError(status, errorTypeForStatus(status), text || `${label} answered with an error.`);
}
