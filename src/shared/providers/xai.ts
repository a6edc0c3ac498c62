/**
 * xAI (Grok). Streams end tool calls with `finish_reason: ""` on some models, handled in the
 * stream translator as "absent". Reasoning models reject `stop`.
 * Defaults: https://docs.x.ai/docs/models — grok-code-fast-1 (256K, agentic coding) and
 * grok-4-1-fast-non-reasoning (2M); checked 2026-12-01 through promptfoo's xAI provider page.
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const xai: ProviderCatalogEntry = {
  id: 'xai',
  label: 'xAI (Grok)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.x.ai/v1',
  keyEnv: 'XAI_API_KEY',
  baseUrlEnv: 'XAI_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'grok-code-fast-1',
  defaultSmallModel: 'grok-4-1-fast-non-reasoning',
  quirks: { ...defaultQuirks },
  modelRules: [
    { match: '^grok-code-fast', contextWindow: 256_000, supportsStop: false },
    { match: '^grok-4-1?-?fast', contextWindow: 2_000_000 },
    { match: '^grok-4', contextWindow: 256_000, supportsStop: false },
  ],
  sources: ['https://docs.x.ai/docs/models'],
};
