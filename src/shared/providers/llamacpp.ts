/**
 * llama.cpp's `llama-server` (port 8080). It serves the one model it loaded whatever the name
 * (empty slots pass the client's name through), and reports failures as an SSE `error:` field.
 * Source: https://github.com/ggml-org/llama.cpp/tree/master/tools/server
 * Keyless: any key is accepted, so none is required. Local templates of thinking models (Qwen3,
 * DeepSeek, Kimi) read reasoning back, so it is echoed.
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const llamacpp: ProviderCatalogEntry = {
  id: 'llamacpp',
  label: 'llama.cpp server (local)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'http://localhost:8080/v1',
  keyEnv: 'LLAMACPP_API_KEY',
  baseUrlEnv: 'LLAMACPP_BASE_URL',
  keyOptional: true,
  defaultBigModel: '',
  defaultSmallModel: '',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  modelRules: [],
  sources: ['https://github.com/ggml-org/llama.cpp/tree/master/tools/server'],
};
