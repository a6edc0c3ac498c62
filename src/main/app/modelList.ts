/**
 * A provider's own list of models (GET /models), fetched on demand with a short timeout and
 * cached, for the tray's model submenus and the Settings window's suggestions. A failure is a
 * value with the upstream's reason, never an exception.
 */
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import type { ModelListResult } from '../../shared/ipc';
import type { ProviderRuntime, ProxySnapshot } from '../proxy/snapshot';
import { sdkConnection } from '../proxy/upstream/sdkConnection';
import { describeUpstreamError, errorBodyCapture, messageFromBody } from './upstreamError';

export type ModelFetcher = (provider: ProviderRuntime, timeoutMs: number) => Promise<string[]>;

/** A failure with the provider's own explanation already extracted. */
class ModelListError extends Error {}

export interface ModelListOptions {
  getSnapshot: () => ProxySnapshot;
  fetcher?: ModelFetcher;
  ttlMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

interface CacheEntry {
  fingerprint: string;
  result: ModelListResult;
}

/** Lists through the openai SDK (OpenAI-compatible servers) or Anthropic's /v1/models. */
export const fetchProviderModels: ModelFetcher = async (provider, timeoutMs) => {
  const { entry, settings, apiKey } = provider;
  if (entry.kind === 'anthropic') {
    const base = settings.baseUrl.replace(/\/+$/, '');
    const response = await fetch(`${base}/v1/models?limit=1000`, {
      headers: { 'x-api-key': apiKey ?? '', 'anthropic-version': '2023-06-01' },
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect would carry x-api-key to wherever it points (fetch strips only Authorization).
      redirect: 'manual',
    });
    const text = await response.text();
    if (!response.ok) throw new ModelListError(`${response.status} ${messageFromBody(text)}`);
    return ((JSON.parse(text) as { data?: { id: string }[] }).data ?? []).map((m) => m.id);
  }
  const capture = errorBodyCapture();
  const client = new OpenAI({
    ...sdkConnection(provider, apiKey || 'not-needed'),
    timeout: timeoutMs,
    maxRetries: 0,
    fetch: capture.fetch,
  });
  let page;
  try {
    page = await client.models.list();
  } catch (error) {
    const { status, message } = describeUpstreamError(error, apiKey, capture.body());
    throw new ModelListError(status ? `${status} ${message}` : message);
  }
  // Gemini's compatibility layer names models "models/gemini-…"; chat calls take the bare id.
  return page.data.map((m) => m.id.replace(/^models\//, ''));
};

export class ModelListCache {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<ModelListResult>>();
  private readonly fetcher: ModelFetcher;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ModelListOptions) {
    this.fetcher = options.fetcher ?? fetchProviderModels;
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 8_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached list if it is still valid for the provider's current URL and key. */
  peek(providerId: string): ModelListResult | undefined {
    const provider = this.options.getSnapshot().providers.get(providerId);
    const cached = this.cache.get(providerId);
    if (!provider || !cached || cached.fingerprint !== fingerprint(provider)) return undefined;
    return cached.result;
  }

  async get(providerId: string, refresh = false): Promise<ModelListResult> {
    const provider = this.options.getSnapshot().providers.get(providerId);
    if (!provider)
      return { providerId, models: [], error: `Unknown provider "${providerId}".`, fetchedAt: null };
    const print = fingerprint(provider);
    if (!provider.apiKey && !provider.entry.keyOptional) {
      // Cached too, so the tray shows the reason instead of "Loading…"; a new key changes the print.
      const result = { providerId, models: [], error: 'Set an API key to list models.', fetchedAt: null };
      this.cache.set(providerId, { fingerprint: print, result });
      return result;
    }
    const cached = this.cache.get(providerId);
    const fresh =
      cached && cached.fingerprint === print && this.now() - (cached.result.fetchedAt ?? 0) < this.ttlMs;
    if (fresh && !refresh && !cached.result.error) return cached.result;
    const key = `${providerId}\n${print}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const request = this.fetch(provider, print).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  private async fetch(provider: ProviderRuntime, print: string): Promise<ModelListResult> {
    const providerId = provider.entry.id;
    let result: ModelListResult;
    try {
      const models = [...new Set(await this.fetcher(provider, this.timeoutMs))].sort();
      result = { providerId, models, error: null, fetchedAt: this.now() };
    } catch (error) {
      const { status, message } = describeUpstreamError(error, provider.apiKey);
      const text = error instanceof ModelListError || !status ? message : `${status} ${message}`;
      result = { providerId, models: [], error: text, fetchedAt: this.now() };
    }
    this.cache.set(providerId, { fingerprint: print, result });
    return result;
  }
}

/** Identifies the URL and key a list was fetched with, without keeping the key. */
function fingerprint(provider: ProviderRuntime): string {
  const keyHash = createHash('sha256')
    .update(provider.apiKey ?? '')
    .digest('hex')
    .slice(0, 16);
  return `${provider.settings.baseUrl}|${keyHash}`;
}
