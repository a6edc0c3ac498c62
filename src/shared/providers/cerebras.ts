/**
 * Cerebras. The shared catalog is small and changes often; gpt-oss-120b is the documented
 * replacement for retired models. Context 65K on the free tier, 131K paid.
 * Source: https://inference-docs.cerebras.ai/models/overview (checked 2026-12-01 through
 * provider guides quoting it).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const cerebras: ProviderCatalogEntry = {
  id: 'cerebras',
  label: 'Cerebras',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.cerebras.ai/v1',
  keyEnv: 'CEREBRAS_API_KEY',
  baseUrlEnv: 'CEREBRAS_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'gpt-oss-120b',
  defaultSmallModel: 'gpt-oss-120b',
  quirks: { ...defaultQuirks },
  modelRules: [
    {
      match: '^gpt-oss',
      contextWindow: 131_072,
      tokenParam: 'max_completion_tokens',
      reasoningEffort: true,
    },
  ],
  sources: ['https://inference-docs.cerebras.ai/models/overview'],
};
