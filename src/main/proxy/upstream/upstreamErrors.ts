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

/** An error page's text is looked at up to this far; a message needs far less. */
const MAX_SCANNED = 1024 * 1024;
const TAG_START = /<\/?[a-z]/i;
const RAW_TEXT_TAG = /^<(script|style)[\s>/]/i;
const RAW_TEXT_END = /<\/(script|style)\s*>/gi;

/**
 * An upstream message as one line of text: HTML error pages reduced to their text, whitespace
 * collapsed, cut to MAX_MESSAGE. Linear in the input whatever it holds (regexes with a `*`
 * before `>` were quadratic on a page of `<a<a<a…` with no `>`).
 */
export function plainText(text: string): string {
  const scanned = text.length > MAX_SCANNED ? text.slice(0, MAX_SCANNED) : text;
  const tag = TAG_START.exec(scanned);
  const stripped = tag && scanned.indexOf('>', tag.index) !== -1 ? stripTags(scanned) : scanned;
  const collapsed = stripped.replace(/\s+/g, ' ').trim();
  return collapsed.length > MAX_MESSAGE ? `${collapsed.slice(0, MAX_MESSAGE)}…` : collapsed;
}

/** Tags become spaces, `<script>`/`<style>` elements vanish; one pass, each character once. */
function stripTags(html: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt));
    const next = html.charCodeAt(lt + 1);
    const isTag = (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 47 || next === 33;
    if (!isTag) {
      out.push('<');
      i = lt + 1;
      continue;
    }
    // Everything up to the next `>` is the tag (a `<` inside it included): no `>` left, no tags left.
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) {
      out.push(html.slice(lt));
      break;
    }
    out.push(' ');
    i = gt + 1;
    if (RAW_TEXT_TAG.test(html.slice(lt, lt + 8))) {
      RAW_TEXT_END.lastIndex = i;
      const end = RAW_TEXT_END.exec(html);
      if (!end) break;
      i = end.index + end[0].length;
    }
  }
  return out.join('');
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
    const causeText = innermostCode(error.cause) ?? (error.cause as Error | undefined)?.message;
    // A cause's message can quote the upstream (a TLS or HTTP parser error); it is one line, redacted.
    const cause = causeText && redactSecrets(plainText(causeText), secrets);
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
