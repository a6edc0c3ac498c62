/**
 * Per-terminal providers over real HTTP: `ANTHROPIC_BASE_URL=http://127.0.0.1:8082/p/<name>`
 * (Claude Code appends /v1/messages, /v1/messages/count_tokens and /v1/models) pins a
 * terminal to a provider or a named profile, whatever the tray's active provider.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { completion, startFakeUpstream, type FakeUpstream } from '../../support/fakeUpstream';
import { postJson, startHarness, type Harness } from '../../support/proxyHarness';

let h: Harness;
let openai: FakeUpstream;
let groq: FakeUpstream;
let moonshot: FakeUpstream;
const TOKEN = 'local-access-token-0123456789abcdef';

beforeAll(async () => {
  groq = await startFakeUpstream();
  moonshot = await startFakeUpstream();
  h = await startHarness({
    accessToken: TOKEN,
    tweak: (s) => {
      s.requireAccessToken = true;
      s.providers.groq.baseUrl = groq.url;
      s.providers.moonshot.baseUrl = moonshot.url;
      s.profiles = [
        {
          name: 'cheap',
          provider: 'moonshot',
          bigModel: 'kimi-cheap-big',
          smallModel: '',
          opusModel: '',
          rules: {
            background: 'groq/profile-bg',
            think: '',
            longContext: '',
            image: '',
            webSearch: '',
            longContextThreshold: 60000,
          },
          fallbackProviders: ['groq'],
        },
      ];
    },
  });
  openai = h.upstream;
  openai.fallback = { kind: 'json', body: completion('from openai') };
  groq.fallback = { kind: 'json', body: completion('from groq') };
  moonshot.fallback = { kind: 'json', body: completion('from moonshot') };
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

const auth = { 'x-api-key': TOKEN };
const body = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});
const client = (pin: string) =>
  new Anthropic({ apiKey: TOKEN, baseURL: `${h.baseUrl}${pin}`, maxRetries: 0 });

describe('/p/<provider>', () => {
  it('two terminals on different pins use different providers at the same time, while the tray switches', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    groq.enqueue({
      kind: 'custom',
      handle: async (_req, res) => {
        await gate;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(completion('slow groq')));
      },
    });
    const onGroq = client('/p/groq').messages.create(body() as Anthropic.MessageCreateParamsNonStreaming);
    await new Promise((r) => setTimeout(r, 100));
    // The tray switches while the pinned request is in flight and before the next ones.
    h.controller.setActiveProvider('google');
    const onMoonshot = await client('/p/moonshot').messages.create(
      body() as Anthropic.MessageCreateParamsNonStreaming,
    );
    release();
    expect((onMoonshot.content[0] as Anthropic.TextBlock).text).toBe('from moonshot');
    expect(((await onGroq).content[0] as Anthropic.TextBlock).text).toBe('slow groq');
    expect(groq.received[0].body.model).toBe('openai/gpt-oss-120b');
    expect(moonshot.received[0].body.model).toBe('kimi-k2-0905-preview');
    expect(openai.received).toHaveLength(0);
    const profiles = h.controller.log.records().map((r) => r.profile);
    expect(profiles.sort()).toEqual(['groq', 'moonshot']);
  });

  it('streams through the pin and names what answered in the headers', async () => {
    groq.enqueue({
      kind: 'sse',
      events: [
        {
          id: 'c',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'm',
          choices: [{ index: 0, delta: { content: 'streamed' }, finish_reason: null }],
        },
        {
          id: 'c',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'm',
          choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        },
      ],
    });
    const res = await postJson(h.baseUrl, '/p/groq/v1/messages', body({ stream: true }), auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-turnout-provider')).toBe('groq');
    expect(res.headers.get('x-turnout-model')).toBe('openai/gpt-oss-120b');
    expect(await res.text()).toContain('streamed');
  });

  it('count_tokens and models work under the pin; models show the pin’s mapping', async () => {
    const count = await postJson(h.baseUrl, '/p/groq/v1/messages/count_tokens', body(), auth);
    expect((await count.json()).input_tokens).toBeGreaterThan(0);
    const models = await (await fetch(`${h.baseUrl}/p/groq/v1/models`, { headers: auth })).json();
    const sonnet = models.data.find((m: { id: string }) => m.id === 'claude-sonnet-5');
    expect(sonnet.display_name).toContain('Groq openai/gpt-oss-120b');
    const one = await fetch(`${h.baseUrl}/p/groq/v1/models/claude-sonnet-5`, { headers: auth });
    expect(one.status).toBe(200);
    expect((await one.json()).display_name).toContain('Groq openai/gpt-oss-120b');
  });

  it('answers the start-up probe (HEAD) under the pin', async () => {
    expect((await fetch(`${h.baseUrl}/p/groq`, { method: 'HEAD' })).status).toBe(200);
  });

  it('an unknown name is a 404 in Anthropic’s shape naming the known ones', async () => {
    for (const path of ['/p/nope/v1/messages', '/p/nope/v1/messages/count_tokens']) {
      const res = await postJson(h.baseUrl, path, body(), auth);
      expect(res.status).toBe(404);
      const error = await res.json();
      expect(error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
      expect(error.error.message).toContain('"nope"');
      expect(error.error.message).toMatch(/openai.*groq.*cheap/);
    }
    expect((await fetch(`${h.baseUrl}/p/nope/v1/models`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/p/nope/v1/models/claude-sonnet-5`, { headers: auth })).status).toBe(
      404,
    );
  });

  it('the same token guard applies under the pin', async () => {
    const res = await postJson(h.baseUrl, '/p/groq/v1/messages', body());
    expect(res.status).toBe(401);
    expect(groq.received).toHaveLength(0);
    const page = await postJson(h.baseUrl, '/p/groq/v1/messages', body(), {
      ...auth,
      origin: 'https://evil.example',
    });
    expect(page.status).toBe(403);
  });
});

describe('/p/<profile>', () => {
  it('uses the profile’s provider and its own mapping', async () => {
    const res = await postJson(h.baseUrl, '/p/cheap/v1/messages', body(), auth);
    expect(res.status).toBe(200);
    await res.json();
    expect(moonshot.received[0].body.model).toBe('kimi-cheap-big');
    expect(h.controller.log.records().at(-1)).toMatchObject({ profile: 'cheap', provider: 'moonshot' });
  });

  it('applies the profile’s rules, not the global ones', async () => {
    const res = await postJson(h.baseUrl, '/p/cheap/v1/messages', body({ model: 'claude-haiku-4-5' }), auth);
    await res.json();
    expect(groq.received[0].body.model).toBe('profile-bg');
    expect(h.controller.log.records().at(-1)).toMatchObject({ rule: 'background', profile: 'cheap' });
  });

  it('fails over along the profile’s own chain', async () => {
    moonshot.enqueue({ kind: 'json', status: 503, body: { error: { message: 'overloaded' } } });
    const res = await postJson(h.baseUrl, '/p/cheap/v1/messages', body(), auth);
    expect(res.status).toBe(200);
    await res.json();
    expect(groq.received[0].body.model).toBe('openai/gpt-oss-120b');
    expect(openai.received).toHaveLength(0);
    h.controller.health.reset('moonshot');
  });
});
