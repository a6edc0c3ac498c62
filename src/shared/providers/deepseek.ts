/**
 * DeepSeek. V4 (deepseek-v4-pro, deepseek-v4-flash; 1M context, 384K output, thinking on by
 * default) launched 2026-04-24; deepseek-chat / deepseek-reasoner are aliases of V4-Flash's
 * non-thinking / thinking modes, scheduled to stop working after 2026-07-24.
 * `deepseek-chat` accepted at most 8192 output tokens ("Invalid max_tokens value, the valid
 * range of max_tokens is [1, 8192]"), which is why Claude Code's 64000 failed.
 * In thinking mode an assistant tool call must carry `reasoning_content`, or the API answers
 * 400 "The reasoning_content in the thinking mode must be passed back to the API".
 * Sources: https://api-docs.deepseek.com/quick_start/pricing,
 * https://api-docs.deepseek.com/guides/thinking_mode (checked 2026-12-01 via their mirrors).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const deepseek: ProviderCatalogEntry = {
  id: 'deepseek',
  label: 'DeepSeek',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.deepseek.com',
  keyEnv: 'DEEPSEEK_API_KEY',
  baseUrlEnv: 'DEEPSEEK_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'deepseek-v4-pro',
  defaultSmallModel: 'deepseek-v4-flash',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  // Only `json_object` is documented, so JSON-schema answers go through a forced tool.
  structuredOutput: 'forced-tool',
  modelRules: [
    {
      match: '^deepseek-v4',
      maxOutputTokens: 384_000,
      contextWindow: 1_000_000,
      reasoningEffort: true,
      reasoningHistory: 'required',
    },
    { match: '^deepseek-chat$', maxOutputTokens: 8_192, contextWindow: 128_000 },
    {
      match: '^deepseek-reasoner$',
      maxOutputTokens: 65_536,
      contextWindow: 128_000,
      reasoningHistory: 'required',
    },
  ],
  sources: [
    'https://api-docs.deepseek.com/quick_start/pricing',
    'https://api-docs.deepseek.com/guides/thinking_mode',
  ],
};

/**
 * DeepSeek's Anthropic-compatible endpoint: the request passes through as Claude Code sends it,
 * with the mapping applied to `model`. `anthropic-beta`, `thinking` and `metadata` are ignored
 * there. Source: https://api-docs.deepseek.com/guides/anthropic_api.
 */
export const deepseekAnthropic: ProviderCatalogEntry = {
  ...deepseek,
  id: 'deepseek-anthropic',
  label: 'DeepSeek (Anthropic API)',
  kind: 'anthropic',
  defaultBaseUrl: 'https://api.deepseek.com/anthropic',
  keyEnv: 'DEEPSEEK_ANTHROPIC_API_KEY',
  keyEnvAliases: ['DEEPSEEK_API_KEY'],
  baseUrlEnv: 'DEEPSEEK_ANTHROPIC_BASE_URL',
  keyHeader: 'x-api-key',
  sources: ['https://api-docs.deepseek.com/guides/anthropic_api'],
};
