/**
 * What the scripted models of the Claude Code suites answer with: OpenAI chat-completions
 * chunks, streamed as server-sent events ending in `data: [DONE]`
 * (https://platform.openai.com/docs/api-reference/chat-streaming), or one completion object
 * when the request does not stream.
 */
import type { ServerResponse } from 'node:http';

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

/** One streamed chunk carrying `delta`, and the finish reason on the last one. */
export function chatChunk(delta: unknown, finish: string | null = null) {
  return {
    id: 'chatcmpl-e2e',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'fake',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

/** The closing chunk with the token counts and no choices (stream_options.include_usage). */
export function usageChunk(usage: Usage) {
  return { ...chatChunk({}), choices: [], usage };
}

/**
 * Answers one chat-completions request: `chunks` as an event stream when the request streams,
 * otherwise a completion whose message is `text`.
 */
export function answerChat(
  res: ServerResponse,
  body: { stream?: boolean },
  chunks: unknown[],
  text: string,
  usage: Usage = { prompt_tokens: 5, completion_tokens: 2 },
): void {
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
    res.end('data: [DONE]\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-e2e',
      object: 'chat.completion',
      created: 0,
      model: 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage,
    }),
  );
}
