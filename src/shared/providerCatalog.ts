/**
 * Every backend Turnout knows, as data: one module per provider in `./providers/`, listed here
 * in the order the desktop offers them. The translator reads capabilities and quirks from
 * these entries; it never branches on a provider's name.
 */
import { anthropic } from './providers/anthropic';
import { azure } from './providers/azure';
import { cerebras } from './providers/cerebras';
import { deepseek, deepseekAnthropic } from './providers/deepseek';
import { fireworks } from './providers/fireworks';
import { google } from './providers/google';
import { groq } from './providers/groq';
import { llamacpp } from './providers/llamacpp';
import { lmstudio } from './providers/lmstudio';
import { minimax, minimaxAnthropic } from './providers/minimax';
import { mistral } from './providers/mistral';
import { moonshot, moonshotAnthropic } from './providers/moonshot';
import { ollama, ollamaAnthropic } from './providers/ollama';
import { openai } from './providers/openai';
import { openAiModelRules } from './providers/openaiModels';
import { openrouter } from './providers/openrouter';
import { qwen, qwenChina } from './providers/qwen';
import { together } from './providers/together';
import {
  defaultQuirks,
  type KeyHeader,
  type MessageOrder,
  type ModelApi,
  type ModelRule,
  type ProviderCatalogEntry,
  type ProviderKind,
  type ReasoningHistory,
  type ToolIdFormat,
  type WebSearchDialect,
} from './providers/types';
import { vllm } from './providers/vllm';
import { xai } from './providers/xai';
import { zai, zaiAnthropic } from './providers/zai';

export * from './providers/types';

export const providerCatalog: readonly ProviderCatalogEntry[] = [
  openai,
  anthropic,
  google,
  groq,
  moonshot,
  deepseek,
  openrouter,
  mistral,
  xai,
  qwen,
  qwenChina,
  zai,
  minimax,
  together,
  fireworks,
  cerebras,
  azure,
  ollama,
  lmstudio,
  vllm,
  llamacpp,
  // Anthropic-compatible endpoints: the request passes through with the mapping applied.
  deepseekAnthropic,
  moonshotAnthropic,
  zaiAnthropic,
  minimaxAnthropic,
  ollamaAnthropic,
];

/** Environment-variable prefix for a provider id: `qwen-cn` → `QWEN_CN`. */
export function envNameFor(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * Defaults for a user-declared server: OpenAI-compatible (any chat-completions server) or
 * Anthropic-compatible (any `/v1/messages` server: DeepSeek's, Kimi's, GLM's, MiniMax's or
 * Ollama's `/anthropic` endpoints), which receives the client's request as it is.
 */
/**
 * Capabilities of well-known gateways users add as custom providers, by host name. OpenRouter's
 * web plugin: https://openrouter.ai/docs/features/web-search.
 */
const knownGateways: ReadonlyArray<{ host: string; webSearch: WebSearchDialect }> = [
  { host: 'openrouter.ai', webSearch: 'openrouter-plugin' },
];

function gatewayFor(baseUrl: string): (typeof knownGateways)[number] | undefined {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return undefined;
  }
  return knownGateways.find((g) => host === g.host || host.endsWith(`.${g.host}`));
}

export function customProviderEntry(spec: {
  id: string;
  label?: string;
  baseUrl: string;
  bigModel?: string;
  smallModel?: string;
  kind?: ProviderKind;
  keyHeader?: KeyHeader;
  webSearch?: WebSearchDialect;
}): ProviderCatalogEntry {
  const envName = envNameFor(spec.id);
  const kind = spec.kind ?? 'openai-compatible';
  return {
    id: spec.id,
    label: spec.label || spec.id,
    kind,
    defaultBaseUrl: spec.baseUrl,
    keyEnv: `${envName}_API_KEY`,
    baseUrlEnv: `${envName}_BASE_URL`,
    keyOptional: true,
    keyHeader: spec.keyHeader ?? (kind === 'anthropic' ? 'x-api-key' : 'bearer'),
    defaultBigModel: spec.bigModel ?? '',
    defaultSmallModel: spec.smallModel ?? '',
    // DeepSeek and Kimi reached through a router need their reasoning echoed back; other
    // servers ignore the extra field.
    quirks: { ...defaultQuirks, reasoningContentInHistory: true },
    modelRules: kind === 'anthropic' ? [] : openAiModelRules,
    webSearch: spec.webSearch ?? gatewayFor(spec.baseUrl)?.webSearch,
  };
}

export function builtinProvider(id: string): ProviderCatalogEntry | undefined {
  return providerCatalog.find((p) => p.id === id);
}

/** Resolved per-model behaviour: the matching rules merged, filled with permissive defaults. */
export interface ModelTraits {
  maxOutputTokens?: number;
  contextWindow?: number;
  tokenParam: 'max_tokens' | 'max_completion_tokens';
  temperature: 'any' | 'fixed-1';
  supportsStop: boolean;
  supportsTopP: boolean;
  reasoningEffort: boolean;
  reasoningHistory: ReasoningHistory;
  toolIdFormat: ToolIdFormat;
  messageOrder: MessageOrder;
  nonStreamingBody?: Record<string, unknown>;
  api: ModelApi;
  vision?: boolean;
  webSearch?: WebSearchDialect;
}

const compiledRules = new WeakMap<ModelRule, RegExp | null>();

function ruleMatches(rule: ModelRule, model: string): boolean {
  let re = compiledRules.get(rule);
  if (re === undefined) {
    try {
      re = new RegExp(rule.match, 'i');
    } catch {
      // A hand-written rule with a broken pattern matches nothing rather than failing requests.
      re = null;
    }
    compiledRules.set(rule, re);
  }
  return re !== null && re.test(model);
}

/**
 * The traits of `model`: user rules first, then the provider's. For each field the first
 * matching rule that sets it wins.
 */
export function modelTraits(
  entry: ProviderCatalogEntry,
  model: string,
  userRules: readonly ModelRule[] = [],
): ModelTraits {
  const merged: Partial<ModelRule> = {};
  for (const rule of [...userRules, ...entry.modelRules]) {
    if (!ruleMatches(rule, model)) continue;
    for (const [key, value] of Object.entries(rule)) {
      if (key !== 'match' && value !== undefined && !(key in merged)) {
        (merged as Record<string, unknown>)[key] = value;
      }
    }
  }
  return {
    maxOutputTokens: merged.maxOutputTokens,
    contextWindow: merged.contextWindow,
    tokenParam: merged.tokenParam ?? 'max_tokens',
    temperature: merged.temperature ?? 'any',
    supportsStop: merged.supportsStop ?? true,
    supportsTopP: merged.supportsTopP ?? true,
    reasoningEffort: merged.reasoningEffort ?? false,
    reasoningHistory: merged.reasoningHistory ?? (entry.quirks.reasoningContentInHistory ? 'echo' : 'off'),
    toolIdFormat: merged.toolIdFormat ?? 'any',
    messageOrder: merged.messageOrder ?? 'any',
    nonStreamingBody: merged.nonStreamingBody,
    api: merged.api ?? 'chat',
    vision: merged.vision,
    webSearch: merged.webSearch ?? entry.webSearch,
  };
}
