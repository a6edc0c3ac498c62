/**
 * Google Gemini through its OpenAI-compatible endpoint.
 * Limits: https://ai.google.dev/gemini-api/docs/models (65,536 output tokens for 2.5 and 3).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const google: ProviderCatalogEntry = {
  id: 'google',
  label: 'Google Gemini',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
  keyEnv: 'GEMINI_API_KEY',
  baseUrlEnv: 'GEMINI_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'gemini-2.5-pro',
  defaultSmallModel: 'gemini-2.5-flash',
  quirks: { ...defaultQuirks, toolSchemaDialect: 'gemini', echoThoughtSignature: true },
  modelRules: [
    {
      match: '^gemini-(2\\.5|3)',
      maxOutputTokens: 65_536,
      contextWindow: 1_048_576,
      reasoningEffort: true,
      vision: true,
    },
    { match: '^gemini-', maxOutputTokens: 8_192, vision: true },
  ],
  readsPdf: true,
  sources: ['https://ai.google.dev/gemini-api/docs/models', 'https://ai.google.dev/gemini-api/docs/openai'],
};
