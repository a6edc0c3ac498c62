/**
 * Refuses requests that did not come from a local program. Web pages always send `Origin` on
 * cross-site POSTs; a DNS-rebinding page reaches us with its own host name in `Host`. When an
 * access token is required (always, off loopback), it must match in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { ProxyError } from '../errors';
import type { ProxySnapshot } from '../snapshot';

const LOCAL_HOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `Host` without its port; IPv6 literals keep their brackets. */
export function hostName(hostHeader: string): string {
  const header = hostHeader.trim().toLowerCase();
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.indexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

export function tokensMatch(presented: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function presentedToken(ctx: Context): string | null {
  const apiKey = ctx.get('x-api-key');
  if (apiKey) return apiKey;
  const auth = ctx.get('authorization');
  const match = /^Bearer\s+(.+)$/i.exec(auth);
  return match ? match[1].trim() : null;
}

export function guard(getSnapshot: () => ProxySnapshot, options: { loopbackOnly: () => boolean }) {
  return async function guardMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.get('origin')) {
      throw new ProxyError(
        403,
        'permission_error',
        'Requests from web pages are refused (Origin header present).',
      );
    }
    if (options.loopbackOnly() && !LOCAL_HOST_NAMES.has(hostName(ctx.get('host')))) {
      throw new ProxyError(403, 'permission_error', 'Host header is not a local address; request refused.');
    }
    const expected = getSnapshot().accessToken;
    if (expected && ctx.path !== '/') {
      const presented = presentedToken(ctx);
      if (!presented || !tokensMatch(presented, expected)) {
        throw new ProxyError(
          401,
          'authentication_error',
          'Switchyard requires its access token: set ANTHROPIC_AUTH_TOKEN (or ANTHROPIC_API_KEY) to it.',
        );
      }
    }
    await next();
  };
}
