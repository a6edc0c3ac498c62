/**
 * Z.ai (GLM), international endpoint; GLM returns its reasoning as `reasoning_content`.
 * GLM-4.6/4.7: 200K context, 128K output; GLM-4.5-Air: 128K context, 96K output.
 * Sources: https://docs.z.ai/guides/llm/glm-4.6, https://docs.z.ai/guides/llm/glm-4.5,
 * https://docs.z.ai/api-reference/llm/chat-completion (checked 2026-12-01).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const zai: ProviderCatalogEntry = {
  id: 'zai',
  label: 'Z.ai (GLM)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.z.ai/api/paas/v4',
  keyEnv: 'ZAI_API_KEY',
  baseUrlEnv: 'ZAI_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'glm-4.7',
  defaultSmallModel: 'glm-4.5-air',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  // Only `json_object` is documented, so JSON-schema answers go through a forced tool.
  structuredOutput: 'forced-tool',
  modelRules: [
    { match: '^glm-4\\.5-air', maxOutputTokens: 98_304, contextWindow: 131_072 },
    { match: '^glm-(4\\.[6-9]|5)', maxOutputTokens: 131_072, contextWindow: 204_800 },
    { match: '^glm-4\\.5', maxOutputTokens: 98_304, contextWindow: 131_072 },
  ],
  sources: ['https://docs.z.ai/guides/llm/glm-4.6', 'https://docs.z.ai/api-reference/llm/chat-completion'],
};

/**
 * Z.ai's Anthropic-compatible endpoint, the one its Claude Code guide uses (Bearer key).
 * Source: https://docs.z.ai/devpack/tool/claude.
 */
export const zaiAnthropic: ProviderCatalogEntry = {
  ...zai,
  id: 'zai-anthropic',
  label: 'Z.ai (GLM, Anthropic API)',
  kind: 'anthropic',
  defaultBaseUrl: 'https://api.z.ai/api/anthropic',
  keyEnv: 'ZAI_ANTHROPIC_API_KEY',
  keyEnvAliases: ['ZAI_API_KEY'],
  baseUrlEnv: 'ZAI_ANTHROPIC_BASE_URL',
  keyHeader: 'bearer',
  sources: ['https://docs.z.ai/devpack/tool/claude'],
};
