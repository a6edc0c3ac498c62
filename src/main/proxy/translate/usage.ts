/**
 * Upstream token usage → Anthropic usage. OpenAI's prompt_tokens include cached tokens while
 * Anthropic's input_tokens exclude them, so cached tokens are moved to cache_read_input_tokens.
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { Usage } from '../anthropicTypes';

export const ZERO_USAGE: Usage = {
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

export function translateUsage(usage: CompletionUsage | null | undefined): Usage {
  if (!usage) return { ...ZERO_USAGE };
  const prompt = count(usage.prompt_tokens);
  // DeepSeek reports cache hits as prompt_cache_hit_tokens instead of prompt_tokens_details.
  const deepseekHits = (usage as { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens;
  const cached = Math.min(prompt, count(usage.prompt_tokens_details?.cached_tokens ?? deepseekHits));
  return {
    input_tokens: prompt - cached,
    output_tokens: count(usage.completion_tokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * The request's cost as the provider reported it, in US dollars: OpenRouter adds `cost` to
 * `usage` (https://openrouter.ai/docs/use-cases/usage-accounting). Undefined when absent.
 */
export function reportedCostOf(usage: unknown): number | undefined {
  const cost = usage && typeof usage === 'object' ? (usage as { cost?: unknown }).cost : undefined;
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
