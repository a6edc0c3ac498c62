/**
 * Routing from the environment (headless): FALLBACK_PROVIDERS, the ROUTE_* rules in
 * claude-code-router's names, LONG_CONTEXT_THRESHOLD, TURNOUT_PROFILES, and the headless log
 * line that says which rule chose the route and how each attempt ended.
 */
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/main/app/envConfig';
import { formatLogLine } from '../../src/main/app/logLines';
import { validateSettings } from '../../src/shared/config';
import { importEnvironment } from '../../src/main/app/envImport';
import { makeController } from '../desktop/fixtures';

describe('routing variables', () => {
  it('reads the fallback chain, every rule and the threshold', () => {
    const config = configFromEnv({
      PREFERRED_PROVIDER: 'openai',
      FALLBACK_PROVIDERS: 'groq, moonshot',
      ROUTE_BACKGROUND: 'groq/llama-3.1-8b-instant',
      ROUTE_THINK: 'openai/o3',
      ROUTE_LONG_CONTEXT: 'google/gemini-2.5-pro',
      LONG_CONTEXT_THRESHOLD: '90000',
      ROUTE_IMAGE: 'google/gemini-2.5-flash',
      ROUTE_WEB_SEARCH: 'openai/gpt-4o-search-preview',
    });
    expect(config.warnings).toEqual([]);
    expect(config.settings.fallbackProviders).toEqual(['groq', 'moonshot']);
    expect(config.settings.rules).toEqual({
      background: 'groq/llama-3.1-8b-instant',
      think: 'openai/o3',
      longContext: 'google/gemini-2.5-pro',
      longContextThreshold: 90000,
      image: 'google/gemini-2.5-flash',
      webSearch: 'openai/gpt-4o-search-preview',
    });
    expect(validateSettings(config.settings)).toEqual([]);
  });

  it('defaults the threshold to 60000 and leaves rules off', () => {
    const { settings } = configFromEnv({});
    expect(settings.rules.longContextThreshold).toBe(60000);
    expect(settings.rules.think).toBe('');
    expect(settings.fallbackProviders).toEqual([]);
  });

  it('warns about unknown providers, malformed rules and a bad threshold, and starts anyway', () => {
    const config = configFromEnv({
      FALLBACK_PROVIDERS: 'groq,nosuch',
      ROUTE_THINK: 'o3',
      ROUTE_IMAGE: 'nosuch/model',
      LONG_CONTEXT_THRESHOLD: 'lots',
    });
    expect(config.settings.fallbackProviders).toEqual(['groq']);
    expect(config.settings.rules.think).toBe('');
    expect(config.settings.rules.image).toBe('');
    expect(config.warnings.join('\n')).toMatch(
      /nosuch.*skipped[\s\S]*ROUTE_THINK=o3[\s\S]*ROUTE_IMAGE[\s\S]*LONG_CONTEXT_THRESHOLD/,
    );
  });

  it('reads named profiles with their own mapping, rules and chain', () => {
    const config = configFromEnv({
      TURNOUT_PROFILES: 'cheap=groq, work=openai',
      TURNOUT_PROFILE_CHEAP_BIG_MODEL: 'llama-3.3-70b-versatile',
      TURNOUT_PROFILE_CHEAP_FALLBACK_PROVIDERS: 'moonshot',
      TURNOUT_PROFILE_CHEAP_ROUTE_THINK: 'openai/o3',
    });
    expect(config.warnings).toEqual([]);
    expect(config.settings.profiles).toHaveLength(2);
    expect(config.settings.profiles[0]).toMatchObject({
      name: 'cheap',
      provider: 'groq',
      bigModel: 'llama-3.3-70b-versatile',
      fallbackProviders: ['moonshot'],
      rules: { think: 'openai/o3', background: '' },
    });
    expect(validateSettings(config.settings)).toEqual([]);
  });

  it('refuses a profile named like a provider (its /p/ URL is taken)', () => {
    const config = configFromEnv({ TURNOUT_PROFILES: 'groq=openai' });
    expect(config.settings.profiles).toEqual([]);
    expect(config.warnings[0]).toMatch(/TURNOUT_PROFILES/);
  });

  it('marks a custom provider as search-capable', () => {
    const config = configFromEnv({
      CUSTOM_PROVIDERS: 'relay',
      RELAY_BASE_URL: 'http://127.0.0.1:9999/v1',
      RELAY_WEB_SEARCH: 'openrouter-plugin',
    });
    expect(config.settings.customProviders).toEqual([
      { id: 'relay', label: 'relay', webSearch: 'openrouter-plugin' },
    ]);
  });
});

describe('desktop import of routing variables', () => {
  it('applies the chain, the rules that are set and the profiles, leaving the rest', async () => {
    const controller = makeController({
      settings: { rules: { ...configFromEnv({}).settings.rules, image: 'google/gemini-2.5-flash' } },
    });
    const result = await importEnvironment(
      controller,
      { FALLBACK_PROVIDERS: 'groq', ROUTE_THINK: 'openai/o3', TURNOUT_PROFILES: 'cheap=groq' },
      'environment',
    );
    expect(result.applied).toEqual(['FALLBACK_PROVIDERS', 'ROUTE_THINK', 'TURNOUT_PROFILES']);
    const settings = controller.getSettings();
    expect(settings.fallbackProviders).toEqual(['groq']);
    expect(settings.rules).toMatchObject({ think: 'openai/o3', image: 'google/gemini-2.5-flash' });
    expect(settings.profiles.map((p) => p.name)).toEqual(['cheap']);
  });
});

describe('headless log line', () => {
  it('says the rule, the profile and every attempt with its outcome', () => {
    const line = formatLogLine({
      id: 'req_1',
      startedAt: Date.UTC(2026, 0, 1, 12, 0, 0),
      method: 'POST',
      path: '/p/work/v1/messages',
      clientModel: 'claude-sonnet-5',
      provider: 'groq',
      upstreamModel: 'openai/gpt-oss-120b',
      stream: true,
      status: 200,
      state: 'done',
      rule: 'think',
      profile: 'work',
      attempts: [
        { provider: 'openai', model: 'o3', why: 'rule think', outcome: '429' },
        { provider: 'groq', model: 'openai/gpt-oss-120b', why: 'fallback big', outcome: '200' },
      ],
    });
    expect(line).toContain('claude-sonnet-5 → groq/openai/gpt-oss-120b');
    expect(line).toContain('via /p/work');
    expect(line).toContain('rule think');
    expect(line).toContain('[openai 429 → groq 200]');
  });
});
