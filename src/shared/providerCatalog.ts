/**
 * Every backend Turnout knows, as data. The translator reads capabilities and quirks from
 * these entries; it never branches on a provider's name.
 */

/** How a backend wants the request shaped, beyond the plain chat-completions contract. */
export interface ProviderQuirks {
  /** Strip JSON-Schema keywords the backend rejects from tool parameter schemas (Gemini). */
  toolSchemaDialect: 'full' | 'gemini';
  /** Echo `extra_content.google.thought_signature` back on assistant tool calls (Gemini 3). */
  echoThoughtSignature: boolean;
  /** Send prior reasoning back as `reasoning_content` on assistant messages (Kimi, DeepSeek). */
  reasoningContentInHistory: boolean;
  /** Longest tool-call id the backend accepts; longer ids are rewritten (and mapped back). */
  maxToolCallIdLength: number;
}

/** Per-model behaviour, matched by a pattern on the upstream model id (first match wins). */
export interface ModelRule {
  /** Source of a RegExp tested against the upstream model id, case-insensitive. */
  match: string;
  /** Hard output-token ceiling: larger client requests are clamped to it, never raised. */
  maxOutputTokens?: number;
  /** OpenAI reasoning models want `max_completion_tokens` and reject `max_tokens`. */
  tokenParam?: 'max_tokens' | 'max_completion_tokens';
  /** `fixed-1`: only temperature 1 is accepted, so any other value is dropped. */
  temperature?: 'any' | 'fixed-1';
  /** Some models reject `stop` outright. */
  supportsStop?: boolean;
  /** Whether `reasoning_effort` may be sent when the client asks for thinking. */
  reasoningEffort?: boolean;
  /** Drop `top_p` (models that only accept the default). */
  supportsTopP?: boolean;
  /**
   * Which OpenAI API the model speaks: `responses` (only the Responses API: the codex and -pro
   * models), `prefer-responses` (both, but Responses carries reasoning across turns: used when
   * the provider is reached at its catalog base URL) or `chat` (the default).
   */
  api?: ModelApi;
}

export type ModelApi = 'chat' | 'responses' | 'prefer-responses';

export type ProviderKind = 'openai-compatible' | 'anthropic';

export interface ProviderCatalogEntry {
  id: string;
  label: string;
  kind: ProviderKind;
  defaultBaseUrl: string;
  /** Environment variable that holds the key in headless mode; named in "missing key" errors. */
  keyEnv: string;
  /** Environment variable that overrides the base URL in headless mode. */
  baseUrlEnv: string;
  /** Local servers (Ollama, LM Studio) usually need no key. */
  keyOptional: boolean;
  defaultBigModel: string;
  defaultSmallModel: string;
  quirks: ProviderQuirks;
  modelRules: ModelRule[];
  /** The provider's own endpoint serves the Responses API (models with `prefer-responses` use it). */
  servesResponses?: boolean;
}

export const defaultQuirks: ProviderQuirks = {
  toolSchemaDialect: 'full',
  echoThoughtSignature: false,
  reasoningContentInHistory: false,
  maxToolCallIdLength: 64,
};

/** OpenAI's own model families; also applied when OpenAI models are reached through a router. */
const openAiModelRules: ModelRule[] = [
  {
    // gpt-5-codex, gpt-5.1-codex(-mini|-max), gpt-5-pro, o3-pro…: served by /responses only.
    match: '^(openai/)?(gpt-5[.\\d]*-codex|codex-|(o\\d|gpt-5[.\\d]*)-pro)',
    maxOutputTokens: 128_000,
    tokenParam: 'max_completion_tokens',
    temperature: 'fixed-1',
    supportsStop: false,
    supportsTopP: false,
    reasoningEffort: true,
    api: 'responses',
  },
  {
    match: '^(openai/)?(o3|o4-mini)',
    maxOutputTokens: 100_000,
    tokenParam: 'max_completion_tokens',
    temperature: 'fixed-1',
    supportsStop: false,
    supportsTopP: false,
    reasoningEffort: true,
    api: 'prefer-responses',
  },
  {
    match: '^(openai/)?(o1|gpt-5)',
    maxOutputTokens: 128_000,
    tokenParam: 'max_completion_tokens',
    temperature: 'fixed-1',
    supportsTopP: false,
    reasoningEffort: true,
    api: 'prefer-responses',
  },
  { match: '^(openai/)?gpt-4\\.1', maxOutputTokens: 32_768 },
  { match: '^(openai/)?gpt-4o', maxOutputTokens: 16_384 },
];

export const providerCatalog: readonly ProviderCatalogEntry[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    kind: 'openai-compatible',
    defaultBaseUrl: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    baseUrlEnv: 'OPENAI_BASE_URL',
    keyOptional: false,
    defaultBigModel: 'gpt-5.1',
    defaultSmallModel: 'gpt-5-mini',
    quirks: { ...defaultQuirks, maxToolCallIdLength: 40 },
    modelRules: openAiModelRules,
    servesResponses: true,
  },
  {
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
      { match: '^gemini-(2\\.5|3)', maxOutputTokens: 65_536, reasoningEffort: true },
      { match: '^gemini-', maxOutputTokens: 8_192 },
    ],
  },
  {
    id: 'groq',
    label: 'Groq',
    kind: 'openai-compatible',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    keyEnv: 'GROQ_API_KEY',
    baseUrlEnv: 'GROQ_BASE_URL',
    keyOptional: false,
    defaultBigModel: 'openai/gpt-oss-120b',
    defaultSmallModel: 'openai/gpt-oss-20b',
    quirks: { ...defaultQuirks },
    modelRules: [
      { match: '^openai/gpt-oss', maxOutputTokens: 65_536, reasoningEffort: true },
      { match: '^moonshotai/kimi-k2', maxOutputTokens: 16_384 },
      { match: '^llama-3\\.3-70b', maxOutputTokens: 32_768 },
      { match: '^llama-3\\.1-8b', maxOutputTokens: 131_072 },
      { match: '^(meta-llama|qwen)/', maxOutputTokens: 8_192 },
    ],
  },
  {
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
    modelRules: [
      { match: '^kimi-k2', maxOutputTokens: 32_768, temperature: 'fixed-1' },
      { match: '^moonshot-v1-8k', maxOutputTokens: 4_096 },
    ],
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    kind: 'anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    keyEnv: 'ANTHROPIC_API_KEY',
    baseUrlEnv: 'ANTHROPIC_UPSTREAM_URL',
    keyOptional: false,
    // Empty mapping: Claude model names pass through to Anthropic unchanged.
    defaultBigModel: '',
    defaultSmallModel: '',
    quirks: { ...defaultQuirks },
    modelRules: [],
  },
];

/** Defaults for a user-declared OpenAI-compatible server (OpenRouter, DeepSeek, Ollama, vLLM…). */
export function customProviderEntry(spec: {
  id: string;
  label?: string;
  baseUrl: string;
  bigModel?: string;
  smallModel?: string;
}): ProviderCatalogEntry {
  const envName = spec.id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    id: spec.id,
    label: spec.label || spec.id,
    kind: 'openai-compatible',
    defaultBaseUrl: spec.baseUrl,
    keyEnv: `${envName}_API_KEY`,
    baseUrlEnv: `${envName}_BASE_URL`,
    keyOptional: true,
    defaultBigModel: spec.bigModel ?? '',
    defaultSmallModel: spec.smallModel ?? '',
    // DeepSeek and Kimi reached through a router need their reasoning echoed back; other
    // servers ignore the extra field.
    quirks: { ...defaultQuirks, reasoningContentInHistory: true },
    modelRules: openAiModelRules,
  };
}

export function builtinProvider(id: string): ProviderCatalogEntry | undefined {
  return providerCatalog.find((p) => p.id === id);
}

/** Resolved per-model behaviour: the first matching rule, filled with permissive defaults. */
export interface ModelTraits {
  maxOutputTokens?: number;
  tokenParam: 'max_tokens' | 'max_completion_tokens';
  temperature: 'any' | 'fixed-1';
  supportsStop: boolean;
  supportsTopP: boolean;
  reasoningEffort: boolean;
  api: ModelApi;
}

const compiledRules = new WeakMap<ModelRule, RegExp>();

export function modelTraits(entry: ProviderCatalogEntry, model: string): ModelTraits {
  const rule = entry.modelRules.find((r) => {
    let re = compiledRules.get(r);
    if (!re) {
      re = new RegExp(r.match, 'i');
      compiledRules.set(r, re);
    }
    return re.test(model);
  });
  return {
    maxOutputTokens: rule?.maxOutputTokens,
    tokenParam: rule?.tokenParam ?? 'max_tokens',
    temperature: rule?.temperature ?? 'any',
    supportsStop: rule?.supportsStop ?? true,
    supportsTopP: rule?.supportsTopP ?? true,
    reasoningEffort: rule?.reasoningEffort ?? false,
    api: rule?.api ?? 'chat',
  };
}
