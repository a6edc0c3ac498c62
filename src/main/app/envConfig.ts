/**
 * Configuration from environment variables and a `.env` file, with the variable names of the
 * Python claude-code-proxy so its users can bring their `.env` unchanged. Used by headless mode
 * and by the desktop app's "Import from .env or environment".
 */
import { parseEnv } from 'node:util';
import {
  API_STYLES,
  defaultProviderSettings,
  defaultRules,
  isApiStyle,
  defaultSettings,
  normalizeModelRules,
  parseRouteTarget,
  PROFILE_NAME_PATTERN,
  PROVIDER_ID_PATTERN,
  WEB_SEARCH_DIALECTS,
  type RouteRules,
  type RuleName,
  type Settings,
} from '../../shared/config';
import type { WebSearchDialect } from '../../shared/providerCatalog';
import { envNameFor, providerCatalog, type ProviderCatalogEntry } from '../../shared/providerCatalog';
import { adoptLegacyEnv } from './legacyEnv';

export type EnvSource = Record<string, string | undefined>;

export interface EnvConfig {
  settings: Settings;
  /** Provider id → key. */
  keys: Record<string, string>;
  /** The local access token, when TURNOUT_ACCESS_TOKEN is set. */
  accessToken: string | null;
  warnings: string[];
}

/** Every variable headless mode reads, for the README and the import dialog. */
export const ENV_VARIABLES = [
  'PORT',
  'HOST',
  'PREFERRED_PROVIDER',
  'BIG_MODEL',
  'SMALL_MODEL',
  'OPUS_MODEL',
  'CUSTOM_PROVIDERS',
  'TURNOUT_ACCESS_TOKEN',
  'TURNOUT_CONNECT_TIMEOUT_MS',
  'TURNOUT_FIRST_BYTE_TIMEOUT_MS',
  'TURNOUT_IDLE_TIMEOUT_MS',
  'TURNOUT_MAX_RETRIES',
  'TURNOUT_CONTEXT_SCALING',
  'FALLBACK_PROVIDERS',
  'ROUTE_BACKGROUND',
  'ROUTE_THINK',
  'ROUTE_LONG_CONTEXT',
  'LONG_CONTEXT_THRESHOLD',
  'ROUTE_IMAGE',
  'ROUTE_WEB_SEARCH',
  'TURNOUT_PROFILES',
  'TURNOUT_USAGE_RETENTION_DAYS',
  ...providerCatalog.flatMap((p) => [p.keyEnv, ...(p.keyEnvAliases ?? []), p.baseUrlEnv]),
  // Per provider: which OpenAI API to call (auto | chat | responses).
  ...providerCatalog.filter((p) => p.kind === 'openai-compatible').map((p) => `${envPrefix(p)}_API_STYLE`),
] as const;

export function parseDotenv(text: string): Record<string, string> {
  return parseEnv(text) as Record<string, string>;
}

/** Variable prefix for a provider's per-provider overrides (OPENAI_BIG_MODEL, OLLAMA_BASE_URL…). */
function envPrefix(entry: Pick<ProviderCatalogEntry, 'keyEnv'>): string {
  return entry.keyEnv.replace(/_API_KEY$/, '');
}

function customEnvPrefix(id: string): string {
  return envNameFor(id);
}

function positiveInt(
  env: EnvSource,
  name: string,
  warnings: string[],
  min: number,
  max: number,
): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    warnings.push(`${name}=${raw} is not a whole number from ${min} to ${max}; ignored.`);
    return undefined;
  }
  return value;
}

/**
 * Reads settings and keys from `env`. Real environment variables should be merged over the
 * `.env` file's by the caller (the usual dotenv precedence). Problems become warnings, never
 * a refusal to start.
 */
export function configFromEnv(source: EnvSource): EnvConfig {
  const warnings: string[] = [];
  const { env, warning: legacyWarning } = adoptLegacyEnv(source);
  if (legacyWarning) warnings.push(legacyWarning);
  const settings = defaultSettings();
  const keys: Record<string, string> = {};
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;

  for (const rawId of (value('CUSTOM_PROVIDERS') ?? '').split(',')) {
    const id = rawId.trim().toLowerCase();
    if (!id) continue;
    // A custom id that is a preset now (openrouter, azure…): the preset reads the same
    // variables, so there is nothing to declare and nothing to warn about.
    if (providerCatalog.some((p) => p.id === id)) continue;
    if (!PROVIDER_ID_PATTERN.test(id) || settings.providers[id]) {
      warnings.push(`CUSTOM_PROVIDERS: "${rawId.trim()}" is not a usable provider id; skipped.`);
      continue;
    }
    const prefix = customEnvPrefix(id);
    const baseUrl = value(`${prefix}_BASE_URL`);
    if (!baseUrl) {
      warnings.push(`CUSTOM_PROVIDERS: ${id} needs ${prefix}_BASE_URL; skipped.`);
      continue;
    }
    // `<PREFIX>_KIND=anthropic`: an Anthropic-compatible server, sent the request as it is.
    const kind = value(`${prefix}_KIND`)?.toLowerCase();
    if (kind && kind !== 'anthropic' && kind !== 'openai') {
      warnings.push(`${prefix}_KIND=${kind} is not "openai" or "anthropic"; using "openai".`);
    }
    const webSearch = value(`${prefix}_WEB_SEARCH`);
    if (webSearch && !WEB_SEARCH_DIALECTS.includes(webSearch as WebSearchDialect)) {
      warnings.push(
        `${prefix}_WEB_SEARCH=${webSearch} is not one of ${WEB_SEARCH_DIALECTS.join(', ')}; ignored.`,
      );
    }
    settings.customProviders.push({
      id,
      label: value(`${prefix}_LABEL`) ?? id,
      ...(kind === 'anthropic' ? { kind: 'anthropic' as const } : {}),
      ...(webSearch && WEB_SEARCH_DIALECTS.includes(webSearch as WebSearchDialect)
        ? { webSearch: webSearch as WebSearchDialect }
        : {}),
    });
    settings.providers[id] = { ...defaultProviderSettings(id), baseUrl };
  }

  for (const id of Object.keys(settings.providers)) {
    const builtin = providerCatalog.find((p) => p.id === id);
    const prefix = builtin ? envPrefix(builtin) : customEnvPrefix(id);
    const keyNames = builtin ? [builtin.keyEnv, ...(builtin.keyEnvAliases ?? [])] : [`${prefix}_API_KEY`];
    const key = keyNames.map(value).find((k) => k !== undefined);
    if (key) keys[id] = key;
    const baseUrl = value(builtin ? builtin.baseUrlEnv : `${prefix}_BASE_URL`);
    const provider = settings.providers[id];
    if (baseUrl) provider.baseUrl = baseUrl;
    provider.bigModel = value(`${prefix}_BIG_MODEL`) ?? provider.bigModel;
    provider.smallModel = value(`${prefix}_SMALL_MODEL`) ?? provider.smallModel;
    provider.opusModel = value(`${prefix}_OPUS_MODEL`) ?? provider.opusModel;
    const rulesText = value(`${prefix}_MODEL_RULES`);
    if (rulesText) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rulesText);
      } catch {
        warnings.push(`${prefix}_MODEL_RULES is not JSON (expected a list of rules); ignored.`);
      }
      const { rules, problems } = normalizeModelRules(parsed);
      for (const problem of problems) warnings.push(`${prefix}_MODEL_RULES: ${problem}; skipped.`);
      if (rules.length > 0) provider.modelRules = rules;
    }
    const apiStyle = value(`${prefix}_API_STYLE`)?.toLowerCase();
    if (isApiStyle(apiStyle)) provider.apiStyle = apiStyle;
    else if (apiStyle) {
      warnings.push(`${prefix}_API_STYLE=${apiStyle} is not one of ${API_STYLES.join(', ')}; using auto.`);
    }
  }

  const preferred = value('PREFERRED_PROVIDER')?.toLowerCase();
  if (preferred) {
    // The Python proxy calls Gemini "google"; accept "gemini" too.
    const id = preferred === 'gemini' ? 'google' : preferred;
    if (settings.providers[id]) settings.activeProvider = id;
    else
      warnings.push(
        `PREFERRED_PROVIDER=${preferred} is not a known provider; using ${settings.activeProvider}.`,
      );
  }
  const active = settings.providers[settings.activeProvider];
  active.bigModel = value('BIG_MODEL') ?? active.bigModel;
  active.smallModel = value('SMALL_MODEL') ?? active.smallModel;
  active.opusModel = value('OPUS_MODEL') ?? active.opusModel;

  settings.port = positiveInt(env, 'PORT', warnings, 0, 65535) ?? settings.port;
  settings.host = value('HOST') ?? settings.host;
  const timeouts = settings.timeouts;
  timeouts.connectMs =
    positiveInt(env, 'TURNOUT_CONNECT_TIMEOUT_MS', warnings, 100, 3_600_000) ?? timeouts.connectMs;
  timeouts.firstByteMs =
    positiveInt(env, 'TURNOUT_FIRST_BYTE_TIMEOUT_MS', warnings, 100, 3_600_000) ?? timeouts.firstByteMs;
  timeouts.idleMs = positiveInt(env, 'TURNOUT_IDLE_TIMEOUT_MS', warnings, 100, 3_600_000) ?? timeouts.idleMs;
  settings.maxRetries = positiveInt(env, 'TURNOUT_MAX_RETRIES', warnings, 0, 10) ?? settings.maxRetries;
  const scaling = value('TURNOUT_CONTEXT_SCALING')?.toLowerCase();
  if (scaling !== undefined) {
    if (['off', 'false', '0', 'no'].includes(scaling)) settings.contextScaling = false;
    else if (!['on', 'true', '1', 'yes'].includes(scaling))
      warnings.push(`TURNOUT_CONTEXT_SCALING=${scaling} is not on or off; ignored.`);
  }
  settings.usage = {
    ...settings.usage,
    retentionDays:
      positiveInt(env, 'TURNOUT_USAGE_RETENTION_DAYS', warnings, 1, 3650) ?? settings.usage.retentionDays,
  };

  routingFromEnv(env, settings, warnings);

  // Set: clients must present it, on loopback too. Unset: loopback only (the controller refuses
  // a non-loopback HOST without a token rather than serve the network unauthenticated).
  const accessToken = value('TURNOUT_ACCESS_TOKEN') ?? null;
  if (accessToken !== null && accessToken.length < 16) {
    warnings.push('TURNOUT_ACCESS_TOKEN is shorter than 16 characters; use a long random value.');
  }
  settings.requireAccessToken = accessToken !== null;
  return { settings, keys, accessToken, warnings };
}

/** Rule variables, in claude-code-router's names; a profile's carry its TURNOUT_PROFILE_<NAME>_ prefix. */
export const RULE_VARIABLES: ReadonlyArray<[RuleName, string]> = [
  ['background', 'ROUTE_BACKGROUND'],
  ['think', 'ROUTE_THINK'],
  ['longContext', 'ROUTE_LONG_CONTEXT'],
  ['image', 'ROUTE_IMAGE'],
  ['webSearch', 'ROUTE_WEB_SEARCH'],
];

function providerList(
  raw: string | undefined,
  name: string,
  settings: Settings,
  warnings: string[],
): string[] {
  const ids: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const id = part.trim().toLowerCase();
    if (!id) continue;
    if (settings.providers[id]) ids.push(id);
    else warnings.push(`${name}: "${id}" is not a known provider; skipped.`);
  }
  return [...new Set(ids)];
}

function rulesFromEnv(
  env: EnvSource,
  prefix: string,
  base: RouteRules,
  settings: Settings,
  warnings: string[],
): RouteRules {
  const rules = { ...base };
  for (const [rule, variable] of RULE_VARIABLES) {
    const name = `${prefix}${variable}`;
    const raw = env[name]?.trim();
    if (!raw) continue;
    const target = parseRouteTarget(raw);
    if (!target) warnings.push(`${name}=${raw} is not provider/model; ignored.`);
    else if (!settings.providers[target.provider])
      warnings.push(`${name}: "${target.provider}" is not a known provider; ignored.`);
    else rules[rule] = raw;
  }
  return rules;
}

/** FALLBACK_PROVIDERS, ROUTE_*, LONG_CONTEXT_THRESHOLD and TURNOUT_PROFILES (name=provider,…). */
function routingFromEnv(env: EnvSource, settings: Settings, warnings: string[]): void {
  settings.fallbackProviders = providerList(
    env.FALLBACK_PROVIDERS,
    'FALLBACK_PROVIDERS',
    settings,
    warnings,
  ).filter((id) => id !== settings.activeProvider);
  settings.rules = rulesFromEnv(env, '', defaultRules(), settings, warnings);
  settings.rules.longContextThreshold =
    positiveInt(env, 'LONG_CONTEXT_THRESHOLD', warnings, 1000, 10_000_000) ??
    settings.rules.longContextThreshold;

  for (const part of (env.TURNOUT_PROFILES ?? '').split(',')) {
    if (!part.trim()) continue;
    const [rawName, rawProvider] = part.split('=').map((x) => x?.trim().toLowerCase() ?? '');
    if (
      !PROFILE_NAME_PATTERN.test(rawName) ||
      settings.providers[rawName] ||
      !settings.providers[rawProvider]
    ) {
      warnings.push(
        `TURNOUT_PROFILES: "${part.trim()}" is not name=provider with a new URL-safe name and a known provider; skipped.`,
      );
      continue;
    }
    const prefix = `TURNOUT_PROFILE_${rawName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
    const read = (name: string) => env[`${prefix}${name}`]?.trim() ?? '';
    settings.profiles.push({
      name: rawName,
      provider: rawProvider,
      bigModel: read('BIG_MODEL'),
      smallModel: read('SMALL_MODEL'),
      opusModel: read('OPUS_MODEL'),
      rules: {
        ...rulesFromEnv(env, prefix, { ...defaultRules() }, settings, warnings),
        longContextThreshold: settings.rules.longContextThreshold,
      },
      fallbackProviders: providerList(
        env[`${prefix}FALLBACK_PROVIDERS`],
        `${prefix}FALLBACK_PROVIDERS`,
        settings,
        warnings,
      ),
    });
  }
}
