import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/shared/config';
import { providersInUse } from '../../src/shared/providersInUse';

describe('providersInUse', () => {
  it('is the active provider alone by default', () => {
    expect([...providersInUse(defaultSettings())]).toEqual(['openai']);
  });

  it('adds the fallback chain, each rule, and each profile with its own rules and chain', () => {
    const settings = defaultSettings();
    settings.fallbackProviders = ['groq'];
    settings.rules.think = 'deepseek/deepseek-v4-pro';
    settings.profiles = [
      {
        name: 'cheap',
        provider: 'moonshot',
        bigModel: '',
        smallModel: '',
        opusModel: '',
        rules: { ...settings.rules, think: '', background: 'ollama/qwen3-coder:30b' },
        fallbackProviders: ['openrouter'],
      },
    ];
    expect([...providersInUse(settings)].sort()).toEqual(
      ['deepseek', 'groq', 'moonshot', 'ollama', 'openai', 'openrouter'].sort(),
    );
  });
});
