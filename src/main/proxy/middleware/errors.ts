/**
 * The outermost middleware: gives every request an id (`request-id` header, as Anthropic does)
 * and turns anything thrown below into an Anthropic error body. Unknown errors become a generic
 * `api_error`: a stack trace never reaches a client.
 */
import type { Context, Next } from 'koa';
import { errorBody, ProxyError } from '../errors';
import { newRequestId } from '../ids';

export interface RequestState {
  requestId: string;
}

export async function requestContext(ctx: Context, next: Next): Promise<void> {
  const requestId = newRequestId();
  (ctx.state as RequestState).requestId = requestId;
  ctx.set('request-id', requestId);
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
      throw new ProxyError(404, 'not_found_error', `No route for ${ctx.method} ${ctx.path}.`);
    }
  } catch (error) {
    const known = error instanceof ProxyError;
    if (!known) reportBug(error);
    if (ctx.headerSent || ctx.respond === false) {
      // A streamed answer already started; the stream relay reports its own failures.
      if (!ctx.res.writableEnded) ctx.res.end();
      return;
    }
    const status = known ? error.status : 500;
    ctx.status = status;
    if (known && error.retryAfter) ctx.set('retry-after', error.retryAfter);
    if (known && error.allow) ctx.set('allow', error.allow);
    if (!ctx.req.complete) closeAfterAnswer(ctx);
    ctx.body = errorBody(
      known ? error.type : 'api_error',
      known ? error.message : 'Internal error in Turnout; see its log.',
      requestId,
    );
  }
}

/** How long a refused client gets to read the answer before its connection is cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * Refused before its body was read (413, 529, a wrong content type, a missing token): reading
 * the rest just to keep the connection alive would spend the very time and memory the refusal
 * saves, so the answer says `Connection: close` and the socket goes once it is written (after a
 * short grace, so the client can read the answer while it is still sending).
 */
function closeAfterAnswer(ctx: Context): void {
  ctx.set('connection', 'close');
  const { req, res } = ctx;
  res.once('finish', () => {
    req.socket.end();
    setTimeout(() => req.socket.destroy(), CLOSE_GRACE_MS).unref();
  });
}

function reportBug(error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`turnout: unexpected error: ${detail}\n`);
}
