/**
 * The settings model shared by the proxy, the desktop shell and the renderer. Settings hold no
 * secrets: API keys live in the key vault (ciphertext on disk) and only reach the proxy as a
 * snapshot in main-process memory.
 */
import { providerCatalog } from './providerCatalog';
import { validatePrice, type PriceOverrides } from './providers/prices';

export const SETTINGS_VERSION = 1;

export interface ProviderSettings {
  baseUrl: string;
  bigModel: string;
  smallModel: string;
  /** Empty: opus maps to the big model. */
  opusModel: string;
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
}

export interface TimeoutSettings {
  /** TCP/TLS connect to the upstream. */
  connectMs: number;
  /** Request sent → first response byte (headers). */
  firstByteMs: number;
  /** Longest silence allowed between two stream chunks. */
  idleMs: number;
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
    usage: { retentionDays: 90, prices: {} },
  };
}

export const PROVIDER_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
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
  for (const [key, value] of Object.entries(s.timeouts)) {
    if (typeof value !== 'number' || !(value >= 100)) {
      errors.push({ field: `timeouts.${key}`, message: 'A timeout is at least 100 ms.' });
    }
  }
  if (!Number.isInteger(s.maxRetries) || s.maxRetries < 0 || s.maxRetries > 10) {
    errors.push({ field: 'maxRetries', message: 'Retries must be a whole number from 0 to 10.' });
  }
  errors.push(...validateUsageSettings(s.usage));
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
  const customProviders = pick('customProviders', Array.isArray).filter(
    (c) => c && typeof c.id === 'string' && PROVIDER_ID_PATTERN.test(c.id),
  );
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
    if (isApiStyle(stored.apiStyle) && stored.apiStyle !== 'auto') providers[id].apiStyle = stored.apiStyle;
  }
  const storedTimeouts = (doc.timeouts ?? {}) as Partial<TimeoutSettings>;
  const timeouts = { ...defaults.timeouts };
  for (const key of Object.keys(timeouts) as (keyof TimeoutSettings)[]) {
    if (typeof storedTimeouts[key] === 'number' && storedTimeouts[key]! >= 100)
      timeouts[key] = storedTimeouts[key]!;
  }
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
    usage: pick('usage', (v) => validateUsageSettings(v as UsageSettings).length === 0),
  };
  return { settings, problems };
}
