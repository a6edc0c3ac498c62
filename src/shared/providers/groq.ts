/** Groq. Limits: https://console.groq.com/docs/models (max completion tokens per model). */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const groq: ProviderCatalogEntry = {
  id: 'groq',
  label: 'Groq',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.groq.com/openai/v1',
  keyEnv: 'GROQ_API_KEY',
  baseUrlEnv: 'GROQ_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'openai/gpt-oss-120b',
  defaultSmallModel: 'openai/gpt-oss-20b',
  quirks: { ...defaultQuirks },
  userField: 'user',
  modelRules: [
    // Groq's model pages: gpt-oss and Llama 3.3 hold 131,072 tokens of context, text only.
    {
      match: '^openai/gpt-oss',
      maxOutputTokens: 65_536,
      contextWindow: 131_072,
      reasoningEffort: true,
      vision: false,
    },
    { match: '^moonshotai/kimi-k2', maxOutputTokens: 16_384, contextWindow: 262_144 },
    { match: '^llama-3\\.3-70b', maxOutputTokens: 32_768, contextWindow: 131_072 },
    { match: '^llama-3\\.1-8b', maxOutputTokens: 131_072, contextWindow: 131_072 },
    { match: '^(meta-llama|qwen)/', maxOutputTokens: 8_192 },
  ],
  sources: ['https://console.groq.com/docs/models'],
};
