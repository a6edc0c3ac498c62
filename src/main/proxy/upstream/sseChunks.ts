/**
 * The upstream's chat-completions SSE body as chunk objects. The `openai` SDK still makes the
 * request (retries, `retry-after`, error statuses); only the body of a successful stream is read
 * here, because the SDK's line and event decoders were one of the largest costs per streamed
 * request (see the README's Performance section). Semantics match the SDK's: `data:` lines form
 * an event, `[DONE]` ends the stream, an `error` object inside the stream is an APIError, and
 * invalid JSON is an error.
 */
import { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

/**
 * Joins the `data:` lines of one event (SSE allows several; comments and other fields are
 * ignored), except that an `error:` line wins: llama.cpp's server (builds through 2025) sends
 * mid-stream failures as `error: {"code":400,"message":…}` instead of a data line
 * (ggml-org/llama.cpp#16104, fixed in #16109; the installed base still sends it).
 */
function eventData(block: string): string | null {
  let data: string | null = null;
  let error: string | null = null;
  let start = 0;
  while (start <= block.length) {
    let end = block.indexOf('\n', start);
    if (end === -1) end = block.length;
    const line = block.charCodeAt(end - 1) === 13 ? block.slice(start, end - 1) : block.slice(start, end);
    if (line.startsWith('data:')) {
      const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      data = data === null ? value : `${data}\n${value}`;
    } else if (line.startsWith('error:')) {
      error = line.slice(6).trim();
    }
    start = end + 1;
  }
  return error !== null ? `{"error":${error.startsWith('{') ? error : JSON.stringify(error)}}` : data;
}

/** The end of the next event in `buffer` from `from`, as [blockEnd, nextStart], or null. */
function nextEventEnd(buffer: string, from: number): [number, number] | null {
  const lf = buffer.indexOf('\n\n', from);
  const crlf = buffer.indexOf('\r\n\r\n', from);
  if (lf === -1 && crlf === -1) return null;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return [crlf, crlf + 4];
  return [lf, lf + 2];
}

export async function* sseChunks(body: AsyncIterable<Uint8Array>): AsyncGenerator<ChatCompletionChunk> {
  const decoder = new TextDecoder();
  let buffer = '';
  const parse = (block: string): ChatCompletionChunk | 'done' | null => {
    const data = eventData(block);
    if (data === null) return null;
    if (data.startsWith('[DONE]')) return 'done';
    const chunk = JSON.parse(data) as ChatCompletionChunk & { error?: unknown };
    if (chunk && typeof chunk === 'object' && chunk.error) {
      throw new APIError(undefined, chunk.error as object, undefined, undefined);
    }
    // vLLM and Mistral send errors as an envelope of their own: {"object":"error","message":…}.
    if (chunk && typeof chunk === 'object' && (chunk as { object?: unknown }).object === 'error') {
      throw new APIError(undefined, chunk as object, undefined, undefined);
    }
    return chunk;
  };
  for await (const piece of body) {
    buffer += decoder.decode(piece, { stream: true });
    let from = 0;
    let end: [number, number] | null;
    while ((end = nextEventEnd(buffer, from)) !== null) {
      const result = parse(buffer.slice(from, end[0]));
      from = end[1];
      if (result === 'done') return;
      if (result !== null) yield result;
    }
    buffer = from === 0 ? buffer : buffer.slice(from);
  }
  buffer += decoder.decode();
  if (buffer.trim()) {
    const result = parse(buffer);
    if (result !== null && result !== 'done') yield result;
  }
}
