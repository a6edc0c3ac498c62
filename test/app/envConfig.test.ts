import { describe, expect, it } from 'vitest';
import { configFromEnv, parseDotenv } from '../../src/main/app/envConfig';

describe('configFromEnv (claude-code-proxy variable names)', () => {
  it('reads a Python claude-code-proxy .env unchanged', () => {
    const env = parseDotenv(
      [
        'OPENAI_API_KEY="sk-abc123"',
        'GEMINI_API_KEY=AIza-xyz',
        'PREFERRED_PROVIDER=google',
        'BIG_MODEL=gemini-2.5-pro',
        'SMALL_MODEL=gemini-2.5-flash',
        '# a comment',
      ].join('\n'),
    );
    const config = configFromEnv(env);
    expect(config.settings.activeProvider).toBe('google');
    expect(config.settings.providers.google).toMatchObject({
      bigModel: 'gemini-2.5-pro',
      smallModel: 'gemini-2.5-flash',
    });
    expect(config.keys).toEqual({ openai: 'sk-abc123', google: 'AIza-xyz' });
    expect(config.warnings).toEqual([]);
  });

  it('applies base URL overrides, port, host and per-provider models', () => {
    const config = configFromEnv({
      PORT: '9000',
      HOST: '127.0.0.2',
      OPENAI_BASE_URL: 'http://localhost:1234/v1',
      ANTHROPIC_UPSTREAM_URL: 'https://proxy.example/anthropic',
      GROQ_BIG_MODEL: 'llama-3.3-70b-versatile',
    });
    expect(config.settings.port).toBe(9000);
    expect(config.settings.host).toBe('127.0.0.2');
    expect(config.settings.providers.openai.baseUrl).toBe('http://localhost:1234/v1');
    expect(config.settings.providers.anthropic.baseUrl).toBe('https://proxy.example/anthropic');
    expect(config.settings.providers.groq.bigModel).toBe('llama-3.3-70b-versatile');
  });

  it('declares custom providers; ids that are presets now keep working as presets', () => {
    const config = configFromEnv({
      CUSTOM_PROVIDERS: 'openrouter, ollama,Bad Id,my-vllm,kimi-anthropic',
      OPENROUTER_BASE_URL: 'https://openrouter.ai/api/v1',
      OPENROUTER_API_KEY: 'sk-or-1',
      OPENROUTER_BIG_MODEL: 'anthropic/claude-sonnet-4.5',
      OLLAMA_BASE_URL: 'http://localhost:11434/v1',
      MY_VLLM_BASE_URL: 'http://10.0.0.2:8000/v1',
      KIMI_ANTHROPIC_BASE_URL: 'https://api.moonshot.ai/anthropic',
      KIMI_ANTHROPIC_KIND: 'anthropic',
      PREFERRED_PROVIDER: 'ollama',
      BIG_MODEL: 'qwen3-coder',
    });
    expect(config.settings.customProviders).toEqual([
      { id: 'my-vllm', label: 'my-vllm' },
      { id: 'kimi-anthropic', label: 'kimi-anthropic', kind: 'anthropic' },
    ]);
    expect(config.settings.providers.openrouter).toMatchObject({
      baseUrl: 'https://openrouter.ai/api/v1',
      bigModel: 'anthropic/claude-sonnet-4.5',
    });
    expect(config.keys.openrouter).toBe('sk-or-1');
    expect(config.settings.activeProvider).toBe('ollama');
    expect(config.settings.providers.ollama.bigModel).toBe('qwen3-coder');
    expect(config.warnings.join('\n')).toMatch(/Bad Id/);
  });

  it('warns about bad values instead of refusing to start', () => {
    const config = configFromEnv({ PORT: 'eighty', PREFERRED_PROVIDER: 'nope' });
    expect(config.settings.port).toBe(8082);
    expect(config.settings.activeProvider).toBe('openai');
    expect(config.warnings).toHaveLength(2);
  });
});
