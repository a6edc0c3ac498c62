/**
 * Anthropic's web search server tool on backends that search natively, over real HTTP.
 * Fake answers replay the documented shapes:
 * - OpenRouter web plugin: request `plugins: [{ id: "web" }]`; the message carries
 *   `annotations: [{ type: "url_citation", url_citation: { url, title, content, start_index,
 *   end_index } }]` (https://openrouter.ai/docs/features/web-search).
 * - OpenAI search models on chat completions: request `web_search_options: {}`; the message
 *   carries `annotations` of type `url_citation` with { url, title, start_index, end_index }
 *   (OpenAI "Web search" guide, Chat Completions tab).
 * The client side is checked as Claude Code's WebSearch tool reads it: a `server_tool_use` block
 * with the query, a `web_search_tool_result` block listing { title, url }, then the text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { completion, startFakeUpstream, type FakeUpstream } from '../../support/fakeUpstream';
import { checkGrammar, parseEvents, sdkVerdict } from '../../support/anthropicStream';
import { postJson, startHarness, type Harness } from '../../support/proxyHarness';

let h: Harness;
let openai: FakeUpstream;
let router: FakeUpstream;

const ANSWER = 'Node 24 became LTS in October 2025. See the release post.';
const annotated = (withContent: boolean) =>
  completion(ANSWER, {
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: {
          role: 'assistant',
          content: ANSWER,
          annotations: [
            {
              type: 'url_citation',
              url_citation: {
                url: 'https://nodejs.org/en/blog/release/v24.11.0',
                title: 'Node.js 24.11.0 (LTS)',
                start_index: 0,
                end_index: 35,
                ...(withContent ? { content: 'Node.js 24 enters long-term support…' } : {}),
              },
            },
            {
              type: 'url_citation',
              url_citation: {
                url: 'https://github.com/nodejs/release',
                title: 'nodejs/release',
                start_index: 36,
                end_index: 57,
              },
            },
          ],
        },
      },
    ],
  });

beforeAll(async () => {
  router = await startFakeUpstream();
  h = await startHarness({
    tweak: (s) => {
      // A custom provider that fronts OpenRouter (known hosts need no setting; this one is local).
      s.customProviders.push({ id: 'router', label: 'Router', webSearch: 'openrouter-plugin' });
      s.providers.router = {
        baseUrl: router.url,
        bigModel: 'openai/gpt-5.1',
        smallModel: 'openai/gpt-5-mini',
        opusModel: '',
      };
    },
  });
  openai = h.upstream;
});
afterAll(async () => {
  await h.close();
  await router.close();
});
beforeEach(() => {
  openai.received.length = 0;
  router.received.length = 0;
  h.controller.setActiveProvider('openai');
  h.controller.setRules({ webSearch: '' });
  h.controller.log.clear();
});

// What Claude Code's WebSearch tool sends (2.1): its own prompt wording and the server tool.
const searchRequest = (stream: boolean) => ({
  model: 'claude-sonnet-5',
  max_tokens: 4096,
  stream,
  messages: [{ role: 'user', content: 'Perform a web search for the query: node 24 lts date' }],
  tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }],
});

function expectSearchBlocks(content: any[]) {
  expect(content.map((b) => b.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'text']);
  const [use, result, text] = content;
  expect(use).toMatchObject({ name: 'web_search', input: { query: 'node 24 lts date' } });
  expect(use.id).toMatch(/^srvtoolu_[\w-]+$/);
  expect(result.tool_use_id).toBe(use.id);
  expect(result.content.map((r: any) => [r.type, r.title, r.url])).toEqual([
    ['web_search_result', 'Node.js 24.11.0 (LTS)', 'https://nodejs.org/en/blog/release/v24.11.0'],
    ['web_search_result', 'nodejs/release', 'https://github.com/nodejs/release'],
  ]);
  expect(text.text).toBe(ANSWER);
  expect(text.citations.map((c: any) => [c.type, c.url, c.cited_text])).toEqual([
    [
      'web_search_result_location',
      'https://nodejs.org/en/blog/release/v24.11.0',
      'Node 24 became LTS in October 2025.',
    ],
    ['web_search_result_location', 'https://github.com/nodejs/release', 'See the release post.'],
  ]);
}

describe('OpenRouter web plugin (a route rule sends web search there)', () => {
  beforeEach(() => h.controller.setRules({ webSearch: 'router/openai/gpt-5.1:online' }));

  it('non-streaming: plugin on, sources and citations back as Anthropic blocks', async () => {
    router.enqueue({ kind: 'json', body: annotated(true) });
    const res = await postJson(h.baseUrl, '/v1/messages', searchRequest(false));
    expect(res.status).toBe(200);
    const message = await res.json();
    expectSearchBlocks(message.content);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
    const sent = router.received[0].body;
    expect(sent.model).toBe('openai/gpt-5.1:online');
    expect(sent.plugins).toEqual([{ id: 'web', max_results: 8 }]);
    expect(sent.tools).toBeUndefined();
    expect(openai.received).toHaveLength(0);
    expect(h.controller.log.records().at(-1)).toMatchObject({ rule: 'webSearch', provider: 'router' });
  });

  it('streaming: fetched whole upstream, replayed as events the SDK and the grammar accept', async () => {
    router.enqueue({ kind: 'json', body: annotated(true) });
    const res = await postJson(h.baseUrl, '/v1/messages', searchRequest(true));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = await res.text();
    expect(router.received[0].body.stream).toBe(false);
    const verdict = checkGrammar(parseEvents(sse));
    expect(verdict.outcome).toBe('complete');
    expect(verdict.text).toBe(ANSWER);
    const { message } = await sdkVerdict(sse);
    expectSearchBlocks(message!.content);
  });
});

describe('OpenAI search models (web_search_options)', () => {
  it('the active provider’s search model searches without any rule', async () => {
    h.controller.updateProvider('openai', { bigModel: 'gpt-4o-search-preview' });
    try {
      openai.enqueue({ kind: 'json', body: annotated(false) });
      const client = new Anthropic({ apiKey: 'x', baseURL: h.baseUrl, maxRetries: 0 });
      const message = await client.messages.create(
        searchRequest(false) as Anthropic.MessageCreateParamsNonStreaming,
      );
      expectSearchBlocks(message.content);
      const sent = openai.received[0].body;
      expect(sent.web_search_options).toEqual({});
      expect(sent.plugins).toBeUndefined();
      // Search models accept no temperature/top_p/stop (catalog rule).
      expect(sent.model).toBe('gpt-4o-search-preview');
    } finally {
      h.controller.updateProvider('openai', { bigModel: 'gpt-5.1' });
    }
  });
});

describe('no backend on the route can search', () => {
  it('keeps the placeholder behaviour and says which setting would enable search', async () => {
    openai.enqueue({ kind: 'json', body: completion('I cannot browse.') });
    const res = await postJson(h.baseUrl, '/v1/messages', searchRequest(false));
    expect(res.status).toBe(200);
    const message = await res.json();
    expect(message.content.map((b: any) => b.type)).toEqual(['text']);
    expect(openai.received[0].body.tools).toBeUndefined();
    const notes = h.controller.log.records().at(-1)!.notes!.join('\n');
    expect(notes).toMatch(/ROUTE_WEB_SEARCH/);
    expect(notes).toMatch(/dropped tool web_search/);
  });
});
