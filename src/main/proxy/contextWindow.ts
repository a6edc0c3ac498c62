/**
 * Context windows Claude Code respects.
 *
 * Claude Code decides when to auto-compact from the usage the API reports, against the window
 * it assumes for Claude models (200K; it compacts some 33K before the end). On a 128K backend
 * it would overflow before compacting; on a 1M backend it would compact far too early. So the
 * input-token counts reported to the client are scaled by 200K / the model's real window
 * ("context scaling"), and auto-compaction fires at the same share of the real window. The
 * request log and anything that measures cost keep the real counts.
 *
 * As the fallback, every backend's context-length error becomes Anthropic's own 400
 * (`prompt is too long: N tokens > M maximum`), which Claude Code recognises and answers by
 * compacting; and when the catalog knows the window and a cheap estimate shows the request
 * cannot fit, that answer comes before any upstream call.
 */
import type { Usage } from './anthropicTypes';
import { ProxyError } from './errors';

/** The window Claude Code assumes for most Claude models. */
export const CLAUDE_CODE_WINDOW = 200_000;
/**
 * Models Claude Code gives a 1M window: `[1m]` variants and the Claude 5 families (Claude Code
 * 2.1.332 reports `contextWindow: 1000000` for its default claude-opus-5-5 in `--output-format
 * json`'s modelUsage).
 */
const MILLION_WINDOW = /\[1m\]|-1m\b|^claude-(opus|sonnet)-5/i;

/** The window Claude Code assumes for the model name it asked for. */
export function assumedWindowFor(clientModel: string): number {
  return MILLION_WINDOW.test(clientModel) ? 1_000_000 : CLAUDE_CODE_WINDOW;
}
/**
 * The cheap estimate (characters / 4) can be off by a fifth either way; a request is refused
 * before the upstream call only when even a generous reading cannot fit.
 */
const ESTIMATE_MARGIN = 1.2;

/** The factor input counts are multiplied by for the client (1 when unknown or turned off). */
export function inputScaleFor(contextWindow: number | undefined, enabled: boolean, clientModel = ''): number {
  if (!enabled || !contextWindow || contextWindow <= 0) return 1;
  return assumedWindowFor(clientModel) / contextWindow;
}

export function scaleUsage(usage: Usage, scale: number): Usage {
  if (scale === 1) return usage;
  return {
    ...usage,
    input_tokens: Math.round(usage.input_tokens * scale),
    cache_creation_input_tokens: Math.round(usage.cache_creation_input_tokens * scale),
    cache_read_input_tokens: Math.round(usage.cache_read_input_tokens * scale),
  };
}

/** Anthropic's wording, which Claude Code matches to trigger compaction. */
export function promptTooLong(
  tokens: number | undefined,
  maximum: number | undefined,
  scale: number,
  original = 'the conversation is longer than the model accepts',
): ProxyError {
  const detail =
    tokens !== undefined && maximum !== undefined
      ? `${Math.round(tokens * scale)} tokens > ${Math.round(maximum * scale)} maximum`
      : original;
  return new ProxyError(400, 'invalid_request_error', `prompt is too long: ${detail}`);
}

/** Refuses, before any upstream call, a request that cannot fit the model's known window. */
export function checkFits(estimatedInput: number, contextWindow: number | undefined, scale: number): void {
  if (!contextWindow) return;
  const needed = estimatedInput / ESTIMATE_MARGIN;
  if (needed > contextWindow) throw promptTooLong(Math.round(needed), contextWindow, scale);
}

/**
 * Context-length errors as backends word them, with the counts when they give them:
 * - OpenAI, DeepSeek, vLLM, OpenRouter, Together: "This model's maximum context length is 131072
 *   tokens. However, you requested 140000 tokens (…)" / code `context_length_exceeded`;
 * - Gemini: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)";
 * - Mistral: "Prompt contains 140000 tokens and 0 draft tokens, too large for model with 131072
 *   maximum context length";
 * - llama.cpp: "the request exceeds the available context size" (`exceed_context_size_error`);
 * - Groq, Kimi and others: "… reduce the length of the messages …", "exceeded model token limit".
 */
const PATTERNS: Array<{ re: RegExp; tokens?: number; maximum?: number }> = [
  { re: /maximum context length is (\d+) tokens?\. However, you requested (\d+)/i, maximum: 1, tokens: 2 },
  {
    re: /input token count \((\d+)\) exceeds the maximum number of tokens allowed \((\d+)\)/i,
    tokens: 1,
    maximum: 2,
  },
  {
    re: /prompt contains (\d+) tokens.*too large for model with (\d+) maximum context length/i,
    tokens: 1,
    maximum: 2,
  },
  { re: /prompt is too long: (\d+) tokens > (\d+) maximum/i, tokens: 1, maximum: 2 },
  {
    re: /context[_ ]length[_ ]exceeded|exceeds? the (available )?context (size|window|length)|maximum context length|context window|reduce the length of the messages|exceeded model token limit|too many tokens|prompt is too long/i,
  },
];

export function contextLimitError(message: string, code: unknown, scale: number): ProxyError | null {
  const codeText = typeof code === 'string' ? code : '';
  for (const { re, tokens, maximum } of PATTERNS) {
    const match = re.exec(message);
    if (!match) continue;
    const n = tokens ? Number(match[tokens]) : undefined;
    const max = maximum ? Number(match[maximum]) : undefined;
    return promptTooLong(n, max, scale, message);
  }
  if (/context_length_exceeded|exceed_context_size/i.test(codeText))
    return promptTooLong(undefined, undefined, scale, message);
  return null;
}
