/**
 * Judges of an Anthropic SSE answer as a client sees it: a grammar check of the event sequence
 * (written from the protocol notes) and the official @anthropic-ai/sdk MessageStream, fed the
 * exact bytes the proxy sent.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';

export interface SseEvent {
  event: string;
  data: any;
}

/** Parses SSE text strictly: every block needs an `event:` and a `data:` line with JSON. */
export function parseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
    const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
    if (!event || data === undefined) throw new Error(`SSE block without event or data line: ${block}`);
    const parsed = JSON.parse(data);
    if (parsed.type !== event) throw new Error(`event ${event} carries data of type ${parsed.type}`);
    events.push({ event, data: parsed });
  }
  return events;
}

const DELTA_FOR_BLOCK: Record<string, string[]> = {
  text: ['text_delta', 'citations_delta'],
  tool_use: ['input_json_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
  redacted_thinking: [],
  // Web search, as Anthropic streams it: the query as input JSON, the results whole at start.
  server_tool_use: ['input_json_delta'],
  web_search_tool_result: [],
};

export interface StreamVerdict {
  outcome: 'complete' | 'error';
  errorType?: string;
  stopReason?: string;
  text: string;
  tools: Array<{ name: string; input: unknown }>;
}

/**
 * Checks the grammar: one message_start first; block indexes 0,1,2… in start order; deltas of
 * the block's own kind only inside open blocks; all blocks closed before the one message_delta
 * (with usage.output_tokens); message_stop last — or an `error` event that ends it all.
 */
export function checkGrammar(
  events: SseEvent[],
  options: { toolJson?: 'parse' | 'skip' } = {},
): StreamVerdict {
  const fail = (i: number, why: string): never => {
    throw new Error(`event ${i} (${events[i]?.event}): ${why}\n${events.map((e) => e.event).join(' ')}`);
  };
  const blocks: Array<{ type: string; open: boolean; json: string; name?: string }> = [];
  let started = false;
  let sawDelta = false;
  let stopReason: string | undefined;
  let text = '';
  for (let i = 0; i < events.length; i++) {
    const { event, data } = events[i];
    if (event === 'error') {
      if (i !== events.length - 1) fail(i, 'events after error');
      if (typeof data.error?.type !== 'string' || typeof data.error?.message !== 'string') {
        fail(i, 'error without type and message');
      }
      return { outcome: 'error', errorType: data.error.type, text, tools: [] };
    }
    if (!started) {
      if (event !== 'message_start') fail(i, 'first event is not message_start');
      if (data.message?.type !== 'message' || data.message?.role !== 'assistant') fail(i, 'bad message');
      if (typeof data.message?.usage?.input_tokens !== 'number') fail(i, 'message_start without usage');
      started = true;
      continue;
    }
    switch (event) {
      case 'message_start':
        fail(i, 'second message_start');
        break;
      case 'ping':
        break;
      case 'content_block_start': {
        if (sawDelta) fail(i, 'block after message_delta');
        if (data.index !== blocks.length) fail(i, `index ${data.index}, expected ${blocks.length}`);
        const type = data.content_block?.type;
        if (!(type in DELTA_FOR_BLOCK)) fail(i, `unknown block type ${type}`);
        // (An empty name passes here: upstream garbage in, the client's tool lookup fails visibly.)
        if (
          type === 'tool_use' &&
          (typeof data.content_block.id !== 'string' || typeof data.content_block.name !== 'string')
        ) {
          fail(i, 'tool_use without id or name');
        }
        blocks.push({ type, open: true, json: '', name: data.content_block.name });
        break;
      }
      case 'content_block_delta': {
        const block = blocks[data.index];
        if (!block || !block.open) fail(i, `delta for block ${data.index}, which is not open`);
        if (!DELTA_FOR_BLOCK[block.type].includes(data.delta?.type)) {
          fail(i, `${data.delta?.type} inside a ${block.type} block`);
        }
        if (data.delta.type === 'text_delta') text += data.delta.text;
        if (data.delta.type === 'input_json_delta') block.json += data.delta.partial_json;
        break;
      }
      case 'content_block_stop': {
        const block = blocks[data.index];
        if (!block || !block.open) fail(i, `stop for block ${data.index}, which is not open`);
        block.open = false;
        break;
      }
      case 'message_delta':
        if (sawDelta) fail(i, 'second message_delta');
        if (blocks.some((b) => b.open)) fail(i, 'message_delta with a block still open');
        if (typeof data.usage?.output_tokens !== 'number') fail(i, 'message_delta without usage');
        if (typeof data.delta?.stop_reason !== 'string') fail(i, 'message_delta without stop_reason');
        stopReason = data.delta.stop_reason;
        sawDelta = true;
        break;
      case 'message_stop': {
        if (!sawDelta) fail(i, 'message_stop before message_delta');
        if (i !== events.length - 1) fail(i, 'events after message_stop');
        const tools = blocks
          .filter((b) => b.type === 'tool_use')
          .map((b) => ({
            name: b.name!,
            input: options.toolJson === 'skip' ? b.json : b.json === '' ? {} : JSON.parse(b.json),
          }));
        return { outcome: 'complete', text, tools, stopReason };
      }
      default:
        fail(i, 'unknown event');
    }
  }
  return fail(events.length - 1, 'stream ended without message_stop or error');
}

/**
 * Runs the bytes through the official SDK's MessageStream. Resolves with the final message, or
 * with the APIError the SDK raised for an `event: error`; anything else it throws is a failure.
 */
export async function sdkVerdict(
  sseText: string,
): Promise<{ message?: Anthropic.Message; apiError?: APIError }> {
  const client = new Anthropic({
    apiKey: 'unused',
    baseURL: 'http://127.0.0.1:9',
    maxRetries: 0,
    fetch: async () =>
      new Response(sseText, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  try {
    const message = await client.messages
      .stream({ model: 'claude-fuzz-judge', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    return { message };
  } catch (error) {
    if (error instanceof APIError) return { apiError: error };
    throw error;
  }
}
