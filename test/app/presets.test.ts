/**
 * Presets: every catalog entry works from its variables alone, `<ID>_BASE_URL` moves it, and
 * the per-model limits it carries keep the first Claude Code request valid.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/main/app/envConfig';
import { validateSettings } from '../../src/shared/config';
import { modelTraits, providerCatalog } from '../../src/shared/providerCatalog';
import { completion, startFakeUpstream, type FakeUpstream } from '../support/fakeUpstream';
import { startHeadless, type HeadlessProcess } from '../support/headlessProcess';
import { startHarness, type Harness } from '../support/proxyHarness';

/**
 * DeepSeek's documented limit for deepseek-chat: "Invalid max_tokens value, the valid range of
 * max_tokens is [1, 8192]" (https://api-docs.deepseek.com/quick_start/pricing; the 400 body as
 * reported in public issues, e.g. BerriAI/litellm and cline/cline threads on Claude Code's 64000).
 */
function deepseekChat(req: IncomingMessage, res: ServerResponse, body: any): void {
  if (body.model === 'deepseek-chat' && body.max_tokens > 8192) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          message: 'Invalid max_tokens value, the valid range of max_tokens is [1, 8192]',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_request_error',
        },
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(completion('hello from deepseek')));
}

// The SDK refuses large non-streaming max_tokens unless the caller sets a timeout.
const LONG = { timeout: 30_000 };

describe('every preset from its variables alone', () => {
  for (const entry of providerCatalog) {
    it(`${entry.id}: PREFERRED_PROVIDER + ${entry.keyEnv}`, () => {
      const config = configFromEnv({ PREFERRED_PROVIDER: entry.id, [entry.keyEnv]: 'k-123456789' });
      expect(config.warnings).toEqual([]);
      expect(config.settings.activeProvider).toBe(entry.id);
      expect(config.keys[entry.id]).toBe('k-123456789');
      expect(validateSettings(config.settings)).toEqual([]);
      const provider = config.settings.providers[entry.id];
      expect(provider.baseUrl).toBe(entry.defaultBaseUrl);
      expect(provider.bigModel).toBe(entry.defaultBigModel);

      const moved = configFromEnv({
        PREFERRED_PROVIDER: entry.id,
        [entry.baseUrlEnv]: 'http://10.1.2.3:9/v1',
      });
      expect(moved.settings.providers[entry.id].baseUrl).toBe('http://10.1.2.3:9/v1');
    });
  }

  it('the base-URL variable is <ID>_BASE_URL for every new preset', () => {
    const legacy = new Set(['google', 'anthropic']);
    for (const entry of providerCatalog.filter((p) => !legacy.has(p.id))) {
      expect(entry.baseUrlEnv).toBe(`${entry.id.toUpperCase().replace(/-/g, '_')}_BASE_URL`);
    }
  });

  it('DashScope keys are read from DASHSCOPE_API_KEY too', () => {
    const config = configFromEnv({ PREFERRED_PROVIDER: 'qwen', DASHSCOPE_API_KEY: 'sk-dash-1' });
    expect(config.keys.qwen).toBe('sk-dash-1');
    expect(config.keys['qwen-cn']).toBe('sk-dash-1');
  });

  it('per-model rules from <PREFIX>_MODEL_RULES override the preset field by field', () => {
    const config = configFromEnv({
      PREFERRED_PROVIDER: 'deepseek',
      DEEPSEEK_MODEL_RULES: JSON.stringify([{ match: '^deepseek-chat$', maxOutputTokens: 4096 }]),
      MISTRAL_MODEL_RULES: '[{"match": "x", "maxOutputTokens": -1}, {"nope": 1}]',
      ZAI_MODEL_RULES: 'not json',
    });
    const rules = config.settings.providers.deepseek.modelRules!;
    const deepseek = providerCatalog.find((p) => p.id === 'deepseek')!;
    const traits = modelTraits(deepseek, 'deepseek-chat', rules);
    expect(traits.maxOutputTokens).toBe(4096);
    // Not set by the user rule: still the preset's.
    expect(traits.contextWindow).toBe(128_000);
    expect(config.settings.providers.mistral.modelRules).toBeUndefined();
    expect(config.warnings).toHaveLength(3);
  });
});

describe('DeepSeek from the first request', () => {
  let headless: HeadlessProcess | undefined;
  let harness: Harness | undefined;
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await headless?.stop();
    await harness?.close();
    await upstream?.close();
    headless = harness = upstream = undefined;
  });

  it('headless: PREFERRED_PROVIDER=deepseek and DEEPSEEK_API_KEY are enough', async () => {
    upstream = await startFakeUpstream();
    upstream.fallback = { kind: 'custom', handle: deepseekChat };
    headless = startHeadless({
      PREFERRED_PROVIDER: 'deepseek',
      DEEPSEEK_API_KEY: 'sk-deepseek-test-0123456789',
      DEEPSEEK_BASE_URL: upstream.url,
      PORT: '0',
    });
    const client = new Anthropic({ baseURL: await headless.ready, apiKey: 'any', maxRetries: 0 });
    // Claude Code's first request: a sonnet name and max_tokens 64000.
    const answer = await client.messages.create(
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 64000,
        messages: [{ role: 'user', content: 'hi' }],
      },
      LONG,
    );
    expect(answer.content).toEqual([{ type: 'text', text: 'hello from deepseek' }]);
    const sent = upstream.received[0];
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-deepseek-test-0123456789');
    expect(sent.body.model).toBe('deepseek-v4-pro');
    expect(sent.body.max_tokens).toBe(64000);
  });

  it('deepseek-chat: 64000 is clamped to 8192 and the clamp is noted in the request log', async () => {
    harness = await startHarness({
      provider: 'deepseek',
      keys: { deepseek: 'sk-deepseek-test-0123456789' },
      tweak: (s) => (s.providers.deepseek.bigModel = 'deepseek-chat'),
    });
    harness.upstream.fallback = { kind: 'custom', handle: deepseekChat };
    const client = new Anthropic({ baseURL: harness.baseUrl, apiKey: 'any', maxRetries: 0 });
    const answer = await client.messages.create(
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 64000,
        messages: [{ role: 'user', content: 'hi' }],
      },
      LONG,
    );
    expect(answer.content[0]).toMatchObject({ text: 'hello from deepseek' });
    expect(harness.upstream.received[0].body.max_tokens).toBe(8192);
    expect(harness.controller.log.records().at(-1)!.notes).toContain('clamped max_tokens 64000→8192');
  });

  it('a user rule in Settings lowers the limit further', async () => {
    harness = await startHarness({
      provider: 'deepseek',
      keys: { deepseek: 'sk-deepseek-test-0123456789' },
      tweak: (s) => {
        s.providers.deepseek.bigModel = 'deepseek-chat';
        s.providers.deepseek.modelRules = [{ match: 'chat', maxOutputTokens: 1000 }];
      },
    });
    harness.upstream.fallback = { kind: 'custom', handle: deepseekChat };
    const client = new Anthropic({ baseURL: harness.baseUrl, apiKey: 'any', maxRetries: 0 });
    await client.messages.create(
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 64000,
        messages: [{ role: 'user', content: 'hi' }],
      },
      LONG,
    );
    expect(harness.upstream.received[0].body.max_tokens).toBe(1000);
  });
});

describe('Azure OpenAI', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('sends the key as api-key (no Authorization) and api-version on the deployment URL', async () => {
    // https://learn.microsoft.com/azure/ai-services/openai/reference: POST
    // {endpoint}/openai/deployments/{deployment-id}/chat/completions?api-version=…, header api-key.
    harness = await startHarness({ provider: 'azure', keys: { azure: 'azure-key-0123456789abcdef' } });
    const base = harness.controller.getSettings().providers.azure.baseUrl;
    harness.controller.updateProvider('azure', { baseUrl: `${base}/openai/deployments/gpt51` });
    const client = new Anthropic({ baseURL: harness.baseUrl, apiKey: 'any', maxRetries: 0 });
    await client.messages.create(
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      },
      LONG,
    );
    const sent = harness.upstream.received[0];
    expect(sent.url).toMatch(/\/openai\/deployments\/gpt51\/chat\/completions\?api-version=2024-10-21$/);
    expect(sent.headers['api-key']).toBe('azure-key-0123456789abcdef');
    expect(sent.headers.authorization).toBeUndefined();

    // Another api-version goes in the URL itself (AZURE_BASE_URL=…?api-version=…).
    harness.controller.updateProvider('azure', {
      baseUrl: `${base}/openai/deployments/gpt51?api-version=2025-04-01-preview`,
    });
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(harness.upstream.received[1].url).toMatch(
      /\/openai\/deployments\/gpt51\/chat\/completions\?api-version=2025-04-01-preview$/,
    );
  });
});

describe('Anthropic-compatible presets', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const anthropicMessage = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'deepseek-chat',
    content: [{ type: 'text', text: 'hi from /anthropic' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 3, output_tokens: 4 },
  };

  it('DeepSeek /anthropic: passed through with the mapping on model, x-api-key, and the limit clamped', async () => {
    // https://api-docs.deepseek.com/guides/anthropic_api: base https://api.deepseek.com/anthropic,
    // x-api-key supported, "model: Use DeepSeek Model Instead".
    harness = await startHarness({
      provider: 'deepseek-anthropic',
      keys: { 'deepseek-anthropic': 'sk-deepseek-test-0123456789' },
      tweak: (s) => {
        const origin = new URL(s.providers.openai.baseUrl).origin;
        s.providers['deepseek-anthropic'].baseUrl = `${origin}/anthropic`;
        s.providers['deepseek-anthropic'].bigModel = 'deepseek-chat';
      },
    });
    harness.upstream.enqueue({ kind: 'json', body: anthropicMessage });
    const client = new Anthropic({ baseURL: harness.baseUrl, apiKey: 'any', maxRetries: 0 });
    const answer = await client.messages.create(
      { model: 'claude-sonnet-4-5', max_tokens: 64000, messages: [{ role: 'user', content: 'hi' }] },
      LONG,
    );
    expect(answer.content).toEqual([{ type: 'text', text: 'hi from /anthropic' }]);
    const sent = harness.upstream.received[0];
    expect(sent.url).toBe('/anthropic/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-deepseek-test-0123456789');
    expect(sent.body).toMatchObject({ model: 'deepseek-chat', max_tokens: 8192 });
    expect(harness.controller.log.records().at(-1)!.notes).toContain('clamped max_tokens 64000→8192');
  });

  it('Kimi /anthropic: the key as a Bearer token, as Moonshot documents for Claude Code', async () => {
    harness = await startHarness({
      provider: 'moonshot-anthropic',
      keys: { 'moonshot-anthropic': 'sk-moonshot-test-0123456789' },
      tweak: (s) => {
        const origin = new URL(s.providers.openai.baseUrl).origin;
        s.providers['moonshot-anthropic'].baseUrl = `${origin}/anthropic`;
      },
    });
    harness.upstream.enqueue({ kind: 'json', body: anthropicMessage });
    const client = new Anthropic({ baseURL: harness.baseUrl, apiKey: 'any', maxRetries: 0 });
    await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const sent = harness.upstream.received[0];
    expect(sent.headers.authorization).toBe('Bearer sk-moonshot-test-0123456789');
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.body.model).toBe('kimi-k2-turbo-preview');
  });

  it('the provider key variable also feeds its Anthropic endpoint', () => {
    const config = configFromEnv({ PREFERRED_PROVIDER: 'deepseek-anthropic', DEEPSEEK_API_KEY: 'sk-1' });
    expect(config.keys['deepseek-anthropic']).toBe('sk-1');
    expect(config.settings.activeProvider).toBe('deepseek-anthropic');
  });
});
