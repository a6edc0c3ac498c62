/**
 * Model mapping: which upstream model serves a client's model name on a given provider.
 *  - `provider/model` goes to that provider directly;
 *  - names containing haiku / sonnet / opus go to the provider's small / big / opus slot
 *    (opus falls back to big); any other Claude name (a family this table does not know yet)
 *    goes to the big slot, since no other backend can serve a Claude name;
 *  - anything else goes to the provider unchanged.
 * An empty slot means "pass the client's name through" (Anthropic's default mapping).
 */
import type { ProviderSettings } from '../../../shared/config';
import { ProxyError } from '../errors';
import type { ProviderRuntime, ProxySnapshot } from '../snapshot';

export type RouteSlot = 'big' | 'small' | 'opus' | 'explicit' | 'unchanged';

export interface Route {
  provider: ProviderRuntime;
  upstreamModel: string;
  slot: RouteSlot;
}

export type ModelSlots = Pick<ProviderSettings, 'bigModel' | 'smallModel' | 'opusModel'>;

export function slotFor(clientModel: string): 'big' | 'small' | 'opus' | null {
  const name = clientModel.toLowerCase();
  if (name.includes('haiku')) return 'small';
  if (name.includes('sonnet')) return 'big';
  if (name.includes('opus')) return 'opus';
  if (name.startsWith('claude')) return 'big';
  return null;
}

/** `provider/model` naming a configured provider, or null. */
export function explicitRoute(clientModel: string, snapshot: ProxySnapshot): Route | null {
  const slash = clientModel.indexOf('/');
  if (slash <= 0) return null;
  const provider = snapshot.providers.get(clientModel.slice(0, slash));
  return provider ? { provider, upstreamModel: clientModel.slice(slash + 1), slot: 'explicit' } : null;
}

/**
 * The client's model on `provider`, through `slots` (a profile's own mapping) where they are
 * set and the provider's own slots otherwise.
 */
export function mapModel(clientModel: string, provider: ProviderRuntime, slots?: Partial<ModelSlots>): Route {
  const slot = slotFor(clientModel);
  const pick = (key: keyof ModelSlots) => slots?.[key] || provider.settings[key];
  const mapped =
    slot === 'small'
      ? pick('smallModel')
      : slot === 'big'
        ? pick('bigModel')
        : slot === 'opus'
          ? pick('opusModel') || pick('bigModel')
          : '';
  if (slot && mapped) return { provider, upstreamModel: mapped, slot };
  return { provider, upstreamModel: clientModel, slot: 'unchanged' };
}

export function resolveRoute(clientModel: string, snapshot: ProxySnapshot): Route {
  const explicit = explicitRoute(clientModel, snapshot);
  if (explicit) return explicit;
  const provider = snapshot.providers.get(snapshot.activeProvider);
  if (!provider) {
    throw new ProxyError(500, 'api_error', `Active provider "${snapshot.activeProvider}" is not configured.`);
  }
  return mapModel(clientModel, provider);
}

/** The key for a route, or the 401 that tells the user exactly where to set it. */
export function requireKey(route: Pick<Route, 'provider'>): string {
  const { apiKey, entry, keyHelp } = route.provider;
  if (apiKey) return apiKey;
  // Local servers (Ollama, LM Studio) take any key; the SDK insists on a non-empty one.
  if (entry.keyOptional) return 'not-needed';
  throw new ProxyError(401, 'authentication_error', `No API key for ${entry.label}: ${keyHelp}.`);
}
