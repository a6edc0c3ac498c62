/**
 * Model mapping: which provider and upstream model serve a client's model name.
 *  - `provider/model` goes to that provider directly;
 *  - names containing haiku / sonnet / opus go to the active provider's small / big / opus slot
 *    (opus falls back to big); any other Claude name (a family this table does not know yet)
 *    goes to the big slot, since no other backend can serve a Claude name;
 *  - anything else goes to the active provider unchanged.
 * An empty slot means "pass the client's name through" (Anthropic's default mapping).
 */
import { ProxyError } from './errors';
import type { ProviderRuntime, ProxySnapshot } from './snapshot';

export type RouteSlot = 'big' | 'small' | 'opus' | 'explicit' | 'unchanged';

export interface Route {
  provider: ProviderRuntime;
  upstreamModel: string;
  slot: RouteSlot;
}

export function slotFor(clientModel: string): 'big' | 'small' | 'opus' | null {
  const name = clientModel.toLowerCase();
  if (name.includes('haiku')) return 'small';
  if (name.includes('sonnet')) return 'big';
  if (name.includes('opus')) return 'opus';
  if (name.startsWith('claude')) return 'big';
  return null;
}

export function resolveRoute(clientModel: string, snapshot: ProxySnapshot): Route {
  const slash = clientModel.indexOf('/');
  if (slash > 0) {
    const explicit = snapshot.providers.get(clientModel.slice(0, slash));
    if (explicit)
      return { provider: explicit, upstreamModel: clientModel.slice(slash + 1), slot: 'explicit' };
  }
  const provider = snapshot.providers.get(snapshot.activeProvider);
  if (!provider) {
    throw new ProxyError(500, 'api_error', `Active provider "${snapshot.activeProvider}" is not configured.`);
  }
  const slot = slotFor(clientModel);
  const { bigModel, smallModel, opusModel } = provider.settings;
  const mapped =
    slot === 'small' ? smallModel : slot === 'big' ? bigModel : slot === 'opus' ? opusModel || bigModel : '';
  if (slot && mapped) return { provider, upstreamModel: mapped, slot };
  return { provider, upstreamModel: clientModel, slot: 'unchanged' };
}

/** The key for a route, or the 401 that tells the user exactly where to set it. */
export function requireKey(route: Route): string {
  const { apiKey, entry, keyHelp } = route.provider;
  if (apiKey) return apiKey;
  // Local servers (Ollama, LM Studio) take any key; the SDK insists on a non-empty one.
  if (entry.keyOptional) return 'not-needed';
  throw new ProxyError(401, 'authentication_error', `No API key for ${entry.label}: ${keyHelp}.`);
}
