/**
 * One `openai` SDK client per (provider, key, base URL, limits), created once and reused, over
 * one keep-alive connection pool per connect timeout. The SDK retries failures before the first
 * byte (429, 5xx, connection errors) with backoff and honours `retry-after`; it never retries a
 * stream that has begun, which is what we want.
 */
import OpenAI from 'openai';
import { Agent } from 'undici';
import { sdkLogger } from '../redact';
import type { ProviderRuntime, ProxySnapshot } from '../snapshot';
import { sdkConnection } from './sdkConnection';
import { countingFetch } from './upstreamAttempts';
import { createUpstreamFetch, dispatcherFetch } from './upstreamFetch';

const MAX_CLIENTS = 64;

export class OpenAiClients {
  private readonly clients = new Map<string, OpenAI>();
  private readonly pools = new Map<number, typeof fetch>();

  /** `baseFetch` replaces the pooled fetch entirely (tests that inject faults). */
  constructor(private readonly baseFetch?: typeof fetch) {}

  get(provider: ProviderRuntime, apiKey: string, snapshot: ProxySnapshot): OpenAI {
    const { connectMs, firstByteMs } = snapshot.timeouts;
    const baseURL = provider.settings.baseUrl;
    const cacheKey = `${provider.entry.id}\n${baseURL}\n${apiKey}\n${connectMs}\n${firstByteMs}\n${snapshot.maxRetries}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new OpenAI({
        ...sdkConnection(provider, apiKey),
        maxRetries: snapshot.maxRetries,
        timeout: firstByteMs,
        // The SDK's default console logging would print stream data verbatim (echoed keys).
        logger: sdkLogger([apiKey]),
        logLevel: 'warn',
        // Outermost, so it sees each of the SDK's attempts (retry count, connect timeouts).
        fetch: countingFetch(createUpstreamFetch(this.baseFetch ?? this.pool(connectMs))),
      });
      // Old keys and URLs stop being used after a settings change; keep the map bounded.
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /** A fetch over a keep-alive pool whose connect attempts give up after `connectMs`. */
  private pool(connectMs: number): typeof fetch {
    let pooled = this.pools.get(connectMs);
    if (!pooled) {
      const agent = new Agent({ connect: { timeout: connectMs }, keepAliveTimeout: 30_000 });
      // undici's request API under a thin Response: the WHATWG fetch machinery (Request, web
      // streams, transferable AbortSignals) was ~17 % of the proxy's CPU (see upstreamFetch.ts).
      pooled = dispatcherFetch(agent);
      this.pools.set(connectMs, pooled);
    }
    return pooled;
  }
}
