/**
 * The settings model shared by the proxy, the desktop shell and the renderer. Settings hold no
 * secrets: API keys live in the key vault (ciphertext on disk) and only reach the proxy as a
 * snapshot in main-process memory.
 */
import { providerCatalog, type ModelRule, type ProviderKind, type WebSearchDialect } from './providerCatalog';
import { validatePrice, type PriceOverrides } from './providers/prices';

export const WEB_SEARCH_DIALECTS: readonly WebSearchDialect[] = [
  'openrouter-plugin',
  'openai-search-options',
];

export const SETTINGS_VERSION = 1;

export interface ProviderSettings {
  baseUrl: string;
  bigModel: string;
  smallModel: string;
  /** Empty: opus maps to the big model. */
  opusModel: string;
  /**
   * The user's per-model rules, read before the preset's (for each field the first matching
   * rule that sets it wins). Absent: the preset's rules alone.
   */
  modelRules?: ModelRule[];
  /**
   * Which OpenAI API to call: `auto` (the default) follows the catalog per model, `chat` forces
   * chat completions, `responses` forces the Responses API (OpenAI, Azure, servers serving it).
   */
  apiStyle?: ApiStyle;
}

export const API_STYLES = ['auto', 'chat', 'responses'] as const;
export type ApiStyle = (typeof API_STYLES)[number];

export function isApiStyle(value: unknown): value is ApiStyle {
  return typeof value === 'string' && (API_STYLES as readonly string[]).includes(value);
}

export interface CustomProviderSpec {
  id: string;
  label: string;
  /** Absent: an OpenAI-compatible server. */
  kind?: ProviderKind;
  /** The server has native web search (e.g. it fronts OpenRouter); known hosts need no setting. */
  webSearch?: WebSearchDialect;
}

export interface TimeoutSettings {
  /** TCP/TLS connect to the upstream. */
  connectMs: number;
  /** Request sent → first response byte (headers). */
  firstByteMs: number;
  /** Longest silence allowed between two stream chunks. */
  idleMs: number;
}

/**
 * Routing rules, each a `provider/model` target (empty: rule off). Names follow
 * claude-code-router's. Which requests fire each rule is defined in src/main/proxy/routing/.
 */
export interface RouteRules {
  background: string;
  think: string;
  longContext: string;
  /** Estimated input tokens above which `longContext` is taken. */
  longContextThreshold: number;
  image: string;
  webSearch: string;
}

export const RULE_NAMES = ['background', 'think', 'longContext', 'image', 'webSearch'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/**
 * A named route a terminal can pin with `ANTHROPIC_BASE_URL=http://127.0.0.1:8082/p/<name>`:
 * a provider with its own model mapping, rules and fallback chain.
 */
export interface RoutingProfile {
  name: string;
  provider: string;
  /** Empty: the provider's own mapping slot. */
  bigModel: string;
  smallModel: string;
  opusModel: string;
  rules: RouteRules;
  fallbackProviders: string[];
}

export interface UsageSettings {
  /** Days of usage history kept; older rows are deleted. */
  retentionDays: number;
  /** The user's own prices per upstream model id (US dollars per million tokens). */
  prices: PriceOverrides;
}

export interface Settings {
  version: number;
  activeProvider: string;
  host: string;
  port: number;
  /** Built-in and custom providers, keyed by provider id. */
  providers: Record<string, ProviderSettings>;
  customProviders: CustomProviderSpec[];
  /** Require clients to present the local access token (always required off loopback). */
  requireAccessToken: boolean;
  timeouts: TimeoutSettings;
  /** Retries for failures before the first byte (429, 5xx, connection reset). */
  maxRetries: number;
  paused: boolean;
  startAtLogin: boolean;
  /**
   * Scale the input-token counts reported to clients by 200K / the model's window, so Claude
   * Code auto-compacts at the same share of the real window (see contextWindow.ts).
   */
  contextScaling: boolean;
  /** Tried in order after the active provider when it fails before answering. */
  fallbackProviders: string[];
  rules: RouteRules;
  profiles: RoutingProfile[];
  usage: UsageSettings;
}

export const DEFAULT_PORT = 8082;
export const DEFAULT_HOST = '127.0.0.1';

export function defaultProviderSettings(id: string): ProviderSettings {
  const entry = providerCatalog.find((p) => p.id === id);
  return {
    baseUrl: entry?.defaultBaseUrl ?? '',
    bigModel: entry?.defaultBigModel ?? '',
    smallModel: entry?.defaultSmallModel ?? '',
    opusModel: '',
  };
}

export const DEFAULT_LONG_CONTEXT_THRESHOLD = 60_000;

export function defaultRules(): RouteRules {
  return {
    background: '',
    think: '',
    longContext: '',
    longContextThreshold: DEFAULT_LONG_CONTEXT_THRESHOLD,
    image: '',
    webSearch: '',
  };
}

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    activeProvider: 'openai',
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    providers: Object.fromEntries(providerCatalog.map((p) => [p.id, defaultProviderSettings(p.id)])),
    customProviders: [],
    requireAccessToken: false,
    timeouts: { connectMs: 10_000, firstByteMs: 120_000, idleMs: 120_000 },
    maxRetries: 2,
    paused: false,
    startAtLogin: false,
    contextScaling: true,
    fallbackProviders: [],
    rules: defaultRules(),
    profiles: [],
    usage: { retentionDays: 90, prices: {} },
  };
}

export const PROVIDER_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** Profile names share the provider-id alphabet: they appear in URLs (`/p/<name>`). */
export const PROFILE_NAME_PATTERN = PROVIDER_ID_PATTERN;

/** `provider/model` → its parts, or null when the text is not of that shape. */
export function parseRouteTarget(target: string): { provider: string; model: string } | null {
  const slash = target.indexOf('/');
  if (slash <= 0 || slash === target.length - 1) return null;
  return { provider: target.slice(0, slash), model: target.slice(slash + 1) };
}
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A problem with one field, phrased for a person and addressed for a form. */
export interface FieldError {
  field: string;
  message: string;
}

export function validateBaseUrl(value: string): string | null {
  if (!value) return 'A base URL is required.';
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Use an http:// or https:// URL.';
  } catch {
    return 'Not a valid URL (expected e.g. https://api.example.com/v1).';
  }
  return null;
}

export function validatePort(port: unknown): string | null {
  // 0 asks the OS for a free port: tests and scripted setups use it.
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    return 'The port must be a whole number from 1 to 65535 (0 picks a free one).';
  }
  return null;
}

/** Every problem with a settings object; an empty list means it may be saved. */
export function validateSettings(s: Settings): FieldError[] {
  const errors: FieldError[] = [];
  const portError = validatePort(s.port);
  if (portError) errors.push({ field: 'port', message: portError });
  if (!s.host || typeof s.host !== 'string')
    errors.push({ field: 'host', message: 'A bind address is required.' });
  if (!s.providers[s.activeProvider]) {
    errors.push({ field: 'activeProvider', message: `Unknown provider "${s.activeProvider}".` });
  }
  for (const [id, p] of Object.entries(s.providers)) {
    const urlError = validateBaseUrl(p.baseUrl);
    if (urlError) errors.push({ field: `providers.${id}.baseUrl`, message: urlError });
  }
  for (const c of s.customProviders) {
    if (!PROVIDER_ID_PATTERN.test(c.id)) {
      errors.push({
        field: `customProviders.${c.id}`,
        message: 'A provider id is 1-32 lower-case letters, digits or dashes, starting with a letter.',
      });
    }
  }
  for (const [id, p] of Object.entries(s.providers)) {
    const { problems } = normalizeModelRules(p.modelRules);
    for (const message of problems) errors.push({ field: `providers.${id}.modelRules`, message });
  }
  for (const [key, value] of Object.entries(s.timeouts)) {
    if (typeof value !== 'number' || !(value >= 100)) {
      errors.push({ field: `timeouts.${key}`, message: 'A timeout is at least 100 ms.' });
    }
  }
  if (!Number.isInteger(s.maxRetries) || s.maxRetries < 0 || s.maxRetries > 10) {
    errors.push({ field: 'maxRetries', message: 'Retries must be a whole number from 0 to 10.' });
  }
  errors.push(...validateRouting(s));
  errors.push(...validateUsageSettings(s.usage));
  return errors;
}

function validateRules(s: Settings, rules: RouteRules, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const name of RULE_NAMES) {
    const target = rules[name];
    if (!target) continue;
    const parsed = parseRouteTarget(target);
    if (!parsed) {
      errors.push({
        field: `${prefix}.${name}`,
        message: 'Write a rule as provider/model, e.g. groq/llama-3.3-70b-versatile.',
      });
    } else if (!s.providers[parsed.provider]) {
      errors.push({ field: `${prefix}.${name}`, message: `Unknown provider "${parsed.provider}".` });
    }
  }
  if (!Number.isInteger(rules.longContextThreshold) || rules.longContextThreshold < 1000) {
    errors.push({
      field: `${prefix}.longContextThreshold`,
      message: 'The threshold is a whole number of tokens, at least 1000.',
    });
  }
  return errors;
}

function validateChain(s: Settings, chain: string[], field: string): FieldError[] {
  const unknown = chain.filter((id) => !s.providers[id]);
  return unknown.length > 0 ? [{ field, message: `Unknown fallback provider "${unknown[0]}".` }] : [];
}

/** Rules, fallbacks and profiles name providers that exist; profile names are URL-safe and unique. */
export function validateRouting(s: Settings): FieldError[] {
  const errors = [
    ...validateChain(s, s.fallbackProviders, 'fallbackProviders'),
    ...validateRules(s, s.rules, 'rules'),
  ];
  const seen = new Set<string>();
  for (const profile of s.profiles) {
    const field = `profiles.${profile.name}`;
    if (!PROFILE_NAME_PATTERN.test(profile.name)) {
      errors.push({
        field: `${field}.name`,
        message: 'A profile name is 1-32 lower-case letters, digits or dashes, starting with a letter.',
      });
    } else if (s.providers[profile.name]) {
      errors.push({
        field: `${field}.name`,
        message: `"${profile.name}" is a provider's name; /p/${profile.name} already pins that provider.`,
      });
    } else if (seen.has(profile.name)) {
      errors.push({ field: `${field}.name`, message: `There is already a profile named "${profile.name}".` });
    }
    seen.add(profile.name);
    if (!s.providers[profile.provider]) {
      errors.push({ field: `${field}.provider`, message: `Unknown provider "${profile.provider}".` });
    }
    errors.push(...validateChain(s, profile.fallbackProviders, `${field}.fallbackProviders`));
    errors.push(...validateRules(s, profile.rules, `${field}.rules`));
  }
  return errors;
}

export function validateUsageSettings(usage: UsageSettings): FieldError[] {
  const errors: FieldError[] = [];
  const days = usage?.retentionDays;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    errors.push({ field: 'usage.retentionDays', message: 'Keep usage history for 1 to 3650 days.' });
  }
  for (const [model, price] of Object.entries(usage?.prices ?? {})) {
    const message = validatePrice(price);
    if (message) errors.push({ field: `usage.prices.${model}`, message });
  }
  return errors;
}

type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;

/** Index i upgrades a version-i document to version i+1. Version 0 is "no version field". */
const migrations: Migration[] = [(raw) => ({ ...raw, version: 1 })];

/**
 * Bring a stored document up to the current version and fill anything missing from the
 * defaults. Unknown fields are dropped; a value of the wrong type falls back to its default
 * (and is reported), so a hand-edited file never stops the app.
 */
export function normalizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const defaults = defaultSettings();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: defaults, problems: raw === undefined ? [] : ['settings were not an object'] };
  }
  let doc = raw as Record<string, unknown>;
  let version = typeof doc.version === 'number' ? doc.version : 0;
  while (version < SETTINGS_VERSION && migrations[version]) {
    doc = migrations[version](doc);
    version += 1;
  }
  const pick = <K extends keyof Settings>(key: K, ok: (v: unknown) => boolean): Settings[K] => {
    if (doc[key] === undefined) return defaults[key];
    if (ok(doc[key])) return doc[key] as Settings[K];
    problems.push(`${String(key)} had an invalid value and was reset`);
    return defaults[key];
  };
  const customProviders = pick('customProviders', Array.isArray)
    .filter((c) => c && typeof c.id === 'string' && PROVIDER_ID_PATTERN.test(c.id))
    // A custom server whose id is now a preset (e.g. "deepseek") becomes that preset; its
    // stored URL, models and key are kept under the same id.
    .filter((c) => !providerCatalog.some((p) => p.id === c.id))
    .map((c) => ({
      id: c.id,
      label: typeof c.label === 'string' ? c.label : c.id,
      ...(c.kind === 'anthropic' ? { kind: 'anthropic' as const } : {}),
      ...(WEB_SEARCH_DIALECTS.includes(c.webSearch as WebSearchDialect) ? { webSearch: c.webSearch } : {}),
    }));
  const storedProviders = (doc.providers && typeof doc.providers === 'object' ? doc.providers : {}) as Record<
    string,
    Partial<ProviderSettings>
  >;
  const providers: Record<string, ProviderSettings> = {};
  for (const id of [...providerCatalog.map((p) => p.id), ...customProviders.map((c) => c.id)]) {
    const base = defaults.providers[id] ?? defaultProviderSettings(id);
    const stored = storedProviders[id] ?? {};
    providers[id] = {
      baseUrl: typeof stored.baseUrl === 'string' ? stored.baseUrl : base.baseUrl,
      bigModel: typeof stored.bigModel === 'string' ? stored.bigModel : base.bigModel,
      smallModel: typeof stored.smallModel === 'string' ? stored.smallModel : base.smallModel,
      opusModel: typeof stored.opusModel === 'string' ? stored.opusModel : base.opusModel,
    };
    const rules = normalizeModelRules(stored.modelRules);
    if (rules.problems.length > 0) problems.push(...rules.problems.map((p) => `providers.${id}: ${p}`));
    if (rules.rules.length > 0) providers[id].modelRules = rules.rules;
    if (isApiStyle(stored.apiStyle) && stored.apiStyle !== 'auto') providers[id].apiStyle = stored.apiStyle;
  }
  const storedTimeouts = (doc.timeouts ?? {}) as Partial<TimeoutSettings>;
  const timeouts = { ...defaults.timeouts };
  for (const key of Object.keys(timeouts) as (keyof TimeoutSettings)[]) {
    if (typeof storedTimeouts[key] === 'number' && storedTimeouts[key]! >= 100)
      timeouts[key] = storedTimeouts[key]!;
  }
  const providerIds = (v: unknown): v is string[] =>
    Array.isArray(v) && v.every((id) => typeof id === 'string' && id in providers);
  const settings: Settings = {
    version: SETTINGS_VERSION,
    activeProvider: pick('activeProvider', (v) => typeof v === 'string' && v in providers),
    host: pick('host', (v) => typeof v === 'string' && v.length > 0),
    port: pick('port', (v) => validatePort(v) === null),
    providers,
    customProviders,
    requireAccessToken: pick('requireAccessToken', (v) => typeof v === 'boolean'),
    timeouts,
    maxRetries: pick('maxRetries', (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10),
    paused: pick('paused', (v) => typeof v === 'boolean'),
    startAtLogin: pick('startAtLogin', (v) => typeof v === 'boolean'),
    contextScaling: pick('contextScaling', (v) => typeof v === 'boolean'),
    fallbackProviders: pick('fallbackProviders', providerIds),
    rules: normalizeRules(doc.rules, providers),
    profiles: pick('profiles', Array.isArray)
      .filter(
        (p) => p && typeof p === 'object' && typeof p.name === 'string' && typeof p.provider === 'string',
      )
      .filter((p) => PROFILE_NAME_PATTERN.test(p.name) && p.provider in providers && !(p.name in providers))
      .map((p) => ({
        name: p.name,
        provider: p.provider,
        bigModel: typeof p.bigModel === 'string' ? p.bigModel : '',
        smallModel: typeof p.smallModel === 'string' ? p.smallModel : '',
        opusModel: typeof p.opusModel === 'string' ? p.opusModel : '',
        rules: normalizeRules(p.rules, providers),
        fallbackProviders: providerIds(p.fallbackProviders) ? p.fallbackProviders : [],
      })),
    usage: pick('usage', (v) => validateUsageSettings(v as UsageSettings).length === 0),
  };
  return { settings, problems };
}

const RULE_ENUMS: Record<string, readonly unknown[]> = {
  tokenParam: ['max_tokens', 'max_completion_tokens'],
  temperature: ['any', 'fixed-1'],
  reasoningHistory: ['off', 'echo', 'required'],
  toolIdFormat: ['any', 'alnum9', 'kimi'],
  messageOrder: ['any', 'no-user-after-tool'],
  api: ['chat', 'responses', 'prefer-responses'],
  webSearch: ['openrouter-plugin', 'openai-search-options'],
};
const RULE_COUNTS = ['maxOutputTokens', 'contextWindow'];
const RULE_FLAGS = ['supportsStop', 'supportsTopP', 'reasoningEffort', 'vision'];

/**
 * User-written model rules (Settings or `<PROVIDER>_MODEL_RULES`), checked field by field: a
 * rule with a bad field is dropped whole and reported, never half-applied.
 */
export function normalizeModelRules(raw: unknown): { rules: ModelRule[]; problems: string[] } {
  if (raw === undefined || raw === null) return { rules: [], problems: [] };
  if (!Array.isArray(raw)) return { rules: [], problems: ['model rules must be a list'] };
  const rules: ModelRule[] = [];
  const problems: string[] = [];
  raw.forEach((item, index) => {
    const where = `model rule ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const rule = item as Record<string, unknown>;
    if (typeof rule.match !== 'string') {
      problems.push(`${where} needs "match" (a pattern for the model id)`);
      return;
    }
    try {
      new RegExp(rule.match, 'i');
    } catch {
      problems.push(`${where}: "${rule.match}" is not a valid pattern`);
      return;
    }
    const bad = Object.entries(rule).find(([key, value]) => {
      if (key === 'match') return false;
      if (RULE_COUNTS.includes(key)) return !(Number.isInteger(value) && (value as number) > 0);
      if (RULE_FLAGS.includes(key)) return typeof value !== 'boolean';
      if (RULE_ENUMS[key]) return !RULE_ENUMS[key].includes(value);
      if (key === 'nonStreamingBody') return !value || typeof value !== 'object' || Array.isArray(value);
      return true;
    });
    if (bad) {
      problems.push(`${where}: ${bad[0]}=${JSON.stringify(bad[1])} is not allowed`);
      return;
    }
    rules.push(rule as unknown as ModelRule);
  });
  return { rules, problems };
}

function normalizeRules(raw: unknown, providers: Record<string, unknown>): RouteRules {
  const rules = defaultRules();
  if (!raw || typeof raw !== 'object') return rules;
  const stored = raw as Partial<Record<keyof RouteRules, unknown>>;
  for (const name of RULE_NAMES) {
    const value = stored[name];
    if (typeof value !== 'string') continue;
    const target = parseRouteTarget(value);
    // A rule naming a provider that no longer exists is dropped rather than block every save.
    if (value === '' || (target && target.provider in providers)) rules[name] = value;
  }
  const threshold = stored.longContextThreshold;
  if (typeof threshold === 'number' && Number.isInteger(threshold) && threshold >= 1000)
    rules.longContextThreshold = threshold;
  return rules;
}
