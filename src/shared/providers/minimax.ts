/**
 * MiniMax, international endpoint. MiniMax-M2.x: 204,800-token context.
 * Source: https://platform.minimax.io/docs/api-reference/text-openai-api (model table lists
 * MiniMax-M2.7 and MiniMax-M2.7-highspeed; checked 2026-12-01).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const minimax: ProviderCatalogEntry = {
  id: 'minimax',
  label: 'MiniMax',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.minimax.io/v1',
  keyEnv: 'MINIMAX_API_KEY',
  baseUrlEnv: 'MINIMAX_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'MiniMax-M2.7',
  defaultSmallModel: 'MiniMax-M2.7-highspeed',
  // "the complete response_message (including reasoning_details) must be kept" in tool loops.
  quirks: { ...defaultQuirks, echoReasoningDetails: true },
  // Only `json_object` is documented, so JSON-schema answers go through a forced tool.
  structuredOutput: 'forced-tool',
  modelRules: [{ match: '^minimax-m', contextWindow: 204_800 }],
  sources: ['https://platform.minimax.io/docs/api-reference/text-openai-api'],
};

/**
 * MiniMax's Anthropic-compatible endpoint.
 * Source: https://platform.minimax.io/docs/api-reference/text-anthropic-api.
 */
export const minimaxAnthropic: ProviderCatalogEntry = {
  ...minimax,
  id: 'minimax-anthropic',
  label: 'MiniMax (Anthropic API)',
  kind: 'anthropic',
  defaultBaseUrl: 'https://api.minimax.io/anthropic',
  keyEnv: 'MINIMAX_ANTHROPIC_API_KEY',
  keyEnvAliases: ['MINIMAX_API_KEY'],
  baseUrlEnv: 'MINIMAX_ANTHROPIC_BASE_URL',
  keyHeader: 'x-api-key',
  sources: ['https://platform.minimax.io/docs/api-reference/text-anthropic-api'],
};
