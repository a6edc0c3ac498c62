/**
 * Reads a JSON request body with limits. Koa has no body parser of its own and the one we need
 * is short: a size limit (413 `request_too_large`), a JSON content type (which also refuses the
 * `text/plain` form posts a web page can send without a CORS preflight), a parse error that says
 * where the JSON broke, a nesting-depth limit, and a budget shared by every body in flight.
 *
 * Any refusal leaves the rest of the body unread; the error middleware then closes the
 * connection after answering (reading on would cost the very memory and time the limit saves).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest, ProxyError } from '../errors';

export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Deeper client JSON is refused: nothing legitimate nests this far, and recursion would not cope. */
export const MAX_JSON_DEPTH = 400;
/**
 * Bytes of request bodies held at once, all requests together. A body costs several times its
 * size in memory while parsed and translated; past the budget new bodies get 529.
 */
export const BODY_BUDGET_BYTES = 256 * 1024 * 1024;

export interface RawJsonBody {
  raw: Buffer;
  value: unknown;
}

/** Bytes reserved by the bodies being read or processed; released when each response closes. */
let bodiesInFlight = 0;

export function bodyBytesInFlight(): number {
  return bodiesInFlight;
}

/** Reserves body bytes for one request until its response closes. */
class BodyReservation {
  private held = 0;
  private released = false;

  constructor(res: ServerResponse) {
    res.once('close', () => this.release());
  }

  /** Grows the reservation to `bytes`; false when that would exceed the global budget. */
  grow(bytes: number): boolean {
    // A response already closed (client gone) holds nothing; its read is about to fail anyway.
    if (bytes <= this.held || this.released) return true;
    if (bodiesInFlight + bytes - this.held > BODY_BUDGET_BYTES) return false;
    bodiesInFlight += bytes - this.held;
    this.held = bytes;
    return true;
  }

  release(): void {
    this.released = true;
    bodiesInFlight -= this.held;
    this.held = 0;
  }
}

export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_BODY_BYTES,
): Promise<RawJsonBody> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw invalidRequest(`Content-Type must be application/json (got ${type ? `"${type}"` : 'none'}).`);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  // The declared size is reserved up front, so bodies that would not fit are refused unread.
  const reservation = new BodyReservation(res);
  if (declared > 0 && !reservation.grow(declared)) throw overBudget();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      if (size > declared && !reservation.grow(size)) throw overBudget();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    // The client hung up mid-body: nobody is left to answer, and it is not a bug of ours.
    throw invalidRequest('The connection closed before the whole request body arrived.');
  }
  const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  if (size === 0) throw invalidRequest('The request body is empty; expected a JSON object.');
  if (!withinDepth(raw, MAX_JSON_DEPTH)) {
    throw invalidRequest(`The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return { raw, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    throw invalidRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when no array or object nests deeper than `max`. One pass over the bytes; strings, most
 * of a request's bytes, are skipped with the native `indexOf`. Invalid JSON is left to JSON.parse.
 */
export function withinDepth(raw: Buffer, max: number): boolean {
  let depth = 0;
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw[i];
    if (c === QUOTE) {
      let end = i;
      for (;;) {
        end = raw.indexOf(QUOTE, end + 1);
        if (end === -1) return true;
        let backslashes = 0;
        while (raw[end - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return true;
}

function tooLarge(limit: number): ProxyError {
  return new ProxyError(
    413,
    'request_too_large',
    `Request body exceeds the ${limit / (1024 * 1024)} MB limit.`,
  );
}

function overBudget(): ProxyError {
  return new ProxyError(
    529,
    'overloaded_error',
    `Turnout is holding ${BODY_BUDGET_BYTES / (1024 * 1024)} MB of request bodies already; retry shortly.`,
    '1',
  );
}
