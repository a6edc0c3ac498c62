/**
 * Claude Code (the real CLI, headless -p, fresh HOME) through Turnout's routing:
 * - the active provider answers 503 to everything; with a fallback set, Claude Code finishes its
 *   task through the fallback, and the request log says so;
 * - its WebSearch tool runs through a search-capable backend (a fake replaying OpenRouter's web
 *   plugin answer: `url_citation` annotations, https://openrouter.ai/docs/features/web-search)
 *   and the results reach the model as Claude Code formats them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/main/app/logLines';
import { startFakeUpstream, type FakeUpstream } from '../test/support/fakeUpstream';
import { startHarness, type Harness } from '../test/support/proxyHarness';
import { answerChat, chatChunk, usageChunk } from './support/chatWire';
import { claudeDirs, type ClaudeDirs, describeRun, haveClaude, runClaude } from './support/claudeCli';

const MARKER = 'written through the fallback 5e2a';

type Message = { role: string; content?: unknown; tool_call_id?: string };
type Body = { messages: Message[]; tools?: Array<{ function?: { name?: string } }>; stream?: boolean };

const usage = usageChunk({ prompt_tokens: 100, completion_tokens: 10 });

function reply(res: ServerResponse, body: Body, answer: { text?: string; call?: [string, string, unknown] }) {
  const chunks = answer.call
    ? [
        chatChunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: answer.call[0],
              type: 'function',
              function: { name: answer.call[1], arguments: JSON.stringify(answer.call[2]) },
            },
          ],
        }),
        chatChunk({}, 'tool_calls'),
        usage,
      ]
    : [chatChunk({ role: 'assistant', content: answer.text }), chatChunk({}, 'stop'), usage];
  answerChat(res, body, chunks, answer.text ?? 'ok');
}

const offers = (body: Body, tool: string) => (body.tools ?? []).some((t) => t.function?.name === tool);
const toolResults = (body: Body) => body.messages.filter((m) => m.role === 'tool');

describe.skipIf(!haveClaude)('Claude Code through Turnout’s routing', () => {
  let h: Harness;
  let groq: FakeUpstream;
  let router: FakeUpstream;
  let dirs: ClaudeDirs;

  beforeAll(async () => {
    groq = await startFakeUpstream();
    router = await startFakeUpstream();
    h = await startHarness({
      tweak: (s) => {
        s.providers.groq.baseUrl = groq.url;
        s.fallbackProviders = ['groq'];
        s.customProviders.push({ id: 'router', label: 'Router', webSearch: 'openrouter-plugin' });
        s.providers.router = {
          baseUrl: router.url,
          bigModel: 'openai/gpt-5.1',
          smallModel: '',
          opusModel: '',
        };
      },
    });
    dirs = claudeDirs('turnout-cc');
  });
  afterAll(async () => {
    await h.close();
    await groq.close();
    await router.close();
    dirs.remove();
  });

  it(
    'finishes its task through the fallback while the active provider answers 503',
    { timeout: 120_000 },
    async () => {
      // OpenAI's documented overload answer, to every request.
      h.upstream.fallback = {
        kind: 'json',
        status: 503,
        body: {
          error: {
            message: 'The engine is currently overloaded, please try again later.',
            type: 'server_error',
          },
        },
      };
      groq.fallback = {
        kind: 'custom',
        handle: (_req: IncomingMessage, res: ServerResponse, body: Body) => {
          if (!offers(body, 'Write')) return reply(res, body, { text: 'Turnout test' });
          if (toolResults(body).length === 0) {
            return reply(res, body, {
              call: ['call_write', 'Write', { file_path: join(dirs.work, 'out.txt'), content: MARKER }],
            });
          }
          return reply(res, body, { text: 'Done: out.txt holds the marker.' });
        },
      };
      const run = await runClaude(dirs, {
        baseUrl: h.baseUrl,
        prompt: 'Write the marker into out.txt.',
        allowedTools: 'Write',
      });
      const records = h.controller.log.records();
      const context = `${describeRun(run, 1500)}\nlog: ${records.map(formatLogLine).join('\n')}`;
      expect(run.code, context).toBe(0);
      expect(JSON.parse(run.stdout).result, context).toContain('Done: out.txt holds the marker.');
      expect(readFileSync(join(dirs.work, 'out.txt'), 'utf8')).toBe(MARKER);

      // The log says so: the first requests tried OpenAI and were answered by Groq; once OpenAI's
      // breaker opened, it was skipped without a call.
      const messages = records.filter((r) => r.path === '/v1/messages');
      expect(
        messages.map((r) => `${r.status} ${r.provider}`),
        JSON.stringify(messages),
      ).toEqual(messages.map(() => '200 groq'));
      const lines = messages.map(formatLogLine);
      expect(lines[0]).toContain('[openai 503 → groq 200]');
      for (const line of lines) expect(line).toMatch(/\[openai (503|skipped) → groq 200\]/);
      expect(h.controller.health.status('openai').consecutiveFailures).toBe(Math.min(messages.length, 3));
    },
  );

  it(
    'runs a WebSearch through a search-capable backend and hands Claude the results',
    { timeout: 120_000 },
    async () => {
      h.controller.health.reset('openai');
      h.controller.setFallbackProviders([]);
      h.controller.setRules({ webSearch: 'router/openai/gpt-5.1:online' });
      const url = 'https://nodejs.org/en/blog/release/v24.11.0';
      const answerText = 'Node.js 24 entered long-term support in October 2025.';
      router.fallback = {
        kind: 'json',
        body: {
          id: 'gen-1',
          object: 'chat.completion',
          created: 0,
          model: 'openai/gpt-5.1:online',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: {
                role: 'assistant',
                content: answerText,
                annotations: [
                  {
                    type: 'url_citation',
                    url_citation: {
                      url,
                      title: 'Node.js 24.11.0 (LTS)',
                      content: 'LTS',
                      start_index: 0,
                      end_index: answerText.length,
                    },
                  },
                ],
              },
            },
          ],
          usage: { prompt_tokens: 50, completion_tokens: 20 },
        },
      };
      let sawResults = '';
      h.upstream.fallback = {
        kind: 'custom',
        handle: (_req: IncomingMessage, res: ServerResponse, body: Body) => {
          const results = toolResults(body);
          // Claude Code 2.1 defers WebSearch: the model loads it with ToolSearch first.
          if (!offers(body, 'WebSearch')) {
            if (offers(body, 'ToolSearch') && results.length === 0) {
              return reply(res, body, {
                call: ['call_load', 'ToolSearch', { query: 'select:WebSearch', max_results: 1 }],
              });
            }
            return reply(res, body, { text: 'Turnout test' });
          }
          const search = body.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'call_search');
          if (!search) {
            return reply(res, body, { call: ['call_search', 'WebSearch', { query: 'node 24 lts date' }] });
          }
          sawResults = JSON.stringify(search.content);
          return reply(res, body, { text: 'Node 24 became LTS in October 2025 (nodejs.org).' });
        },
      };
      const run = await runClaude(dirs, {
        baseUrl: h.baseUrl,
        prompt: 'When did Node 24 become LTS? Search the web.',
        allowedTools: 'WebSearch,ToolSearch',
      });
      const records = h.controller.log.records();
      const context = `${describeRun(run, 1500)}\nlog: ${records.map(formatLogLine).join('\n')}`;
      expect(run.code, context).toBe(0);
      expect(JSON.parse(run.stdout).result, context).toContain('October 2025');
      // The search request went to the search backend with OpenRouter's web plugin on…
      expect(router.received.length, context).toBeGreaterThan(0);
      const search = router.received[0].body;
      expect(search.plugins?.[0]?.id).toBe('web');
      expect(search.messages.at(-1).content).toContain('node 24 lts date');
      // …and Claude Code handed the model what the search found: the source and the answer.
      expect(sawResults, context).toContain(url);
      expect(sawResults).toContain('Node.js 24 entered long-term support');
      expect(records.some((r) => r.rule === 'webSearch' && r.provider === 'router' && r.status === 200)).toBe(
        true,
      );
    },
  );

  it(
    'a terminal pinned with ANTHROPIC_BASE_URL=…/p/groq talks to Groq alone',
    { timeout: 120_000 },
    async () => {
      h.controller.health.reset('openai');
      h.controller.setRules({ webSearch: '' });
      h.upstream.received.length = 0;
      h.upstream.fallback = { kind: 'json', status: 500, body: { error: { message: 'not me' } } };
      groq.received.length = 0;
      groq.fallback = {
        kind: 'custom',
        handle: (_req: IncomingMessage, res: ServerResponse, body: Body) =>
          reply(res, body, { text: 'Pinned to Groq.' }),
      };
      h.controller.log.clear();
      const run = await runClaude(dirs, {
        baseUrl: `${h.baseUrl}/p/groq`,
        prompt: 'Say where you run.',
        allowedTools: '',
      });
      const records = h.controller.log.records();
      const context = `${describeRun(run, 1500)}\nlog: ${records.map(formatLogLine).join('\n')}`;
      expect(run.code, context).toBe(0);
      expect(JSON.parse(run.stdout).result, context).toContain('Pinned to Groq.');
      expect(h.upstream.received, context).toHaveLength(0);
      const messages = records.filter((r) => r.path.endsWith('/v1/messages'));
      expect(messages.length).toBeGreaterThan(0);
      for (const r of messages) expect(r).toMatchObject({ profile: 'groq', provider: 'groq', status: 200 });
      expect(formatLogLine(messages[0])).toContain('via /p/groq');
    },
  );
});
