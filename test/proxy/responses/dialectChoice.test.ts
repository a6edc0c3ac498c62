/**
 * Which upstream dialect serves a request: the provider's apiStyle, then the catalog's per-model
 * `api` rule, the models switched by an upstream's 404, and web search. Expected values follow
 * the rules written in the README ("Two OpenAI dialects").
 */
import { describe, expect, it } from 'vitest';
import { ApiMemory, dialectFor } from '../../../src/main/proxy/dialects';
import type { Route } from '../../../src/main/proxy/routing';
import type { ApiStyle } from '../../../src/shared/config';
import {
  builtinProvider,
  customProviderEntry,
  modelTraits,
  type ProviderCatalogEntry,
} from '../../../src/shared/providerCatalog';

function route(
  entry: ProviderCatalogEntry,
  model: string,
  baseUrl = entry.defaultBaseUrl,
  apiStyle?: ApiStyle,
): Route {
  return {
    provider: {
      entry,
      settings: { baseUrl, bigModel: '', smallModel: '', opusModel: '', ...(apiStyle ? { apiStyle } : {}) },
      apiKey: 'k',
      keyHelp: '',
    },
    upstreamModel: model,
    slot: 'explicit',
  };
}

const openai = builtinProvider('openai')!;
const groq = builtinProvider('groq')!;
const router = customProviderEntry({ id: 'router', baseUrl: 'https://router.example/v1' });
const entries = { openai, groq, router };
const choose = (r: Route, memory = new ApiMemory(), webSearch = false) =>
  dialectFor(r, modelTraits(r.provider.entry, r.upstreamModel), memory, { webSearch }).name;

describe('dialect choice', () => {
  it.each([
    // OpenAI at its own endpoint: Responses for codex/-pro and the reasoning models.
    ['openai', 'gpt-5.1-codex', undefined, 'responses'],
    ['openai', 'gpt-5.1-codex-max', undefined, 'responses'],
    ['openai', 'gpt-5-pro', undefined, 'responses'],
    ['openai', 'o3-pro', undefined, 'responses'],
    ['openai', 'gpt-5.1', undefined, 'responses'],
    ['openai', 'o4-mini', undefined, 'responses'],
    ['openai', 'gpt-4.1', undefined, 'chat'],
    ['openai', 'gpt-4o', undefined, 'chat'],
    // Another base URL (a proxy, a local server): only the Responses-only models go there.
    ['openai', 'gpt-5.1', 'http://127.0.0.1:9/v1', 'chat'],
    ['openai', 'gpt-5.1-codex', 'http://127.0.0.1:9/v1', 'responses'],
    ['router', 'openai/gpt-5.1', undefined, 'chat'],
    ['router', 'openai/gpt-5.1-codex', undefined, 'responses'],
    ['groq', 'openai/gpt-oss-120b', undefined, 'chat'],
  ] as const)('%s %s at %s → %s', (entry, model, baseUrl, expected) => {
    expect(choose(route(entries[entry], model, baseUrl))).toBe(expected);
  });

  it('the provider setting overrides the catalog both ways', () => {
    expect(choose(route(openai, 'gpt-5.1-codex', undefined, 'chat'))).toBe('chat');
    expect(choose(route(groq, 'llama-3.3-70b-versatile', undefined, 'responses'))).toBe('responses');
    expect(choose(route(openai, 'gpt-4.1', undefined, 'auto'))).toBe('chat');
  });

  it('a model switched by a 404 uses Responses from then on, for that provider only', () => {
    const memory = new ApiMemory();
    const unknown = route(router, 'vendor/new-codex');
    expect(choose(unknown, memory)).toBe('chat');
    memory.switchToResponses(unknown);
    expect(choose(unknown, memory)).toBe('responses');
    expect(choose(route(groq, 'vendor/new-codex'), memory)).toBe('chat');
    // An explicit chat setting still wins.
    expect(choose(route(router, 'vendor/new-codex', undefined, 'chat'), memory)).toBe('chat');
  });

  it('a request with the web_search server tool goes to OpenAI’s own Responses endpoint', () => {
    expect(choose(route(openai, 'gpt-4.1'), new ApiMemory(), true)).toBe('responses');
    expect(choose(route(openai, 'gpt-4.1', 'http://127.0.0.1:9/v1'), new ApiMemory(), true)).toBe('chat');
    expect(choose(route(groq, 'openai/gpt-oss-120b'), new ApiMemory(), true)).toBe('chat');
  });
});
