/**
 * The upstream's chat-completions SSE body as chunk objects. The `openai` SDK still makes the
 * request (retries, `retry-after`, error statuses); only the body of a successful stream is read
 * here, because the SDK's line and event decoders were one of the largest costs per streamed
 * request (see the README's Performance section). Semantics match the SDK's: `data:` lines form
 * an event, `[DONE]` ends the stream, an `error` object inside the stream is an APIError, and
 * invalid JSON is an error.
 *
 * Linear in the body's size, however large one event is: each network piece is searched for
 * line ends once, and a line that spans pieces is kept as a list of parts joined once when it
 * ends (appending to one string and searching it again on every piece was quadratic: a 20 MB
 * event, e.g. an image as a base64 data URL, cost seconds of CPU).
 */
import { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

/** One event (or one line) larger than this is refused rather than held in memory. */
export const MAX_EVENT_CHARS = 64 * 1024 * 1024;

function parse(data: string): ChatCompletionChunk | 'done' {
  if (data.startsWith('[DONE]')) return 'done';
  const chunk = JSON.parse(data) as ChatCompletionChunk & { error?: unknown };
  if (chunk && typeof chunk === 'object' && chunk.error) {
    throw new APIError(undefined, chunk.error as object, undefined, undefined);
  }
  return chunk;
}

function tooLarge(): Error {
  return new Error(`The upstream sent one stream event larger than ${MAX_EVENT_CHARS / (1024 * 1024)} MB.`);
}

/**
 * `onData` is called for every network piece, before it is parsed: bytes of an event still
 * arriving and comment lines (`: OPENROUTER PROCESSING`) are upstream activity too.
 */
export async function* sseChunks(
  body: AsyncIterable<Uint8Array>,
  onData?: () => void,
): AsyncGenerator<ChatCompletionChunk> {
  const decoder = new TextDecoder();
  // The parts of a line that has not ended yet, and their length; null when there is none.
  let partial: string[] | null = null;
  let partialLength = 0;
  // The `data:` lines of the event being read, joined by `\n`.
  let data: string | null = null;

  /** One complete line; returns a chunk when it ends an event, 'done' at `[DONE]`. */
  const line = (raw: string): ChatCompletionChunk | 'done' | null => {
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (text === '') {
      if (data === null) return null;
      const event = data;
      data = null;
      return parse(event);
    }
    if (text.startsWith('data:')) {
      const value = text.charCodeAt(5) === 32 ? text.slice(6) : text.slice(5);
      data = data === null ? value : `${data}\n${value}`;
      if (data.length > MAX_EVENT_CHARS) throw tooLarge();
    }
    // Comments and other fields (event, id, retry) carry nothing for chat completions.
    return null;
  };

  for await (const piece of body) {
    onData?.();
    const text = decoder.decode(piece, { stream: true });
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      let raw = text.slice(start, end);
      if (partial !== null) {
        partial.push(raw);
        raw = partial.join('');
        partial = null;
        partialLength = 0;
      }
      start = end + 1;
      const result = line(raw);
      if (result === 'done') return;
      if (result !== null) yield result;
    }
    if (start < text.length) {
      partialLength += text.length - start;
      if (partialLength > MAX_EVENT_CHARS) throw tooLarge();
      (partial ??= []).push(start === 0 ? text : text.slice(start));
    }
  }
  // The last event may end without its blank line.
  const rest = (partial?.join('') ?? '') + decoder.decode();
  if (rest) {
    const result = line(rest);
    if (result === 'done') return;
    if (result !== null) yield result;
  }
  if (data !== null) {
    const result = parse(data);
    if (result !== 'done') yield result;
  }
}
