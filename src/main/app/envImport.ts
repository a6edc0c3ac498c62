/**
 * "Import from .env or environment" in the desktop app: reads the variables headless mode
 * understands and applies only the ones that are present, on top of the current settings.
 * Keys go into the vault. The result names the variables used, never their values.
 */
import { defaultProviderSettings, type ProviderSettings, type Settings } from '../../shared/config';
import type { EnvImportResult } from '../../shared/ipc';
import { builtinProvider } from '../../shared/providerCatalog';
import type { TurnoutController } from './controller';
import { configFromEnv, ENV_VARIABLES, RULE_VARIABLES, type EnvSource } from './envConfig';

const SLOT_SUFFIXES = ['BIG_MODEL', 'SMALL_MODEL', 'OPUS_MODEL'] as const;

/** The names configFromEnv may read for the given custom provider ids. */
function candidateNames(env: EnvSource): string[] {
  const names = new Set<string>(ENV_VARIABLES);
  const prefixes = new Set<string>();
  for (const name of ENV_VARIABLES)
    if (name.endsWith('_API_KEY')) prefixes.add(name.slice(0, -'_API_KEY'.length));
  for (const id of (env.CUSTOM_PROVIDERS ?? '').split(',')) {
    const prefix = id
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '_');
    if (prefix) prefixes.add(prefix);
  }
  for (const prefix of prefixes) {
    for (const suffix of [
      'API_KEY',
      'BASE_URL',
      'LABEL',
      'API_STYLE',
      'KIND',
      'MODEL_RULES',
      'WEB_SEARCH',
      ...SLOT_SUFFIXES,
    ])
      names.add(`${prefix}_${suffix}`);
  }
  return [...names];
}

export async function importEnvironment(
  controller: TurnoutController,
  env: EnvSource,
  source: string,
): Promise<EnvImportResult> {
  const present = candidateNames(env).filter((name) => env[name]?.trim());
  const has = (name: string): boolean => present.includes(name);
  const imported = configFromEnv(env);
  const warnings = [...imported.warnings];
  const current = controller.getSettings();
  const next: Settings = structuredClone(current);

  for (const custom of imported.settings.customProviders) {
    if (next.providers[custom.id]) continue;
    next.customProviders.push(custom);
    next.providers[custom.id] = { ...imported.settings.providers[custom.id] };
  }
  for (const [id, fromEnv] of Object.entries(imported.settings.providers)) {
    const target = next.providers[id];
    if (!target) continue;
    const defaults = builtinProvider(id) ? defaultProviderSettings(id) : null;
    for (const field of Object.keys(fromEnv) as (keyof ProviderSettings)[]) {
      // A value that differs from the default was set by a variable.
      if (defaults === null || fromEnv[field] !== defaults[field])
        Object.assign(target, { [field]: fromEnv[field] });
    }
  }
  if (has('PREFERRED_PROVIDER')) next.activeProvider = imported.settings.activeProvider;
  if (
    has('TURNOUT_CONNECT_TIMEOUT_MS') ||
    has('TURNOUT_FIRST_BYTE_TIMEOUT_MS') ||
    has('TURNOUT_IDLE_TIMEOUT_MS')
  ) {
    next.timeouts = imported.settings.timeouts;
  }
  if (has('TURNOUT_MAX_RETRIES')) next.maxRetries = imported.settings.maxRetries;
  if (has('TURNOUT_CONTEXT_SCALING')) next.contextScaling = imported.settings.contextScaling;
  // Routing: the chain, each rule whose variable is set, and profiles by name.
  if (has('FALLBACK_PROVIDERS')) next.fallbackProviders = imported.settings.fallbackProviders;
  for (const [rule, variable] of RULE_VARIABLES) {
    if (has(variable)) next.rules[rule] = imported.settings.rules[rule];
  }
  if (has('LONG_CONTEXT_THRESHOLD'))
    next.rules.longContextThreshold = imported.settings.rules.longContextThreshold;
  for (const profile of imported.settings.profiles) {
    next.profiles = [...next.profiles.filter((p) => p.name !== profile.name), profile];
  }
  // Only a value configFromEnv accepted (a rejected one comes back as the default, with a warning).
  const retention = imported.settings.usage.retentionDays;
  if (has('TURNOUT_USAGE_RETENTION_DAYS') && Number(env.TURNOUT_USAGE_RETENTION_DAYS) === retention) {
    next.usage = { ...next.usage, retentionDays: retention };
  }
  if (has('TURNOUT_ACCESS_TOKEN')) {
    warnings.push('TURNOUT_ACCESS_TOKEN is not imported: the desktop app keeps its own access token.');
  }

  controller.replaceSettings(next);
  for (const [id, key] of Object.entries(imported.keys)) await controller.setKey(id, key);
  const host = has('HOST') ? imported.settings.host : current.host;
  const port = has('PORT') ? imported.settings.port : current.port;
  if (host !== current.host || port !== current.port) await controller.setListenAddress(host, port);

  return { source, applied: present.sort(), keys: Object.keys(imported.keys).sort(), warnings };
}
