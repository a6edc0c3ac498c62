/**
 * Reads a JSON request body with a size limit. Koa has no body parser of its own and the one
 * we need is twenty lines: a limit (413 `request_too_large`), a JSON content type (which also
 * refuses the `text/plain` form posts a web page can send without a CORS preflight), and a
 * parse error that says where the JSON broke.
 */
import type { IncomingMessage } from 'node:http';
import { invalidRequest, ProxyError } from '../errors';

export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface RawJsonBody {
  raw: Buffer;
  value: unknown;
}

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<RawJsonBody> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    // Drain so the connection stays usable for keep-alive.
    req.resume();
    throw invalidRequest(`Content-Type must be application/json (got ${type ? `"${type}"` : 'none'}).`);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  if (size === 0) throw invalidRequest('The request body is empty; expected a JSON object.');
  try {
    return { raw, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    throw invalidRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(limit: number): ProxyError {
  return new ProxyError(
    413,
    'request_too_large',
    `Request body exceeds the ${limit / (1024 * 1024)} MB limit.`,
  );
}
