/** OpenAI. Defaults: https://platform.openai.com/docs/models (checked 2026-11-30). */
import { openAiModelRules } from './openaiModels';
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const openai: ProviderCatalogEntry = {
  id: 'openai',
  label: 'OpenAI',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.openai.com/v1',
  keyEnv: 'OPENAI_API_KEY',
  baseUrlEnv: 'OPENAI_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'gpt-5.1',
  defaultSmallModel: 'gpt-5-mini',
  // OpenAI rejects tool-call ids longer than 40 characters.
  quirks: { ...defaultQuirks, maxToolCallIdLength: 40 },
  userField: 'user',
  modelRules: openAiModelRules,
  readsPdf: true,
  servesResponses: true,
  sources: ['https://platform.openai.com/docs/models'],
};
