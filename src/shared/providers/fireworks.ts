/**
 * Fireworks AI. Model ids are `accounts/fireworks/models/<name>`.
 * Source: https://fireworks.ai/models and https://docs.fireworks.ai/tools-sdks/openai-compatibility
 * (kimi-k2p5, gpt-oss-120b on serverless; checked 2026-12-01).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const fireworks: ProviderCatalogEntry = {
  id: 'fireworks',
  label: 'Fireworks AI',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.fireworks.ai/inference/v1',
  keyEnv: 'FIREWORKS_API_KEY',
  baseUrlEnv: 'FIREWORKS_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'accounts/fireworks/models/kimi-k2p5',
  defaultSmallModel: 'accounts/fireworks/models/gpt-oss-120b',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  userField: 'user',
  modelRules: [
    { match: '/kimi-k2p5', contextWindow: 262_144, reasoningHistory: 'required' },
    { match: '/kimi-k2', contextWindow: 131_072 },
    { match: '/gpt-oss', contextWindow: 131_072, reasoningEffort: true },
  ],
  sources: ['https://fireworks.ai/models', 'https://docs.fireworks.ai/tools-sdks/openai-compatibility'],
};
