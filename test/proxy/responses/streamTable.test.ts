/**
 * Translation table for the Responses stream translator: every upstream event kind of OpenAI's
 * Responses streaming reference (https://platform.openai.com/docs/api-reference/responses-streaming)
 * → the Anthropic events it becomes. Expected values are written by hand.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/main/proxy/anthropicTypes';
import {
  ResponsesStreamTranslator,
  type ResponsesEvent,
} from '../../../src/main/proxy/translate/responses/stream';
import { ThoughtSignatureStore } from '../../../src/main/proxy/translate/thoughtSignatures';
import { ToolNameMap } from '../../../src/main/proxy/translate/toolNames';
import { checkSseGrammar } from '../translate/sseGrammar';

function translator() {
  return new ResponsesStreamTranslator({
    clientModel: 'claude-sonnet-4-6',
    messageId: 'msg_test',
    names: ToolNameMap.fromRequest({
      messages: [],
      tools: [{ name: 'Read', input_schema: { type: 'object' } }],
    } as never),
    stopSequences: [],
    signatures: new ThoughtSignatureStore(),
    rememberSignatures: false,
  });
}

/** All Anthropic events for an upstream event list, minus message_start and ping. */
function run(events: ResponsesEvent[]): StreamEvent[] {
  const t = translator();
  const out = [...t.start()];
  for (const e of events) out.push(...t.push(e));
  out.push(...t.finish());
  return out.filter((e) => e.type !== 'message_start' && e.type !== 'ping');
}

const completed = (
  usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 5 },
): ResponsesEvent => ({
  type: 'response.completed',
  response: { status: 'completed', usage },
});
const added = (output_index: number, item: Record<string, unknown>): ResponsesEvent => ({
  type: 'response.output_item.added',
  output_index,
  item,
});
const done = (output_index: number, item: Record<string, unknown>): ResponsesEvent => ({
  type: 'response.output_item.done',
  output_index,
  item,
});
const ending = (stop: string, usage = { input_tokens: 10, output_tokens: 5 }) => [
  {
    type: 'message_delta',
    delta: { stop_reason: stop, stop_sequence: null },
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  },
  { type: 'message_stop' },
];

describe('Responses stream translation table', () => {
  it('reasoning: summary parts → one thinking block, the encrypted item → its signature', () => {
    expect(
      run([
        added(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
        { type: 'response.reasoning_summary_part.added', output_index: 0, summary_index: 0 },
        { type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 0, delta: 'Look' },
        {
          type: 'response.reasoning_summary_text.delta',
          output_index: 0,
          summary_index: 0,
          delta: ' first.',
        },
        {
          type: 'response.reasoning_summary_text.done',
          output_index: 0,
          summary_index: 0,
          text: 'Look first.',
        },
        {
          type: 'response.reasoning_summary_text.delta',
          output_index: 0,
          summary_index: 1,
          delta: 'Then act.',
        },
        done(0, { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'ENC' }),
        completed(),
      ]),
    ).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Look' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: ' first.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: '\n\n' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Then act.' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'turnout.responses.v1:ENC' },
      },
      { type: 'content_block_stop', index: 0 },
      ...ending('end_turn'),
    ]);
  });

  it('reasoning without summary deltas takes the summary from output_item.done; without encrypted content it gets the plain signature', () => {
    expect(
      run([
        added(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
        done(0, { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Whole.' }] }),
        completed(),
      ]),
    ).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Whole.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'turnout' } },
      { type: 'content_block_stop', index: 0 },
      ...ending('end_turn'),
    ]);
  });

  it('a reasoning item with neither summary nor encrypted content makes no block', () => {
    expect(
      run([
        added(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
        done(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
        added(1, { type: 'message', id: 'm' }),
        { type: 'response.output_text.delta', output_index: 1, delta: 'hi' },
        done(1, { type: 'message', id: 'm' }),
        completed(),
      ]).slice(0, 3),
    ).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } },
      { type: 'content_block_stop', index: 0 },
    ]);
  });

  it('a reasoning item with only encrypted content → an empty thinking block carrying it', () => {
    expect(
      run([
        added(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
        done(0, { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'E' }),
        completed(),
      ]).slice(0, 3),
    ).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'turnout.responses.v1:E' },
      },
      { type: 'content_block_stop', index: 0 },
    ]);
  });

  it('raw reasoning_text deltas (servers without summaries) → thinking', () => {
    const out = run([
      added(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
      { type: 'response.reasoning_text.delta', output_index: 0, content_index: 0, delta: 'raw thought' },
      done(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
      completed(),
    ]);
    expect(out[1]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: 'raw thought' },
    });
  });

  it('output_text deltas → text deltas; url_citation annotations → citations_delta', () => {
    expect(
      run([
        added(0, { type: 'message', id: 'msg_1', role: 'assistant', content: [] }),
        { type: 'response.content_part.added', output_index: 0, content_index: 0 },
        { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'See ' },
        { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'example.' },
        {
          type: 'response.output_text.annotation.added',
          output_index: 0,
          annotation: {
            type: 'url_citation',
            url: 'https://e.com',
            title: 'E',
            start_index: 4,
            end_index: 11,
          },
        },
        { type: 'response.output_text.done', output_index: 0, content_index: 0, text: 'See example.' },
        done(0, { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'See example.' }] }),
        completed(),
      ]),
    ).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'See ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'example.' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: {
          type: 'citations_delta',
          citation: {
            type: 'web_search_result_location',
            url: 'https://e.com',
            title: 'E',
            cited_text: 'example',
            encrypted_index: '',
          },
        },
      },
      { type: 'content_block_stop', index: 0 },
      ...ending('end_turn'),
    ]);
  });

  it('a message whose text only arrives in output_item.done still becomes text', () => {
    const out = run([
      added(0, { type: 'message', id: 'm', content: [] }),
      done(0, { type: 'message', id: 'm', content: [{ type: 'output_text', text: 'late' }] }),
      completed(),
    ]);
    expect(checkSseGrammar([...translator().start(), ...out]).blocks).toEqual([
      { type: 'text', text: 'late' },
    ]);
  });

  it('refusal deltas → text, and the answer stops with refusal', () => {
    const out = run([
      added(0, { type: 'message', id: 'm', content: [] }),
      { type: 'response.refusal.delta', output_index: 0, content_index: 0, delta: 'No.' },
      { type: 'response.refusal.done', output_index: 0, content_index: 0, refusal: 'No.' },
      done(0, { type: 'message', id: 'm', content: [{ type: 'refusal', refusal: 'No.' }] }),
      completed(),
    ]);
    expect(out.slice(0, 3)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'No.' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect(out.slice(3)).toEqual(ending('refusal'));
  });

  it('function_call: argument deltas → input_json_delta; parallel calls → consecutive tool_use blocks', () => {
    expect(
      run([
        added(0, {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_AAAAAAAA',
          name: 'Read',
          arguments: '',
        }),
        { type: 'response.function_call_arguments.delta', output_index: 0, delta: '{"file_path":' },
        { type: 'response.function_call_arguments.delta', output_index: 0, delta: '"a"}' },
        { type: 'response.function_call_arguments.done', output_index: 0, arguments: '{"file_path":"a"}' },
        done(0, {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_AAAAAAAA',
          name: 'Read',
          arguments: '{"file_path":"a"}',
        }),
        added(1, {
          type: 'function_call',
          id: 'fc_2',
          call_id: 'call_BBBBBBBB',
          name: 'Read',
          arguments: '',
        }),
        // No deltas: the arguments come whole in .done.
        { type: 'response.function_call_arguments.done', output_index: 1, arguments: '{"file_path":"b"}' },
        done(1, {
          type: 'function_call',
          id: 'fc_2',
          call_id: 'call_BBBBBBBB',
          name: 'Read',
          arguments: '{"file_path":"b"}',
        }),
        completed(),
      ]),
    ).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'call_AAAAAAAA', name: 'Read', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"file_path":' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '"a"}' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_BBBBBBBB', name: 'Read', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"file_path":"b"}' },
      },
      { type: 'content_block_stop', index: 1 },
      ...ending('tool_use'),
    ]);
  });

  it('a call without arguments gets "{}"', () => {
    const out = run([
      added(0, { type: 'function_call', id: 'fc', call_id: 'call_CCCCCCCC', name: 'Read', arguments: '' }),
      done(0, { type: 'function_call', id: 'fc', call_id: 'call_CCCCCCCC', name: 'Read', arguments: '' }),
      completed(),
    ]);
    expect(out[1]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: '{}' },
    });
  });

  it('web_search_call → server_tool_use (with the query) + web_search_tool_result (with the sources)', () => {
    const out = run([
      added(0, { type: 'web_search_call', id: 'ws_1', status: 'in_progress' }),
      { type: 'response.web_search_call.in_progress', output_index: 0, item_id: 'ws_1' },
      { type: 'response.web_search_call.searching', output_index: 0, item_id: 'ws_1' },
      { type: 'response.web_search_call.completed', output_index: 0, item_id: 'ws_1' },
      done(0, {
        type: 'web_search_call',
        id: 'ws_1',
        status: 'completed',
        action: { type: 'search', query: 'q', sources: [{ type: 'url', url: 'https://a.example' }] },
      }),
      completed(),
    ]);
    const id = (out[0] as { content_block: { id: string } }).content_block.id;
    expect(id).toMatch(/^srvtoolu_/);
    expect(out.slice(0, 5)).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'server_tool_use', id, name: 'web_search', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"query":"q"}' },
      },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: {
          type: 'web_search_tool_result',
          tool_use_id: id,
          content: [
            {
              type: 'web_search_result',
              url: 'https://a.example',
              title: 'https://a.example',
              encrypted_content: '',
              page_age: null,
            },
          ],
        },
      },
      { type: 'content_block_stop', index: 1 },
    ]);
  });

  it('response.incomplete: max_output_tokens → max_tokens, content_filter → refusal', () => {
    const text = [
      added(0, { type: 'message', id: 'm' }),
      { type: 'response.output_text.delta', output_index: 0, delta: 'abc' },
    ];
    const incomplete = (reason: string): ResponsesEvent => ({
      type: 'response.incomplete',
      response: {
        status: 'incomplete',
        incomplete_details: { reason },
        usage: { input_tokens: 10, output_tokens: 5 },
      },
    });
    expect(run([...text, incomplete('max_output_tokens')]).slice(-2)).toEqual(ending('max_tokens'));
    expect(run([...text, incomplete('content_filter')]).slice(-2)).toEqual(ending('refusal'));
  });

  it('usage from response.completed: cached input tokens → cache reads', () => {
    const out = run([
      completed({ input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 50 }),
    ]);
    expect(out[0]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 200,
        output_tokens: 50,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 800,
      },
    });
  });

  it('response.failed and error events → an error event, nothing after it', () => {
    expect(
      run([
        added(0, { type: 'message', id: 'm' }),
        { type: 'response.output_text.delta', output_index: 0, delta: 'par' },
        {
          type: 'response.failed',
          response: { status: 'failed', error: { code: 'server_error', message: 'boom' } },
        },
        completed(),
      ]).slice(-1),
    ).toEqual([{ type: 'error', error: { type: 'api_error', message: 'boom' } }]);
    expect(run([{ type: 'error', code: 'server_error', message: 'bad' }])).toEqual([
      { type: 'error', error: { type: 'api_error', message: 'bad' } },
    ]);
  });

  it('a stream that ends before response.completed → an error event instead of an invented ending', () => {
    const out = run([
      added(0, { type: 'message', id: 'm' }),
      { type: 'response.output_text.delta', output_index: 0, delta: 'x' },
    ]);
    expect(out.at(-1)).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message: 'The upstream stream ended before response.completed; the answer is incomplete.',
      },
    });
  });

  it('malformed function arguments → an error event', () => {
    const out = run([
      added(0, { type: 'function_call', id: 'fc', call_id: 'call_DDDDDDDD', name: 'Read' }),
      { type: 'response.function_call_arguments.delta', output_index: 0, delta: '{"a": nope' },
      done(0, {
        type: 'function_call',
        id: 'fc',
        call_id: 'call_DDDDDDDD',
        name: 'Read',
        arguments: '{"a": nope',
      }),
      completed(),
    ]);
    expect(out.at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The upstream sent malformed arguments for tool Read.' },
    });
  });

  it('events for a later item wait until the earlier item is done; unknown item kinds are skipped', () => {
    const events: ResponsesEvent[] = [
      added(0, { type: 'file_search_call', id: 'fs' }),
      added(1, { type: 'message', id: 'm' }),
      { type: 'response.output_text.delta', output_index: 1, delta: 'later' },
      added(2, { type: 'function_call', id: 'fc', call_id: 'call_EEEEEEEE', name: 'Read' }),
      { type: 'response.function_call_arguments.delta', output_index: 2, delta: '{}' },
      done(0, { type: 'file_search_call', id: 'fs' }),
      done(1, { type: 'message', id: 'm', content: [{ type: 'output_text', text: 'later' }] }),
      done(2, { type: 'function_call', id: 'fc', call_id: 'call_EEEEEEEE', name: 'Read', arguments: '{}' }),
      completed(),
    ];
    const t = translator();
    const all = [...t.start()];
    // Nothing of item 1 or 2 may be emitted while item 0 is open.
    for (const e of events.slice(0, 5)) expect(t.push(e)).toEqual([]);
    for (const e of events.slice(5)) all.push(...t.push(e));
    all.push(...t.finish());
    expect(checkSseGrammar(all).blocks).toEqual([
      { type: 'text', text: 'later' },
      { type: 'tool_use', id: 'call_EEEEEEEE', name: 'Read', json: '{}' },
    ]);
  });
});
