/**
 * OpenRouter: one key for many vendors' models, named `vendor/model`. OpenAI's rules apply to
 * `openai/…` models; PDFs go as `file` parts (OpenRouter parses them for every model).
 * Sources: https://openrouter.ai/docs/api-reference/overview, https://openrouter.ai/models,
 * https://openrouter.ai/docs/features/multimodal/pdfs.
 */
import { openAiModelRules } from './openaiModels';
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const openrouter: ProviderCatalogEntry = {
  id: 'openrouter',
  label: 'OpenRouter',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  keyEnv: 'OPENROUTER_API_KEY',
  baseUrlEnv: 'OPENROUTER_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'openai/gpt-5.1',
  defaultSmallModel: 'openai/gpt-5-mini',
  // Encrypted reasoning_details must come back for Gemini 3 and Claude tool loops.
  quirks: { ...defaultQuirks, echoReasoningDetails: true },
  userField: 'user',
  modelRules: [
    ...openAiModelRules,
    // Mistral models keep Mistral's id and order rules behind the router (public reports of
    // code 3230 through OpenRouter: charmbracelet/crush#279).
    { match: '^mistralai/', toolIdFormat: 'alnum9', messageOrder: 'no-user-after-tool' },
    { match: '^deepseek/', reasoningHistory: 'echo' },
    { match: '^moonshotai/kimi-k2(\\.5|-thinking)', reasoningHistory: 'required' },
  ],
  readsPdf: true,
  // OpenRouter's web plugin serves Anthropic's web_search tool on any model
  // (https://openrouter.ai/docs/features/web-search).
  webSearch: 'openrouter-plugin',
  sources: [
    'https://openrouter.ai/docs/api-reference/overview',
    'https://openrouter.ai/docs/features/multimodal/pdfs',
  ],
};
