import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/shared/config';
import { requireKey, resolveRoute } from '../../src/main/proxy/routing';
import { buildSnapshot } from '../../src/main/proxy/snapshot';

function snapshot(active = 'openai', tweak?: (s: ReturnType<typeof defaultSettings>) => void) {
  const settings = defaultSettings();
  settings.activeProvider = active;
  tweak?.(settings);
  return buildSnapshot(settings, (id) => (id === 'groq' ? undefined : `key-for-${id}-0123456789`), {
    accessToken: null,
    keyHelp: 'env',
  });
}

describe('resolveRoute', () => {
  const cases: Array<[string, string, string, string, string]> = [
    // client model, active provider, expected provider, expected model, slot
    ['claude-haiku-4-5-20251001', 'openai', 'openai', 'gpt-5-mini', 'small'],
    ['claude-sonnet-4-5', 'openai', 'openai', 'gpt-5.1', 'big'],
    ['claude-3-5-Sonnet-latest', 'google', 'google', 'gemini-2.5-pro', 'big'],
    ['claude-opus-4-1', 'groq', 'groq', 'openai/gpt-oss-120b', 'opus'],
    ['gpt-4o', 'openai', 'openai', 'gpt-4o', 'unchanged'],
    ['claude-mythos-5', 'openai', 'openai', 'gpt-5.1', 'big'],
    ['claude-opus-4-8', 'moonshot', 'moonshot', 'kimi-k2-0905-preview', 'opus'],
    ['groq/llama-3.3-70b-versatile', 'openai', 'groq', 'llama-3.3-70b-versatile', 'explicit'],
    ['groq/openai/gpt-oss-20b', 'openai', 'groq', 'openai/gpt-oss-20b', 'explicit'],
    ['unknown/model', 'moonshot', 'moonshot', 'unknown/model', 'unchanged'],
    // Anthropic's empty mapping passes Claude names through.
    ['claude-sonnet-4-5', 'anthropic', 'anthropic', 'claude-sonnet-4-5', 'unchanged'],
  ];
  for (const [model, active, provider, upstream, slot] of cases) {
    it(`${model} on ${active} → ${provider}/${upstream} (${slot})`, () => {
      const route = resolveRoute(model, snapshot(active));
      expect([route.provider.entry.id, route.upstreamModel, route.slot]).toEqual([provider, upstream, slot]);
    });
  }

  it('uses the opus slot when set', () => {
    const route = resolveRoute(
      'claude-opus-4-5',
      snapshot('openai', (s) => (s.providers.openai.opusModel = 'o3')),
    );
    expect(route.upstreamModel).toBe('o3');
  });

  it('explains a missing key with the variable to set', () => {
    const route = resolveRoute('claude-sonnet-4-5', snapshot('groq'));
    expect(() => requireKey(route)).toThrow(/GROQ_API_KEY/);
  });
});
