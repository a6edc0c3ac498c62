/** Builders of upstream chat-completions chunks for the stream tests. */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

type Delta = Record<string, unknown>;

export function chunk(
  delta: Delta,
  finishReason: string | null = null,
  choiceExtra: object = {},
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'upstream-model',
    choices: [{ index: 0, delta, finish_reason: finishReason, ...choiceExtra }],
    usage: null,
  } as unknown as ChatCompletionChunk;
}

export function text(content: string): ChatCompletionChunk {
  return chunk({ content });
}

export function finish(reason: string, choiceExtra: object = {}): ChatCompletionChunk {
  return chunk({}, reason, choiceExtra);
}

export function toolFragment(fragment: Record<string, unknown>): ChatCompletionChunk {
  return chunk({ tool_calls: [fragment] });
}

export function firstFragment(index: number, id: string, name: string, args = ''): ChatCompletionChunk {
  return toolFragment({ index, id, type: 'function', function: { name, arguments: args } });
}

export function argsFragment(index: number, args: string): ChatCompletionChunk {
  return toolFragment({ index, function: { arguments: args } });
}

export function usage(prompt: number, completion: number, cached?: number): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'upstream-model',
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
    },
  } as ChatCompletionChunk;
}
