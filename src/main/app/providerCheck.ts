/**
 * The Settings window's Test button: one real, minimal call (a one-token completion) to the
 * provider with its saved URL, key and big model. It reports the round-trip time or the
 * upstream's own error message, with the key redacted.
 */
import OpenAI from 'openai';
import type { ProviderCheckResult } from '../../shared/ipc';
import { modelTraits } from '../../shared/providerCatalog';
import type { ProviderRuntime } from '../proxy/snapshot';
import { sdkConnection } from '../proxy/upstream/sdkConnection';
import { describeUpstreamError, errorBodyCapture, messageFromBody } from './upstreamError';

export interface ProviderCheckOptions {
  timeoutMs?: number;
  now?: () => number;
}

/** The model a test call uses: the big slot, else the small one, else a Claude name for Anthropic. */
export function testModelFor(provider: ProviderRuntime): string {
  const { bigModel, smallModel } = provider.settings;
  if (bigModel) return bigModel;
  if (smallModel) return smallModel;
  return provider.entry.kind === 'anthropic' ? 'claude-haiku-4-5' : '';
}

export async function checkProvider(
  provider: ProviderRuntime,
  options: ProviderCheckOptions = {},
): Promise<ProviderCheckResult> {
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 20_000;
  const model = testModelFor(provider);
  const failed = (error: string, status: number | null = null, latencyMs = 0): ProviderCheckResult => ({
    ok: false,
    latencyMs,
    model,
    error,
    status,
  });
  if (!model) return failed('Set a big or small model first.');
  if (!provider.apiKey && !provider.entry.keyOptional) return failed('Set an API key first.');

  const started = now();
  const capture = errorBodyCapture();
  try {
    if (provider.entry.kind === 'anthropic') {
      await anthropicPing(provider, model, timeoutMs);
    } else {
      await openAiPing(provider, model, timeoutMs, capture.fetch);
    }
    return { ok: true, latencyMs: Math.round(now() - started), model, error: null, status: 200 };
  } catch (error) {
    const { status, message } = describeUpstreamError(error, provider.apiKey, capture.body());
    return failed(message, status, Math.round(now() - started));
  }
}

async function openAiPing(
  provider: ProviderRuntime,
  model: string,
  timeoutMs: number,
  fetchWithCapture: typeof fetch,
): Promise<void> {
  const client = new OpenAI({
    fetch: fetchWithCapture,
    ...sdkConnection(provider, provider.apiKey || 'not-needed'),
    timeout: timeoutMs,
    maxRetries: 0,
  });
  // Reasoning models reject max_tokens and want max_completion_tokens (see the catalog).
  const tokenParam = modelTraits(provider.entry, model).tokenParam;
  await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'ping' }],
    [tokenParam]: 1,
  });
}

async function anthropicPing(provider: ProviderRuntime, model: string, timeoutMs: number): Promise<void> {
  const base = provider.settings.baseUrl.replace(/\/+$/, '');
  const response = await fetch(`${base}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': provider.apiKey ?? '',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({ model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
    signal: AbortSignal.timeout(timeoutMs),
    // A redirect would carry x-api-key to wherever it points (fetch strips only Authorization).
    redirect: 'manual',
  });
  if (!response.ok) {
    const error = new Error(messageFromBody(await response.text()));
    throw Object.assign(error, { status: response.status });
  }
}
