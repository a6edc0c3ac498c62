/**
 * The upstream's Responses API SSE body as event objects, read by the same line parser as chat
 * streams (sseChunks). A stream that reports failure (`error`, `response.failed`) throws an
 * APIError like an HTTP error would, so a failure before the first byte still answers the client
 * with a status, and a later one ends the stream with `event: error` of the right type.
 */
import { APIError } from 'openai';
import type { ResponsesEvent } from '../translate/responses/stream';
import { sseChunks } from './sseChunks';

/** OpenAI's error codes in streams (documented for `error` events and `response.error`). */
const STATUS_FOR_CODE: Record<string, number> = {
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  server_is_overloaded: 529,
  invalid_prompt: 400,
  context_length_exceeded: 400,
};

export function streamFailure(error: { code?: unknown; message?: unknown } | null | undefined): APIError {
  const code = typeof error?.code === 'string' ? error.code : '';
  const status = STATUS_FOR_CODE[code] ?? 502;
  const message = typeof error?.message === 'string' ? error.message : 'The upstream response failed.';
  return new APIError(status, { message, code }, message, undefined);
}

/** Lifecycle events that carry nothing for the client: not passed on (see below). */
const SILENT = new Set(['response.created', 'response.queued', 'response.in_progress']);

export async function* responseEvents(
  body: AsyncIterable<Uint8Array>,
  onData?: () => void,
): AsyncGenerator<ResponsesEvent> {
  for await (const chunk of sseChunks(body, onData)) {
    const event = chunk as unknown as ResponsesEvent;
    // The relay commits the 200 at the first event it gets; skipping these keeps a failure that
    // follows them (rate limit, invalid prompt) an HTTP error with its status.
    if (SILENT.has(event?.type)) continue;
    if (event?.type === 'error') throw streamFailure(event);
    if (event?.type === 'response.failed') throw streamFailure(event.response?.error);
    yield event;
  }
}
