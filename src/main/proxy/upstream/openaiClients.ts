/**
 * One `openai` SDK client per (provider, key, base URL, limits), created once and reused so
 * connections stay alive across requests. The SDK retries failures before the first byte (429,
 * 5xx, connection errors) with backoff and honours `retry-after`; it never retries a stream
 * that has begun, which is what we want.
 */
import OpenAI from 'openai';
import type { ProviderRuntime, ProxySnapshot } from '../snapshot';
import { createUpstreamFetch } from './upstreamFetch';

const MAX_CLIENTS = 64;

export class OpenAiClients {
  private readonly clients = new Map<string, OpenAI>();

  private readonly fetchImpl: typeof fetch;

  constructor(baseFetch?: typeof fetch) {
    this.fetchImpl = createUpstreamFetch(baseFetch);
  }

  get(provider: ProviderRuntime, apiKey: string, snapshot: ProxySnapshot): OpenAI {
    const baseURL = provider.settings.baseUrl;
    const cacheKey = `${provider.entry.id}\n${baseURL}\n${apiKey}\n${snapshot.timeouts.firstByteMs}\n${snapshot.maxRetries}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new OpenAI({
        apiKey,
        baseURL,
        maxRetries: snapshot.maxRetries,
        timeout: snapshot.timeouts.firstByteMs,
        fetch: this.fetchImpl,
      });
      // Old keys and URLs stop being used after a settings change; keep the map bounded.
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      this.clients.set(cacheKey, client);
    }
    return client;
  }
}
