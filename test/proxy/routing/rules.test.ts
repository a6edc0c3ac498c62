/**
 * Routing rules over real HTTP: each rule sends its requests to its own `provider/model`, and
 * when several fire the documented precedence decides (long context > image > web search >
 * think > background; an explicit provider/model beats them all). The request shapes are those
 * of Claude Code 2.1: adaptive thinking on most requests, extended thinking with a budget when
 * MAX_THINKING_TOKENS is set, haiku for background work, `web_search_20250305` for WebSearch.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completion, startFakeUpstream, type FakeUpstream } from '../../support/fakeUpstream';
import { postJson, startHarness, type Harness } from '../../support/proxyHarness';

let h: Harness;
let openai: FakeUpstream;
let groq: FakeUpstream;
let moonshot: FakeUpstream;

const RULES = {
  background: 'groq/bg-model',
  think: 'moonshot/think-model',
  longContext: 'groq/long-model',
  image: 'moonshot/vision-model',
  webSearch: 'groq/search-model',
  longContextThreshold: 2000,
};

beforeAll(async () => {
  groq = await startFakeUpstream();
  moonshot = await startFakeUpstream();
  h = await startHarness({
    tweak: (s) => {
      s.providers.groq.baseUrl = groq.url;
      s.providers.moonshot.baseUrl = moonshot.url;
      s.rules = { ...RULES };
    },
  });
  openai = h.upstream;
  for (const f of [openai, groq, moonshot]) f.fallback = { kind: 'json', body: completion('ok') };
});
afterAll(async () => {
  await h.close();
  await groq.close();
  await moonshot.close();
});
beforeEach(() => {
  for (const f of [openai, groq, moonshot]) f.received.length = 0;
  h.controller.setActiveProvider('openai');
  h.controller.log.clear();
});

const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 8 };
const long = 'word '.repeat(3000); // ~15,000 characters: ~3,750 estimated tokens > 2000

function body(extra: Record<string, unknown> = {}) {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello' }],
    thinking: { type: 'adaptive' },
    ...extra,
  };
}

/** Where a request went: provider (by which fake received it), upstream model, rule. */
async function routeOf(payload: unknown, path = '/v1/messages') {
  const res = await postJson(h.baseUrl, path, payload);
  expect(res.status).toBe(200);
  await res.json();
  const hit = [
    ['openai', openai],
    ['groq', groq],
    ['moonshot', moonshot],
  ].find(([, f]) => (f as FakeUpstream).received.length > 0) as [string, FakeUpstream];
  const record = h.controller.log.records().at(-1)!;
  expect(res.headers.get('x-turnout-provider')).toBe(hit[0]);
  return { provider: hit[0], model: hit[1].received[0].body.model, rule: record.rule ?? null };
}

describe('each rule', () => {
  it('no rule: Claude Code’s usual request (adaptive thinking, default effort) takes the mapping', async () => {
    expect(await routeOf(body())).toEqual({ provider: 'openai', model: 'gpt-5.1', rule: null });
  });

  it('background: a haiku request', async () => {
    expect(await routeOf(body({ model: 'claude-haiku-4-5-20251001', thinking: undefined }))).toEqual({
      provider: 'groq',
      model: 'bg-model',
      rule: 'background',
    });
  });

  it('think: extended thinking with a budget', async () => {
    expect(await routeOf(body({ thinking: { type: 'enabled', budget_tokens: 31999 } }))).toEqual({
      provider: 'moonshot',
      model: 'think-model',
      rule: 'think',
    });
  });

  it('think: adaptive thinking at effort max', async () => {
    const payload = body({ output_config: { effort: 'max' } });
    expect((await routeOf(payload)).rule).toBe('think');
  });

  it('think does not fire for adaptive thinking at effort high', async () => {
    const payload = body({ output_config: { effort: 'high' } });
    expect((await routeOf(payload)).rule).toBeNull();
  });

  it('long context: estimated input above LONG_CONTEXT_THRESHOLD', async () => {
    const payload = body({ messages: [{ role: 'user', content: long }] });
    expect(await routeOf(payload)).toEqual({ provider: 'groq', model: 'long-model', rule: 'longContext' });
  });

  it('long context: input beyond the default model’s window even under the threshold', async () => {
    h.controller.setRules({ longContextThreshold: 1_000_000 });
    h.controller.setActiveProvider('groq'); // gpt-oss-120b holds 131,072 tokens (catalog)
    try {
      const huge = 'word '.repeat(110_000); // ~137,500 estimated tokens
      const payload = body({ messages: [{ role: 'user', content: huge }] });
      expect((await routeOf(payload)).rule).toBe('longContext');
    } finally {
      h.controller.setRules({ longContextThreshold: RULES.longContextThreshold });
    }
  });

  it('image: the latest user turn holds an image and the default model cannot see', async () => {
    h.controller.setActiveProvider('groq'); // gpt-oss: text only in the catalog
    const payload = body({
      messages: [{ role: 'user', content: [image, { type: 'text', text: 'what is this?' }] }],
    });
    expect(await routeOf(payload)).toEqual({ provider: 'moonshot', model: 'vision-model', rule: 'image' });
  });

  it('image: not taken when the default model sees images', async () => {
    const payload = body({
      messages: [{ role: 'user', content: [image, { type: 'text', text: 'what is this?' }] }],
    });
    expect((await routeOf(payload)).rule).toBeNull(); // gpt-5.1 reads images
  });

  it('image: an image earlier in the conversation does not count', async () => {
    h.controller.setActiveProvider('groq');
    const payload = body({
      messages: [
        { role: 'user', content: [image] },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'thanks' },
      ],
    });
    expect((await routeOf(payload)).rule).toBeNull();
  });

  it('web search: the request carries the web search server tool', async () => {
    const payload = body({ tools: [webSearch] });
    expect(await routeOf(payload)).toEqual({ provider: 'groq', model: 'search-model', rule: 'webSearch' });
  });
});

describe('precedence', () => {
  it('long context beats image, web search, think and background', async () => {
    h.controller.setActiveProvider('groq');
    const payload = body({
      model: 'claude-haiku-4-5',
      thinking: { type: 'enabled', budget_tokens: 10000 },
      tools: [webSearch],
      messages: [{ role: 'user', content: [image, { type: 'text', text: long }] }],
    });
    expect((await routeOf(payload)).rule).toBe('longContext');
  });

  it('image beats web search, think and background', async () => {
    h.controller.setActiveProvider('groq');
    const payload = body({
      model: 'claude-haiku-4-5',
      thinking: { type: 'enabled', budget_tokens: 10000 },
      tools: [webSearch],
      messages: [{ role: 'user', content: [image] }],
    });
    expect((await routeOf(payload)).rule).toBe('image');
  });

  it('web search beats think and background', async () => {
    const payload = body({
      model: 'claude-haiku-4-5',
      thinking: { type: 'enabled', budget_tokens: 10000 },
      tools: [webSearch],
    });
    expect((await routeOf(payload)).rule).toBe('webSearch');
  });

  it('think beats background', async () => {
    const payload = body({ model: 'claude-haiku-4-5', thinking: { type: 'enabled', budget_tokens: 10000 } });
    expect((await routeOf(payload)).rule).toBe('think');
  });

  it('an explicit provider/model from the client beats every rule', async () => {
    const payload = body({
      model: 'openai/gpt-4.1',
      thinking: { type: 'enabled', budget_tokens: 10000 },
      messages: [{ role: 'user', content: long }],
    });
    expect(await routeOf(payload)).toEqual({ provider: 'openai', model: 'gpt-4.1', rule: 'explicit' });
  });

  it('a provider pin (/p/<provider>) applies no rules', async () => {
    const payload = body({ model: 'claude-haiku-4-5', thinking: { type: 'enabled', budget_tokens: 10000 } });
    expect(await routeOf(payload, '/p/openai/v1/messages')).toEqual({
      provider: 'openai',
      model: 'gpt-5-mini',
      rule: null,
    });
  });
});

describe('rule target failing', () => {
  it('falls back to the default mapping when the rule’s provider fails before answering', async () => {
    groq.enqueue({ kind: 'json', status: 503, body: { error: { message: 'overloaded' } } });
    const res = await postJson(h.baseUrl, '/v1/messages', body({ model: 'claude-haiku-4-5' }));
    expect(res.status).toBe(200);
    await res.json();
    expect(openai.received[0].body.model).toBe('gpt-5-mini');
    const record = h.controller.log.records().at(-1)!;
    expect(record.attempts?.map((a) => `${a.provider}/${a.model} ${a.why} ${a.outcome}`)).toEqual([
      'groq/bg-model rule background 503',
      'openai/gpt-5-mini small 200',
    ]);
    h.controller.health.reset('groq');
  });
});
