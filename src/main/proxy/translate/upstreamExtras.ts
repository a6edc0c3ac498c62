/**
 * Fields that OpenAI-compatible backends send but the openai types do not declare, read
 * through narrow casts in one place: reasoning text (DeepSeek/Kimi `reasoning_content`,
 * OpenRouter/Groq/vLLM `reasoning`), Gemini's thought signature on tool calls, vLLM's matched
 * stop string, and usage reported outside the standard field.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

/** Reasoning text on a message or a stream delta, if the backend sent any. */
export function reasoningTextOf(messageOrDelta: unknown): string | undefined {
  const carrier = messageOrDelta as { reasoning_content?: unknown; reasoning?: unknown } | null | undefined;
  if (typeof carrier?.reasoning_content === 'string' && carrier.reasoning_content)
    return carrier.reasoning_content;
  if (typeof carrier?.reasoning === 'string' && carrier.reasoning) return carrier.reasoning;
  return undefined;
}

/** Prefix of a remembered signature that Vertex (not the Gemini API) issued. */
export const VERTEX_SIGNATURE_PREFIX = 'vertex:';

/**
 * Gemini 3: `tool_call.extra_content.google.thought_signature`; Vertex AI's OpenAI endpoint
 * puts it under `extra_content.vertex` instead (documented by third parties, e.g. LiteLLM's
 * Vertex notes). A Vertex signature is returned with VERTEX_SIGNATURE_PREFIX so it is echoed
 * back in the same place.
 */
export function thoughtSignatureOf(toolCall: unknown): string | undefined {
  const extra = (
    toolCall as { extra_content?: Record<string, { thought_signature?: unknown } | undefined> } | null
  )?.extra_content;
  const google = extra?.google?.thought_signature;
  if (typeof google === 'string' && google) return google;
  const vertex = extra?.vertex?.thought_signature;
  return typeof vertex === 'string' && vertex ? VERTEX_SIGNATURE_PREFIX + vertex : undefined;
}

/** vLLM reports the stop string that ended generation as `choice.stop_reason`. */
export function matchedStopOf(choice: unknown): string | undefined {
  const value = (choice as { stop_reason?: unknown } | null)?.stop_reason;
  return typeof value === 'string' ? value : undefined;
}

/** The error object some backends send inside a 200 stream (`data: {"error": …}`), as text. */
export function chunkError(chunk: unknown): string | null {
  const error = (chunk as { error?: unknown } | null)?.error;
  if (error === undefined || error === null) return null;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}

/**
 * Usage wherever a backend puts it: the standard field, `x_groq.usage` (Groq), or inside the
 * first choice (Moonshot's streams: `choices[0].usage`, documented in its streaming guide).
 * Works for chunks and whole completions alike.
 */
export function chunkUsageOf(chunk: unknown): ChatCompletionChunk['usage'] {
  const record = chunk as { usage?: unknown; x_groq?: { usage?: unknown }; choices?: unknown } | null;
  const choice = Array.isArray(record?.choices)
    ? (record.choices[0] as { usage?: unknown } | undefined)
    : undefined;
  for (const candidate of [record?.usage, record?.x_groq?.usage, choice?.usage]) {
    if (candidate !== null && typeof candidate === 'object') return candidate as ChatCompletionChunk['usage'];
  }
  return null;
}
