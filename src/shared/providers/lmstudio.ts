/**
 * LM Studio's server, keyless on this machine (port 1234); load the model first.
 * Source: https://lmstudio.ai/docs/app/api/endpoints/openai
 * Keyless: any key is accepted, so none is required. Local templates of thinking models (Qwen3,
 * DeepSeek, Kimi) read reasoning back, so it is echoed.
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const lmstudio: ProviderCatalogEntry = {
  id: 'lmstudio',
  label: 'LM Studio (local)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'http://localhost:1234/v1',
  keyEnv: 'LMSTUDIO_API_KEY',
  baseUrlEnv: 'LMSTUDIO_BASE_URL',
  keyOptional: true,
  defaultBigModel: 'qwen/qwen3-coder-30b',
  defaultSmallModel: 'qwen/qwen3-coder-30b',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  modelRules: [],
  sources: ['https://lmstudio.ai/docs/app/api/endpoints/openai'],
};
