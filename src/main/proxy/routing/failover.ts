/**
 * Which failures, before the first byte reaches the client, move a request to the next
 * provider. The answer depends only on the failure:
 *  - next: connect errors and timeouts (502/504 from the upstream layer), 408, 429, 402,
 *    `insufficient_quota` in any status, 5xx, 529 — the provider cannot serve now, another may;
 *  - long-context: a 400 that says the input is too long — the request may fit a long-context
 *    route, never the same-sized fallbacks;
 *  - attention: 401/403 — the provider refuses its key; retrying elsewhere would hide that;
 *  - stop: any other 4xx is the request's own fault and would fail anywhere.
 */
import type { ProxyError } from '../errors';

export type FailoverDecision = 'next' | 'long-context' | 'attention' | 'stop';

// Wording of a spent quota or usage limit. Not a bare "limit reached": OpenAI's transient rate
// limits say "Rate limit reached for requests", which a short wait cures.
const QUOTA_WORDING = /insufficient_quota|quota|usage limit|billing|credits?\b/i;

/** Whether an error text says the quota or usage limit is spent (no retry soon will help). */
export function saysQuotaSpent(text: string): boolean {
  return QUOTA_WORDING.test(text);
}
const CONTEXT_OVERFLOW =
  /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long|reduce the length|tokens? (limit|exceed)/i;

export function failoverDecision(error: ProxyError, detail = ''): FailoverDecision {
  const { status } = error;
  if (status === 401 || status === 403) return 'attention';
  if (status === 408 || status === 429 || status === 402 || status >= 500) return 'next';
  if (/insufficient_quota/i.test(detail)) return 'next';
  if (status === 400 || status === 413) {
    return CONTEXT_OVERFLOW.test(error.message) || CONTEXT_OVERFLOW.test(detail) ? 'long-context' : 'stop';
  }
  return 'stop';
}

/**
 * A failure a retry on the same provider will not cure soon: the quota or usage limit is spent
 * (402, `insufficient_quota`, a 429 that says so). The breaker opens at once for these.
 */
export function isQuotaExhausted(error: ProxyError, detail = ''): boolean {
  if (error.status === 402 || /insufficient_quota/i.test(detail)) return true;
  return error.status === 429 && QUOTA_WORDING.test(error.message);
}
