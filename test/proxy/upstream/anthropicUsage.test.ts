/**
 * Reading Anthropic's usage from relayed bytes: the counts in `message_delta` are cumulative
 * (https://docs.claude.com/en/docs/build-with-claude/streaming#event-types), so the last report
 * wins and nothing is summed, however the bytes are cut into chunks.
 */
import { describe, expect, it } from 'vitest';
import { AnthropicUsageTap } from '../../../src/main/proxy/upstream/anthropicUsage';

const event = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

const STREAM =
  event('message_start', {
    message: {
      id: 'msg_1',
      role: 'assistant',
      content: [],
      usage: {
        input_tokens: 3000,
        cache_creation_input_tokens: 1000,
        cache_read_input_tokens: 2000,
        output_tokens: 1,
      },
    },
  }) +
  event('content_block_delta', {
    index: 0,
    delta: { type: 'text_delta', text: 'the word "usage" in text ✓ ' },
  }) +
  event('message_delta', { delta: { stop_reason: null }, usage: { output_tokens: 70 } }) +
  event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 150 } }) +
  event('message_stop', {});

const EXPECTED = {
  input_tokens: 3000,
  output_tokens: 150,
  cache_creation_input_tokens: 1000,
  cache_read_input_tokens: 2000,
};

describe('AnthropicUsageTap', () => {
  it('takes the last cumulative counts, whole or cut at every byte', () => {
    const bytes = Buffer.from(STREAM, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      const tap = new AnthropicUsageTap(true);
      tap.push(bytes.subarray(0, cut));
      tap.push(bytes.subarray(cut));
      expect(tap.usage, `cut at ${cut}`).toEqual(EXPECTED);
    }
    const byByte = new AnthropicUsageTap(true);
    for (let i = 0; i < bytes.length; i++) byByte.push(bytes.subarray(i, i + 1));
    expect(byByte.usage).toEqual(EXPECTED);
  });

  it('reads a JSON answer’s usage, and reports none when there is none', () => {
    const tap = new AnthropicUsageTap(false);
    const body = JSON.stringify({ id: 'msg_1', content: [], usage: { input_tokens: 12, output_tokens: 5 } });
    tap.push(Buffer.from(body.slice(0, 10)));
    tap.push(Buffer.from(body.slice(10)));
    expect(tap.usage).toEqual({
      input_tokens: 12,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    const none = new AnthropicUsageTap(true);
    none.push(Buffer.from(event('ping', {})));
    expect(none.usage).toBeNull();
  });

  it('skips a very long content line without keeping it, and still reads the usage after it', () => {
    const tap = new AnthropicUsageTap(true);
    tap.push(
      Buffer.from(event('message_start', { message: { usage: { input_tokens: 9, output_tokens: 1 } } })),
    );
    const long = `data: ${'x'.repeat(200_000)} "usage"`;
    for (let i = 0; i < long.length; i += 1000) tap.push(Buffer.from(long.slice(i, i + 1000)));
    tap.push(Buffer.from('\n\n' + event('message_delta', { usage: { output_tokens: 42 } })));
    expect(tap.usage).toMatchObject({ input_tokens: 9, output_tokens: 42 });
  });
});
