/**
 * Ollama, keyless on this machine (port 11434). Pull the model first (`ollama pull qwen3-coder:30b`).
 * Source: https://docs.ollama.com/api/openai-compatibility
 * Keyless: any key is accepted, so none is required. Local templates of thinking models (Qwen3,
 * DeepSeek, Kimi) read reasoning back, so it is echoed.
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const ollama: ProviderCatalogEntry = {
  id: 'ollama',
  label: 'Ollama (local)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'http://localhost:11434/v1',
  keyEnv: 'OLLAMA_API_KEY',
  baseUrlEnv: 'OLLAMA_BASE_URL',
  keyOptional: true,
  defaultBigModel: 'qwen3-coder:30b',
  defaultSmallModel: 'qwen3-coder:30b',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  modelRules: [],
  sources: ['https://docs.ollama.com/api/openai-compatibility'],
};

/**
 * Ollama's Anthropic Messages API (`/v1/messages` on the same port), keyless.
 * Source: https://docs.ollama.com/api/anthropic-compatibility.
 */
export const ollamaAnthropic: ProviderCatalogEntry = {
  ...ollama,
  id: 'ollama-anthropic',
  label: 'Ollama (local, Anthropic API)',
  kind: 'anthropic',
  defaultBaseUrl: 'http://localhost:11434',
  keyEnv: 'OLLAMA_ANTHROPIC_API_KEY',
  baseUrlEnv: 'OLLAMA_ANTHROPIC_BASE_URL',
  keyHeader: 'x-api-key',
  sources: ['https://docs.ollama.com/api/anthropic-compatibility'],
};
