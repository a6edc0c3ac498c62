/**
 * vLLM's OpenAI-compatible server (port 8000); errors come as `{"object":"error","message":…}`.
 * Source: https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
 * Keyless: any key is accepted, so none is required. Local templates of thinking models (Qwen3,
 * DeepSeek, Kimi) read reasoning back, so it is echoed.
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const vllm: ProviderCatalogEntry = {
  id: 'vllm',
  label: 'vLLM (local)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'http://localhost:8000/v1',
  keyEnv: 'VLLM_API_KEY',
  baseUrlEnv: 'VLLM_BASE_URL',
  keyOptional: true,
  defaultBigModel: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
  defaultSmallModel: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  modelRules: [],
  sources: ['https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html'],
};
