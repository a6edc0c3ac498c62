/**
 * Methods per path. A known path asked with another method gets 405 in Anthropic's error shape
 * with `Allow` (instead of the router's plain-text 405, or 501 for methods it does not know such
 * as TRACE), so every answer a client can get is one its SDK can read.
 */
import type { Context, Next } from 'koa';
import { methodNotAllowed } from '../errors';

export function allowedMethods(table: Record<string, string[]>) {
  // HEAD is answered wherever GET is (the router serves it from the GET route).
  const allowed = new Map(
    Object.entries(table).map(([path, methods]) => [
      path,
      methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods,
    ]),
  );
  return async function methodsMiddleware(ctx: Context, next: Next): Promise<void> {
    // Under a `/p/<name>` pin the same paths take the same methods.
    const methods = allowed.get(ctx.path.replace(/^\/p\/[^/]+(?=\/|$)/, '') || '/');
    if (methods && !methods.includes(ctx.method)) {
      throw methodNotAllowed(ctx.method, ctx.path, methods.join(', '));
    }
    await next();
  };
}
