/**
 * Refuses requests that did not come from a local program, before anything else runs:
 * - Web pages: browsers send `Origin` on every cross-site POST (and on `fetch` calls), and
 *   `Sec-Fetch-Site` on every request they make; a page's request carries one or the other.
 *   (A form post with `text/plain` and no `Origin` from an old browser is then refused by the
 *   body reader, which accepts only `application/json`.)
 * - DNS rebinding: a page whose host name was re-pointed at 127.0.0.1 reaches us with its own
 *   name in `Host`; while bound to loopback only loopback names and literals are accepted.
 * - Other programs and users: when an access token is required (always, off loopback) it must
 *   be presented as `x-api-key` or `Authorization: Bearer` and match in constant time. Bound
 *   beyond loopback without a token, everything is refused (fail closed).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { ProxyError } from '../errors';
import type { ProxySnapshot } from '../snapshot';

/** `Host` without its port; IPv6 literals keep their brackets. */
export function hostName(hostHeader: string): string {
  const header = hostHeader.trim().toLowerCase();
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.indexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

/**
 * Names a DNS-rebinding page cannot have: `localhost` and loopback literals. (A rebinding
 * attack needs a DNS name it controls; browsers send that name, never the address.)
 */
export function isLocalHostName(name: string): boolean {
  if (name === 'localhost' || name === '[::1]' || name === '[::ffff:127.0.0.1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export function tokensMatch(presented: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Every credential the client presented: `x-api-key` and the Bearer token, when present. */
export function presentedTokens(ctx: Context): string[] {
  const tokens: string[] = [];
  const apiKey = ctx.get('x-api-key');
  if (apiKey) tokens.push(apiKey);
  const match = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
  if (match) tokens.push(match[1].trim());
  return tokens;
}

/** True when any presented credential is the token; every one is compared (no early exit). */
export function tokenPresented(ctx: Context, expected: string): boolean {
  let ok = false;
  for (const token of presentedTokens(ctx)) ok = tokensMatch(token, expected) || ok;
  return ok;
}

const refuse = (message: string) => new ProxyError(403, 'permission_error', message);

export function guard(getSnapshot: () => ProxySnapshot, options: { loopbackOnly: () => boolean }) {
  return async function guardMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.get('origin')) {
      throw refuse('Requests from web pages are refused (Origin header present).');
    }
    const fetchSite = ctx.get('sec-fetch-site').toLowerCase();
    if (fetchSite && fetchSite !== 'none' && fetchSite !== 'same-origin') {
      throw refuse(`Requests from web pages are refused (Sec-Fetch-Site: ${fetchSite}).`);
    }
    const loopbackOnly = options.loopbackOnly();
    if (loopbackOnly && !isLocalHostName(hostName(ctx.get('host')))) {
      throw refuse('Host header is not a local address; request refused.');
    }
    const expected = getSnapshot().accessToken;
    if (!expected && !loopbackOnly) {
      // The controller never starts like this; if it somehow did, nothing gets through.
      throw refuse('Turnout listens beyond this machine without an access token; refusing every request.');
    }
    // Only the start-up probe, `HEAD /` (also under a `/p/<name>` pin), goes without the token:
    // it reveals nothing.
    const probe = ctx.method === 'HEAD' && (ctx.path === '/' || /^\/p\/[^/]+\/?$/.test(ctx.path));
    if (expected && !probe) {
      if (!tokenPresented(ctx, expected)) {
        throw new ProxyError(
          401,
          'authentication_error',
          'Turnout requires its access token: set ANTHROPIC_AUTH_TOKEN (or ANTHROPIC_API_KEY) to it.',
        );
      }
    }
    await next();
  };
}
