/**
 * Responses API usage → Anthropic usage. `input_tokens` include the cached ones
 * (`input_tokens_details.cached_tokens`), which Anthropic counts apart as cache reads; the chat
 * dialect's rule applies, so the numbers are handed to it in chat's field names.
 */
import type { ResponseUsage } from 'openai/resources/responses/responses';
import type { Usage } from '../../anthropicTypes';
import { translateUsage } from '../usage';

export function translateResponsesUsage(usage: Partial<ResponseUsage> | null | undefined): Usage {
  if (!usage || typeof usage !== 'object') return translateUsage(null);
  return translateUsage({
    prompt_tokens: usage.input_tokens as number,
    completion_tokens: usage.output_tokens as number,
    total_tokens: 0,
    prompt_tokens_details: { cached_tokens: usage.input_tokens_details?.cached_tokens },
  });
}
