/**
 * Moonshot (Kimi). Kimi models issue tool-call ids as `functions.<name>:<index>` and are
 * trained on that form, so ids from other backends are rewritten into it. The thinking models
 * (kimi-k2-thinking, kimi-k2.5) reject an assistant tool call without `reasoning_content`.
 * Sources: https://platform.moonshot.ai/docs/guide/use-kimi-k2-thinking-model (reasoning_content
 * must be kept in tool loops), https://platform.moonshot.ai/docs/api/tool-use (id format).
 */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const moonshot: ProviderCatalogEntry = {
  id: 'moonshot',
  label: 'Moonshot (Kimi)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://api.moonshot.ai/v1',
  keyEnv: 'MOONSHOT_API_KEY',
  baseUrlEnv: 'MOONSHOT_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'kimi-k2-0905-preview',
  defaultSmallModel: 'kimi-k2-turbo-preview',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  // Only `json_object` is documented, so JSON-schema answers go through a forced tool.
  structuredOutput: 'forced-tool',
  modelRules: [
    {
      match: '^kimi-k2(\\.5|-thinking)',
      maxOutputTokens: 32_768,
      contextWindow: 262_144,
      temperature: 'fixed-1',
      reasoningHistory: 'required',
      toolIdFormat: 'kimi',
    },
    {
      match: '^kimi-k2',
      maxOutputTokens: 32_768,
      contextWindow: 262_144,
      temperature: 'fixed-1',
      toolIdFormat: 'kimi',
    },
    { match: '^moonshot-v1-8k', maxOutputTokens: 4_096, contextWindow: 8_192 },
  ],
  sources: [
    'https://platform.moonshot.ai/docs/guide/use-kimi-k2-thinking-model',
    'https://platform.moonshot.ai/docs/api/tool-use',
  ],
};

/**
 * Moonshot's Anthropic-compatible endpoint (`/anthropic/v1/messages`), documented for Claude
 * Code with `ANTHROPIC_AUTH_TOKEN`, i.e. a Bearer key.
 * Source: https://platform.moonshot.ai/docs/guide/agent-support (Claude Code section).
 */
export const moonshotAnthropic: ProviderCatalogEntry = {
  ...moonshot,
  id: 'moonshot-anthropic',
  label: 'Moonshot (Kimi, Anthropic API)',
  kind: 'anthropic',
  defaultBaseUrl: 'https://api.moonshot.ai/anthropic',
  keyEnv: 'MOONSHOT_ANTHROPIC_API_KEY',
  keyEnvAliases: ['MOONSHOT_API_KEY'],
  baseUrlEnv: 'MOONSHOT_ANTHROPIC_BASE_URL',
  keyHeader: 'bearer',
  defaultBigModel: 'kimi-k2.5',
  defaultSmallModel: 'kimi-k2-turbo-preview',
  sources: ['https://platform.moonshot.ai/docs/guide/agent-support'],
};
