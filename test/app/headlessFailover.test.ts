/**
 * `npm run serve` with a fallback chain, as a user runs it: the active provider answers 503
 * (OpenAI's documented overload error) and FALLBACK_PROVIDERS sends the requests on; stdout
 * says which attempts each request made and when the active provider goes down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completion, startFakeUpstream, type FakeUpstream } from '../support/fakeUpstream';
import { startHeadless, type HeadlessProcess } from '../support/headlessProcess';
import { postJson } from '../support/proxyHarness';

let openai: FakeUpstream;
let groq: FakeUpstream;
let proc: HeadlessProcess;
let baseUrl: string;

beforeAll(async () => {
  openai = await startFakeUpstream();
  groq = await startFakeUpstream();
  openai.fallback = {
    kind: 'json',
    status: 503,
    body: {
      error: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error' },
    },
  };
  groq.fallback = { kind: 'json', body: completion('from groq') };
  proc = startHeadless({
    PORT: '0',
    OPENAI_API_KEY: 'sk-headless-failover-0123456789',
    OPENAI_BASE_URL: openai.url,
    GROQ_API_KEY: 'gsk_' + 'headlessfailover0123456789',
    GROQ_BASE_URL: groq.url,
    FALLBACK_PROVIDERS: 'groq',
    ROUTE_BACKGROUND: 'groq/llama-3.1-8b-instant',
  });
  baseUrl = await proc.ready;
}, 30_000);
afterAll(async () => {
  await proc?.stop();
  await openai.close();
  await groq.close();
});

describe('headless failover', () => {
  it('serves through the fallback and says so, one line per request', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await postJson(baseUrl, '/v1/messages', {
        model: 'claude-sonnet-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-turnout-provider')).toBe('groq');
      await res.json();
    }
    const haiku = await postJson(baseUrl, '/v1/messages', {
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'title?' }],
    });
    await haiku.json();
    await expect
      .poll(
        () =>
          proc
            .stdout()
            .split('\n')
            .filter((l) => l.includes('POST /v1/messages')).length,
        {
          timeout: 5000,
        },
      )
      .toBe(5);
    const lines = proc
      .stdout()
      .split('\n')
      .filter((l) => l.includes('POST /v1/messages'));
    expect(
      lines.slice(0, 3).every((l) => l.includes('[openai 503 → groq 200]')),
      lines.join('\n'),
    ).toBe(true);
    // After three failures the breaker is open: OpenAI is skipped without a call.
    expect(lines[3]).toContain('[openai skipped → groq 200]');
    expect(openai.received).toHaveLength(3);
    // The haiku request took the background rule.
    expect(lines[4]).toContain('→ groq/llama-3.1-8b-instant');
    expect(lines[4]).toContain('rule background');
    expect(proc.stdout()).toMatch(
      /OpenAI is down: The engine is currently overloaded.* Requests go to groq meanwhile\./,
    );
  });
});
