/**
 * Together AI. Model ids are Hugging Face style (`org/Model`).
 * Source: https://docs.together.ai/docs/serverless-models (Qwen3-Coder-480B-A35B-Instruct-FP8
 * 262K, gpt-oss-120b 131K; checked 2026-12-01).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const together: ProviderCatalogEntry = {
  id: 'together',
  label: 'Together AI',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.together.xyz/v1',
  keyEnv: 'TOGETHER_API_KEY',
  baseUrlEnv: 'TOGETHER_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8',
  defaultSmallModel: 'openai/gpt-oss-120b',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  userField: 'user',
  modelRules: [
    { match: '^Qwen/Qwen3-Coder', contextWindow: 262_144 },
    { match: '^openai/gpt-oss', contextWindow: 131_072, reasoningEffort: true },
    { match: '^moonshotai/Kimi-K2-Thinking', contextWindow: 262_144, reasoningHistory: 'required' },
    { match: '^moonshotai/Kimi-K2', contextWindow: 131_072 },
    { match: '^deepseek-ai/DeepSeek-V4', contextWindow: 1_000_000, reasoningHistory: 'required' },
  ],
  sources: ['https://docs.together.ai/docs/serverless-models'],
};
