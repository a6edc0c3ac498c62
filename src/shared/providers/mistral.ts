/**
 * Mistral. Two request rules that other servers do not have:
 * - tool-call ids are exactly nine letters or digits ("Tool call id was call_search but must be
 *   a-z, A-Z, 0-9, with a length of 9", code 3280);
 * - no `user` message directly after `tool` messages ("Unexpected role 'user' after role
 *   'tool'", type invalid_request_message_order, code 3230).
 * Errors come as `{"object":"error","message":…,"type":…,"code":…}`.
 * Defaults and windows: https://docs.mistral.ai/getting-started/models/ (Devstral Medium and
 * Small 262K; checked through models.dev listings 2026-12-01). Public reports of both rules:
 * avante-corp/avante.nvim#2562, datapizza-labs/datapizza-ai#98, BibekBhusal0/zen-custom-js#7.
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const mistral: ProviderCatalogEntry = {
  id: 'mistral',
  label: 'Mistral',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  keyEnv: 'MISTRAL_API_KEY',
  baseUrlEnv: 'MISTRAL_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'devstral-medium-latest',
  defaultSmallModel: 'devstral-small-latest',
  quirks: { ...defaultQuirks, maxToolCallIdLength: 9 },
  modelRules: [
    { match: '^devstral', contextWindow: 262_144 },
    { match: '^codestral', contextWindow: 256_000 },
    { match: '^(mistral|magistral|ministral)-', contextWindow: 128_000 },
    // Every Mistral model: the id and order rules above.
    { match: '', toolIdFormat: 'alnum9', messageOrder: 'no-user-after-tool' },
  ],
  sources: [
    'https://docs.mistral.ai/getting-started/models/',
    'https://docs.mistral.ai/capabilities/function_calling/',
  ],
};
