/**
 * How the `openai` SDK reaches one provider: base URL, the query every request carries and the
 * header the key goes in. The proxy's clients, the Settings window's model list and its Test
 * button all build their client from this, so Azure's `api-key` header and `api-version` query
 * apply to all three.
 */
import type { ClientOptions } from 'openai';
import type { ProviderRuntime } from '../snapshot';

type Connection = Pick<ClientOptions, 'apiKey' | 'baseURL' | 'defaultHeaders' | 'defaultQuery'>;

export function sdkConnection(
  provider: Pick<ProviderRuntime, 'entry' | 'settings'>,
  apiKey: string,
): Connection {
  const { url, query } = splitQuery(provider.settings.baseUrl);
  // Query parameters in the configured URL (Azure's `?api-version=…`) win over the catalog's.
  const defaultQuery = { ...provider.entry.defaultQuery, ...query };
  return {
    apiKey,
    baseURL: url,
    // Azure wants the key in `api-key` and no Authorization header (null removes the SDK's).
    ...(provider.entry.keyHeader === 'api-key'
      ? { defaultHeaders: { 'api-key': apiKey, authorization: null } }
      : {}),
    ...(Object.keys(defaultQuery).length > 0 ? { defaultQuery } : {}),
  };
}

/** A base URL without its query string, and that query as parameters for every request. */
function splitQuery(baseUrl: string): { url: string; query: Record<string, string> } {
  const at = baseUrl.indexOf('?');
  if (at === -1) return { url: baseUrl, query: {} };
  return { url: baseUrl.slice(0, at), query: Object.fromEntries(new URLSearchParams(baseUrl.slice(at + 1))) };
}
