/**
 * The Responses-only fake is checked against the openai SDK's own `responses.stream()` helper:
 * its accumulator rejects events out of order, deltas for unknown output items and final items
 * that do not match what was streamed, so a fake that passes here speaks the wire format the
 * SDK (and so OpenAI's documented stream) uses.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../support/fakeUpstream';
import { responseEvents, responsesOnly, sseText, type FakeAnswer } from '../../support/fakeResponses';

const answer: FakeAnswer = {
  items: [
    { type: 'reasoning', summary: ['First I look.', 'Then I act.'], encrypted: 'gAAAA-enc-1' },
    { type: 'web_search_call', query: 'turnout proxy', sources: ['https://example.com/a'] },
    {
      type: 'message',
      text: 'Found it at example.com.',
      citations: [{ url: 'https://example.com/a', title: 'A', start: 12, end: 23 }],
    },
    { type: 'function_call', callId: 'call_abc123', name: 'Read', arguments: '{"file_path":"/tmp/x"}' },
    {
      type: 'function_call',
      callId: 'call_def456',
      name: 'Write',
      arguments: '{"file_path":"/tmp/y","content":"z"}',
    },
  ],
  usage: { input: 100, cached: 40, output: 30, reasoning: 12 },
};

describe('the fake Responses upstream', () => {
  let fake: FakeUpstream;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await startFakeUpstream();
    fake.fallback = { kind: 'custom', handle: responsesOnly(() => answer) };
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it("streams a sequence the SDK's responses.stream() accumulates into the scripted answer", async () => {
    const stream = client.responses.stream({ model: 'gpt-5.1-codex', input: 'hi' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(final.status).toBe('completed');
    expect(final.output.map((o) => o.type)).toEqual([
      'reasoning',
      'web_search_call',
      'message',
      'function_call',
      'function_call',
    ]);
    expect(final.output_text).toBe('Found it at example.com.');
    const reasoning = final.output[0] as { summary: Array<{ text: string }>; encrypted_content?: string };
    expect(reasoning.summary.map((s) => s.text)).toEqual(['First I look.', 'Then I act.']);
    expect(reasoning.encrypted_content).toBe('gAAAA-enc-1');
    const calls = final.output.filter((o) => o.type === 'function_call') as Array<{
      arguments: string;
      call_id: string;
    }>;
    expect(calls.map((c) => [c.call_id, JSON.parse(c.arguments)])).toEqual([
      ['call_abc123', { file_path: '/tmp/x' }],
      ['call_def456', { file_path: '/tmp/y', content: 'z' }],
    ]);
    expect(final.usage?.input_tokens_details.cached_tokens).toBe(40);
  });

  it('answers whole responses the SDK parses', async () => {
    const response = await client.responses.create({ model: 'gpt-5.1-codex', input: 'hi' });
    expect(response.output_text).toBe('Found it at example.com.');
    expect(response.output).toHaveLength(5);
  });

  it('answers chat completions with OpenAI’s 404 for Responses-only models', async () => {
    const failure = await client.chat.completions
      .create({ model: 'gpt-5.1-codex', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect((failure as Error).message).toMatch(/only supported in v1\/responses/);
  });

  it('is a real check: the SDK rejects a delta for an output item that was never added', async () => {
    const events = responseEvents({ items: [{ type: 'message', text: 'hello' }] });
    const broken = events.filter((e) => e.type !== 'response.output_item.added');
    fake.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sseText(broken));
      },
    });
    const stream = client.responses.stream({ model: 'gpt-5.1-codex', input: 'hi' });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
        await stream.finalResponse();
      })(),
    ).rejects.toThrow();
  });
});
