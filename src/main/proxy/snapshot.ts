/**
 * An immutable view of everything the proxy needs to serve one request. The controller builds a
 * new snapshot on every settings or key change; each request reads the snapshot once when it
 * arrives, so a switch applies to the next request while requests in flight finish unchanged.
 */
import type {
  ProviderSettings,
  RouteRules,
  RoutingProfile,
  Settings,
  TimeoutSettings,
} from '../../shared/config';
import {
  builtinProvider,
  customProviderEntry,
  type ProviderCatalogEntry,
} from '../../shared/providerCatalog';

export interface ProviderRuntime {
  entry: ProviderCatalogEntry;
  settings: ProviderSettings;
  /** Plaintext key, in main-process memory only. */
  apiKey: string | undefined;
  /** Where to tell the user to put the key when it is missing. */
  keyHelp: string;
}

export interface ProxySnapshot {
  readonly activeProvider: string;
  readonly providers: ReadonlyMap<string, ProviderRuntime>;
  /** When set, clients must present this token (x-api-key or Bearer). */
  readonly accessToken: string | null;
  readonly timeouts: TimeoutSettings;
  readonly maxRetries: number;
  readonly paused: boolean;
  /** Scale reported input counts to Claude Code's assumed window (contextWindow.ts). */
  readonly contextScaling: boolean;
  /** Tried in order after the active provider (ids of configured providers). */
  readonly fallbackProviders: readonly string[];
  readonly rules: Readonly<RouteRules>;
  /** Named profiles a terminal can pin with `/p/<name>`. */
  readonly profiles: ReadonlyMap<string, RoutingProfile>;
}

export type KeyLookup = (providerId: string) => string | undefined;

/** How a missing key is explained: headless users set variables, desktop users open Settings. */
export type KeyHelpStyle = 'env' | 'settings';

export function providerEntries(settings: Settings): ProviderCatalogEntry[] {
  const entries: ProviderCatalogEntry[] = [];
  for (const id of Object.keys(settings.providers)) {
    const builtin = builtinProvider(id);
    const custom = settings.customProviders.find((c) => c.id === id);
    const entry =
      builtin ??
      (custom &&
        customProviderEntry({
          id,
          label: custom.label,
          baseUrl: settings.providers[id].baseUrl,
          kind: custom.kind,
          webSearch: custom.webSearch,
        }));
    if (!entry) continue;
    // The user's rules come first: for each field the first matching rule wins.
    const userRules = settings.providers[id].modelRules ?? [];
    entries.push(
      userRules.length > 0 ? { ...entry, modelRules: [...userRules, ...entry.modelRules] } : entry,
    );
  }
  return entries;
}

export function buildSnapshot(
  settings: Settings,
  keyFor: KeyLookup,
  options: { accessToken: string | null; keyHelp: KeyHelpStyle },
): ProxySnapshot {
  const providers = new Map<string, ProviderRuntime>();
  for (const entry of providerEntries(settings)) {
    providers.set(entry.id, {
      entry,
      settings: { ...settings.providers[entry.id] },
      apiKey: keyFor(entry.id),
      keyHelp:
        options.keyHelp === 'env'
          ? `set ${entry.keyEnv} in the environment or .env`
          : `add it in Turnout's Settings window`,
    });
  }
  return Object.freeze({
    activeProvider: settings.activeProvider,
    providers,
    accessToken: options.accessToken,
    timeouts: { ...settings.timeouts },
    maxRetries: settings.maxRetries,
    paused: settings.paused,
    contextScaling: settings.contextScaling !== false,
    fallbackProviders: settings.fallbackProviders.filter((id) => providers.has(id)),
    rules: { ...settings.rules },
    profiles: new Map(settings.profiles.map((p) => [p.name, structuredClone(p)])),
  });
}
