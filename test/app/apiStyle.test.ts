/**
 * The per-provider API dialect setting (`apiStyle`: auto | chat | responses) as headless mode,
 * the settings file and the controller read it.
 */
import { describe, expect, it } from 'vitest';
import { configFromEnv, ENV_VARIABLES } from '../../src/main/app/envConfig';
import { formatLogLine } from '../../src/main/app/logLines';
import { defaultSettings, normalizeSettings } from '../../src/shared/config';

describe('apiStyle', () => {
  it('is read from <PREFIX>_API_STYLE for built-in and custom providers', () => {
    const config = configFromEnv({
      OPENAI_API_STYLE: 'responses',
      GROQ_API_STYLE: 'CHAT',
      CUSTOM_PROVIDERS: 'azure',
      AZURE_BASE_URL: 'https://example.openai.azure.com/openai/v1',
      AZURE_API_STYLE: 'responses',
    });
    expect(config.settings.providers.openai.apiStyle).toBe('responses');
    expect(config.settings.providers.groq.apiStyle).toBe('chat');
    expect(config.settings.providers.azure.apiStyle).toBe('responses');
    expect(config.settings.providers.google.apiStyle).toBeUndefined();
    expect(config.warnings).toEqual([]);
    expect(ENV_VARIABLES).toContain('OPENAI_API_STYLE');
  });

  it('warns about an unknown value and keeps auto', () => {
    const config = configFromEnv({ OPENAI_API_STYLE: 'completions' });
    expect(config.settings.providers.openai.apiStyle).toBeUndefined();
    expect(config.warnings).toEqual([
      'OPENAI_API_STYLE=completions is not one of auto, chat, responses; using auto.',
    ]);
  });

  it('survives the settings file: valid values kept, invalid and auto dropped', () => {
    const stored = defaultSettings() as unknown as { providers: Record<string, Record<string, unknown>> };
    stored.providers.openai.apiStyle = 'responses';
    stored.providers.groq.apiStyle = 'sideways';
    stored.providers.moonshot.apiStyle = 'auto';
    const { settings } = normalizeSettings(stored);
    expect(settings.providers.openai.apiStyle).toBe('responses');
    expect(settings.providers.groq).not.toHaveProperty('apiStyle');
    expect(settings.providers.moonshot).not.toHaveProperty('apiStyle');
  });

  it('shows in the headless log line when the Responses API served a request', () => {
    const record = {
      id: 'req_1',
      startedAt: Date.UTC(2026, 0, 1),
      method: 'POST',
      path: '/v1/messages',
      clientModel: 'claude-sonnet-4-6',
      provider: 'openai',
      upstreamModel: 'gpt-5.1-codex',
      stream: true,
      status: 200,
      state: 'done' as const,
    };
    expect(formatLogLine({ ...record, api: 'responses' })).toContain(
      'claude-sonnet-4-6 → openai/gpt-5.1-codex (Responses API) stream 200',
    );
    expect(formatLogLine({ ...record, api: 'chat' })).not.toContain('Responses');
  });
});
