import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { StreamEvent } from '../../../src/main/proxy/anthropicTypes';
import type { ResponseContext } from '../../../src/main/proxy/translate/responseContext';
import { chunkError, StreamTranslator } from '../../../src/main/proxy/translate/stream';
import { ThoughtSignatureStore } from '../../../src/main/proxy/translate/thoughtSignatures';
import { ToolNameMap, upstreamToolName } from '../../../src/main/proxy/translate/toolNames';
import { argsFragment, chunk, finish, firstFragment, text, toolFragment, usage } from './chunks';
import { responseContext } from './contexts';
import { checkSseGrammar, type AssembledBlock } from './sseGrammar';

function run(chunks: ChatCompletionChunk[], rctx: ResponseContext = responseContext()): StreamEvent[] {
  const translator = new StreamTranslator(rctx);
  return [...translator.start(), ...chunks.flatMap((c) => translator.push(c)), ...translator.finish()];
}

const FRESH_ID = /^toolu_[A-Za-z0-9]{24}$/;
/** An id the backend issued but the client cannot keep as it is, wrapped reversibly. */
const WRAPPED_ID = /^toolu_[A-Za-z0-9]{8}_[A-Za-z0-9_-]+$/;
const LONG_MCP_NAME = 'mcp__claude-in-chrome__computer_use_take_screenshot_of_the_current_browser_tab';

interface Row {
  name: string;
  chunks: ChatCompletionChunk[];
  rctx?: Partial<ResponseContext>;
  blocks: Array<
    AssembledBlock | (Omit<Extract<AssembledBlock, { type: 'tool_use' }>, 'id'> & { id: RegExp })
  >;
  stopReason: string;
  stopSequence?: string | null;
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
}

const rows: Row[] = [
  {
    name: 'text only',
    chunks: [
      chunk({ role: 'assistant', content: '' }),
      text('Hel'),
      text('lo.'),
      finish('stop'),
      usage(12, 3),
    ],
    blocks: [{ type: 'text', text: 'Hello.' }],
    stopReason: 'end_turn',
    usage: { input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 0 },
  },
  {
    name: 'tool only (no empty text block)',
    chunks: [
      chunk({ role: 'assistant', content: null }),
      firstFragment(0, 'call_abc123456', 'Read'),
      argsFragment(0, '{"file_'),
      argsFragment(0, 'path":"/a.txt"}'),
      finish('tool_calls'),
    ],
    blocks: [{ type: 'tool_use', id: 'call_abc123456', name: 'Read', json: '{"file_path":"/a.txt"}' }],
    stopReason: 'tool_use',
  },
  {
    name: 'text then two sequential tools',
    chunks: [
      text('Reading both.'),
      firstFragment(0, 'call_first0001', 'Read', '{"file_path":'),
      argsFragment(0, '"/a"}'),
      firstFragment(1, 'call_second002', 'Read', '{"file_path":"/b"}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'text', text: 'Reading both.' },
      { type: 'tool_use', id: 'call_first0001', name: 'Read', json: '{"file_path":"/a"}' },
      { type: 'tool_use', id: 'call_second002', name: 'Read', json: '{"file_path":"/b"}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'tools then text',
    chunks: [
      firstFragment(0, 'call_ls0000001', 'LS', '{"path":"."}'),
      text('Listing now.'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_ls0000001', name: 'LS', json: '{"path":"."}' },
      { type: 'text', text: 'Listing now.' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'thinking (reasoning_content) then text',
    chunks: [
      chunk({ role: 'assistant', reasoning_content: 'The user ' }),
      chunk({ reasoning_content: 'wants a greeting.' }),
      text('Hi!'),
      finish('stop'),
    ],
    blocks: [
      { type: 'thinking', thinking: 'The user wants a greeting.', signature: 'turnout' },
      { type: 'text', text: 'Hi!' },
    ],
    stopReason: 'end_turn',
  },
  {
    name: 'thinking (reasoning) then tool',
    chunks: [
      chunk({ reasoning: 'Need the file.' }),
      firstFragment(0, 'call_rd0000001', 'Read', '{}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'thinking', thinking: 'Need the file.', signature: 'turnout' },
      { type: 'tool_use', id: 'call_rd0000001', name: 'Read', json: '{}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'interleaved parallel tool fragments',
    chunks: [
      firstFragment(0, 'call_aaaaaaaa1', 'Read'),
      firstFragment(1, 'call_bbbbbbbb2', 'Grep'),
      argsFragment(0, '{"file_path":'),
      argsFragment(1, '{"pattern":'),
      argsFragment(0, '"/x.ts"}'),
      argsFragment(1, '"TODO"}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_aaaaaaaa1', name: 'Read', json: '{"file_path":"/x.ts"}' },
      { type: 'tool_use', id: 'call_bbbbbbbb2', name: 'Grep', json: '{"pattern":"TODO"}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'interleaved fragments in one chunk',
    chunks: [
      chunk({
        tool_calls: [
          { index: 0, id: 'call_cccccccc1', type: 'function', function: { name: 'A', arguments: '{"x"' } },
          { index: 1, id: 'call_dddddddd2', type: 'function', function: { name: 'B', arguments: '{"y"' } },
        ],
      }),
      chunk({
        tool_calls: [
          { index: 1, function: { arguments: ':2}' } },
          { index: 0, function: { arguments: ':1}' } },
        ],
      }),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_cccccccc1', name: 'A', json: '{"x":1}' },
      { type: 'tool_use', id: 'call_dddddddd2', name: 'B', json: '{"y":2}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'Gemini whole calls without index',
    chunks: [
      toolFragment({
        id: 'function-call-111',
        type: 'function',
        function: { name: 'Glob', arguments: '{"pattern":"*.ts"}' },
      }),
      toolFragment({
        id: 'function-call-222',
        type: 'function',
        function: { name: 'Glob', arguments: '{"pattern":"*.md"}' },
      }),
      finish('stop'),
    ],
    blocks: [
      { type: 'tool_use', id: 'function-call-111', name: 'Glob', json: '{"pattern":"*.ts"}' },
      { type: 'tool_use', id: 'function-call-222', name: 'Glob', json: '{"pattern":"*.md"}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'whole calls with neither index nor id',
    chunks: [
      toolFragment({ function: { name: 'Glob', arguments: '{"pattern":"a"}' } }),
      toolFragment({ function: { name: 'Glob', arguments: '{"pattern":"b"}' } }),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: FRESH_ID, name: 'Glob', json: '{"pattern":"a"}' },
      { type: 'tool_use', id: FRESH_ID, name: 'Glob', json: '{"pattern":"b"}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'whole calls all on index 0 without ids',
    chunks: [
      toolFragment({ index: 0, function: { name: 'Glob', arguments: '{"pattern":"a"}' } }),
      toolFragment({ index: 0, function: { name: 'Glob', arguments: '{"pattern":"b"}' } }),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: FRESH_ID, name: 'Glob', json: '{"pattern":"a"}' },
      { type: 'tool_use', id: FRESH_ID, name: 'Glob', json: '{"pattern":"b"}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'name repeated on every fragment of one call',
    chunks: [
      toolFragment({ index: 0, id: 'call_rep000001', function: { name: 'Grep', arguments: '{"pattern":' } }),
      toolFragment({ index: 0, function: { name: 'Grep', arguments: '"x"}' } }),
      toolFragment({ index: 0, function: { name: 'Grep', arguments: '' } }),
      finish('tool_calls'),
    ],
    blocks: [{ type: 'tool_use', id: 'call_rep000001', name: 'Grep', json: '{"pattern":"x"}' }],
    stopReason: 'tool_use',
  },
  {
    name: 'one index reused for a different id',
    chunks: [
      firstFragment(0, 'call_first0001', 'Read', '{"file_path":"/1"}'),
      firstFragment(0, 'call_second002', 'Read', '{"file_path":"/2"}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_first0001', name: 'Read', json: '{"file_path":"/1"}' },
      { type: 'tool_use', id: 'call_second002', name: 'Read', json: '{"file_path":"/2"}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'duplicate upstream ids on different indexes',
    chunks: [
      firstFragment(0, 'call_same00001', 'A', '{}'),
      firstFragment(1, 'call_same00001', 'B', '{}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_same00001', name: 'A', json: '{}' },
      { type: 'tool_use', id: WRAPPED_ID, name: 'B', json: '{}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'missing and short counter ids',
    chunks: [
      toolFragment({ index: 0, type: 'function', function: { name: 'A', arguments: '{}' } }),
      firstFragment(1, 'call_0', 'B', '{}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: FRESH_ID, name: 'A', json: '{}' },
      { type: 'tool_use', id: WRAPPED_ID, name: 'B', json: '{}' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'empty arguments',
    chunks: [firstFragment(0, 'call_noargs001', 'TodoRead', ''), finish('tool_calls')],
    blocks: [{ type: 'tool_use', id: 'call_noargs001', name: 'TodoRead', json: '{}' }],
    stopReason: 'tool_use',
  },
  {
    name: 'length-truncated arguments',
    chunks: [
      firstFragment(0, 'call_write0001', 'Write', '{"file_path":"/a","content":"lorem'),
      finish('length'),
      usage(50, 4096),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_write0001', name: 'Write', json: '{"file_path":"/a","content":"lorem' },
    ],
    stopReason: 'max_tokens',
    usage: { input_tokens: 50, output_tokens: 4096, cache_read_input_tokens: 0 },
  },
  {
    name: 'text arriving while a tool call is incomplete',
    chunks: [
      firstFragment(0, 'call_edit00001', 'Edit', '{"a":'),
      text('Editing.'),
      argsFragment(0, '1}'),
      finish('tool_calls'),
    ],
    blocks: [
      { type: 'tool_use', id: 'call_edit00001', name: 'Edit', json: '{"a":1}' },
      { type: 'text', text: 'Editing.' },
    ],
    stopReason: 'tool_use',
  },
  {
    name: 'usage reported twice (Groq)',
    chunks: [
      text('ok'),
      { ...finish('stop'), usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 } },
      usage(20, 5),
    ],
    blocks: [{ type: 'text', text: 'ok' }],
    stopReason: 'end_turn',
    usage: { input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 0 },
  },
  {
    name: 'usage only under x_groq',
    chunks: [
      text('ok'),
      {
        ...finish('stop'),
        x_groq: { usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 } },
      } as ChatCompletionChunk,
    ],
    blocks: [{ type: 'text', text: 'ok' }],
    stopReason: 'end_turn',
    usage: { input_tokens: 9, output_tokens: 1, cache_read_input_tokens: 0 },
  },
  {
    name: 'usage with cached tokens',
    chunks: [text('cached'), finish('stop'), usage(1000, 7, 800)],
    blocks: [{ type: 'text', text: 'cached' }],
    stopReason: 'end_turn',
    usage: { input_tokens: 200, output_tokens: 7, cache_read_input_tokens: 800 },
  },
  {
    name: 'content_filter',
    chunks: [text('I can'), finish('content_filter')],
    blocks: [{ type: 'text', text: 'I can' }],
    stopReason: 'refusal',
  },
  {
    name: 'vLLM stop_reason naming a stop sequence',
    chunks: [text('one two'), finish('stop', { stop_reason: '###' })],
    rctx: { stopSequences: ['###', 'END'] },
    blocks: [{ type: 'text', text: 'one two' }],
    stopReason: 'stop_sequence',
    stopSequence: '###',
  },
  {
    name: 'vLLM stop_reason as a token id is not a stop sequence',
    chunks: [text('done'), finish('stop', { stop_reason: 128009 })],
    rctx: { stopSequences: ['###'] },
    blocks: [{ type: 'text', text: 'done' }],
    stopReason: 'end_turn',
    stopSequence: null,
  },
  {
    name: 'stop without a named match never invents stop_sequence',
    chunks: [text('done'), finish('stop')],
    rctx: { stopSequences: ['###'] },
    blocks: [{ type: 'text', text: 'done' }],
    stopReason: 'end_turn',
    stopSequence: null,
  },
  {
    name: 'tool name mapped back to the client name',
    chunks: [firstFragment(0, 'call_mcp000001', upstreamToolName(LONG_MCP_NAME), '{}'), finish('tool_calls')],
    rctx: { names: ToolNameMap.fromNames([LONG_MCP_NAME]) },
    blocks: [{ type: 'tool_use', id: 'call_mcp000001', name: LONG_MCP_NAME, json: '{}' }],
    stopReason: 'tool_use',
  },
  {
    name: 'no content at all',
    chunks: [chunk({ role: 'assistant' }), finish('stop')],
    blocks: [],
    stopReason: 'end_turn',
  },
];

describe('StreamTranslator chunk patterns', () => {
  it.each(rows)('$name', (row) => {
    const events = run(row.chunks, responseContext(row.rctx));
    const message = checkSseGrammar(events);
    expect(message.blocks).toEqual(
      row.blocks.map((b) =>
        b.type === 'tool_use' && b.id instanceof RegExp ? { ...b, id: expect.stringMatching(b.id) } : b,
      ),
    );
    expect(message.stopReason).toBe(row.stopReason);
    if (row.stopSequence !== undefined) expect(message.stopSequence).toBe(row.stopSequence);
    else expect(message.stopSequence).toBeNull();
    if (row.usage) {
      expect(message.usage).toEqual({ ...row.usage, cache_creation_input_tokens: 0 });
    }
    const ids = message.blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('StreamTranslator incremental behaviour', () => {
  it('starts with message_start carrying the client model, zero usage, then a ping', () => {
    const events = new StreamTranslator(responseContext()).start();
    expect(events).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_test0001',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 0,
            output_tokens: 0,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        },
      },
      { type: 'ping' },
    ]);
  });

  it('emits text as it arrives instead of buffering it', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    expect(t.push(chunk({ role: 'assistant', content: '' }))).toEqual([]);
    expect(t.push(text('Hel'))).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
    ]);
    expect(t.push(text('lo'))).toEqual([
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
    ]);
  });

  it('streams sequential tool calls without holding the second one back', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    t.push(firstFragment(0, 'call_first0001', 'Read'));
    expect(t.push(argsFragment(0, '{"file_path":"/a"}'))).toEqual([
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"file_path":"/a"}' },
      },
    ]);
    expect(t.push(firstFragment(1, 'call_second002', 'Read'))).toEqual([
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_second002', name: 'Read', input: {} },
      },
    ]);
    expect(t.push(argsFragment(1, '{"file_path"'))).toEqual([
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"file_path"' },
      },
    ]);
  });

  it('closes a thinking block with a signature before the text starts', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    t.push(chunk({ reasoning_content: 'hmm' }));
    expect(t.push(text('A'))).toEqual([
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'turnout' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'A' } },
    ]);
  });

  it('ends with message_delta carrying stop reason and full usage, then message_stop', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    t.push(text('x'));
    t.push(finish('stop'));
    t.push(usage(30, 2, 10));
    expect(t.finish()).toEqual([
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 20,
          output_tokens: 2,
          cache_read_input_tokens: 10,
          cache_creation_input_tokens: 0,
        },
      },
      { type: 'message_stop' },
    ]);
    expect(t.stopReason).toBe('end_turn');
    expect(t.usage.output_tokens).toBe(2);
    expect(t.producedContent).toBe(true);
  });

  it('emits nothing after finish', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    t.finish();
    expect(t.push(text('late'))).toEqual([]);
    expect(t.finish()).toEqual([]);
    expect(t.fail('api_error', 'late')).toEqual([]);
  });

  it('emits one error event on fail and nothing after it', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    t.push(text('partial'));
    expect(t.fail('overloaded_error', 'Upstream overloaded')).toEqual([
      { type: 'error', error: { type: 'overloaded_error', message: 'Upstream overloaded' } },
    ]);
    expect(t.push(text('more'))).toEqual([]);
    expect(t.finish()).toEqual([]);
  });

  it('reports no content and a null stop reason before finish', () => {
    const t = new StreamTranslator(responseContext());
    t.start();
    expect(t.producedContent).toBe(false);
    expect(t.stopReason).toBeNull();
  });

  it('remembers Gemini thought signatures under the client-visible id', () => {
    const signatures = new ThoughtSignatureStore();
    const events = run(
      [
        toolFragment({
          id: 'function-call-333',
          type: 'function',
          function: { name: 'Read', arguments: '{"file_path":"/a"}' },
          extra_content: { google: { thought_signature: 'sig-abc' } },
        }),
        finish('stop'),
      ],
      responseContext({ signatures, rememberSignatures: true }),
    );
    const { blocks } = checkSseGrammar(events);
    expect(blocks[0]).toMatchObject({ type: 'tool_use', id: 'function-call-333' });
    expect(signatures.recall('function-call-333')).toBe('sig-abc');
  });

  it('does not remember signatures when the provider does not echo them', () => {
    const signatures = new ThoughtSignatureStore();
    run(
      [
        toolFragment({
          id: 'function-call-444',
          function: { name: 'Read', arguments: '{}' },
          extra_content: { google: { thought_signature: 'sig' } },
        }),
      ],
      responseContext({ signatures, rememberSignatures: false }),
    );
    expect(signatures.size).toBe(0);
  });
});

describe('StreamTranslator never invents an ending (EDGE 5, 8)', () => {
  const lastEvent = (events: StreamEvent[]) => events.at(-1)!;
  const jsonSent = (events: StreamEvent[]) =>
    events
      .map((e) =>
        e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' ? e.delta.partial_json : '',
      )
      .join('');

  it('ends with an error when the stream stops without a finish reason', () => {
    const events = run([text('Half an ans')]);
    expect(lastEvent(events)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('without a finish reason') },
    });
    expect(events.some((e) => e.type === 'message_delta' || e.type === 'message_stop')).toBe(false);
  });

  it('forwards no fragment that breaks the JSON, and ends with an error naming the tool', () => {
    const events = run([
      firstFragment(0, 'call_abcdefgh1', 'Read', '{"file_path":'),
      argsFragment(0, '"/x"}}'),
      argsFragment(0, ' more'),
      finish('tool_calls'),
    ]);
    expect(jsonSent(events)).toBe('{"file_path":');
    expect(lastEvent(events)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The upstream sent malformed arguments for tool Read.' },
    });
  });

  it('ends arguments cut by the token limit as max_tokens, forwarding only a valid prefix', () => {
    const events = run([
      firstFragment(0, 'call_abcdefgh1', 'Write', '{"content":"long te'),
      finish('length'),
    ]);
    expect(jsonSent(events)).toBe('{"content":"long te');
    const delta = events.find((e) => e.type === 'message_delta');
    expect(delta && delta.type === 'message_delta' && delta.delta.stop_reason).toBe('max_tokens');
    expect(lastEvent(events).type).toBe('message_stop');
  });

  it('ends with an error for a tool call that never gets a name', () => {
    const events = run([
      toolFragment({ index: 0, id: 'call_abcdefgh1', function: { arguments: '{}' } }),
      finish('tool_calls'),
    ]);
    expect(lastEvent(events)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The upstream sent a tool call without a name.' },
    });
  });

  it('checks a call whose index a later call took over (fuzz counterexample)', () => {
    const events = run([
      toolFragment({ index: 3, id: 'call_b', function: { arguments: '{"path":' } }),
      toolFragment({ index: 3, id: 'call_a', function: { name: 'Read', arguments: '{}' } }),
      finish('tool_calls'),
    ]);
    expect(lastEvent(events)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The upstream sent a tool call without a name.' },
    });
  });

  it('skips chunks that are not chunks instead of throwing', () => {
    const odd = [
      null,
      { choices: 'nope' },
      { choices: [null] },
      { choices: [{ index: 0, delta: { tool_calls: [null] } }] },
    ];
    const events = run([...(odd as unknown as ChatCompletionChunk[]), text('fine'), finish('stop')]);
    expect(checkSseGrammar(events).blocks).toEqual([{ type: 'text', text: 'fine' }]);
  });
});

describe('checkSseGrammar itself', () => {
  const start = new StreamTranslator(responseContext()).start();
  const end: StreamEvent[] = [
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
    { type: 'message_stop' },
  ];
  const toolStart = (index: number): StreamEvent => ({
    type: 'content_block_start',
    index,
    content_block: { type: 'tool_use', id: `toolu_${index}`, name: 'T', input: {} },
  });

  it('rejects overlapping blocks', () => {
    const events: StreamEvent[] = [...start, toolStart(0), toolStart(1), ...end];
    expect(() => checkSseGrammar(events)).toThrow();
  });

  it('rejects a gap in block indexes', () => {
    const events: StreamEvent[] = [...start, toolStart(1), { type: 'content_block_stop', index: 1 }, ...end];
    expect(() => checkSseGrammar(events)).toThrow();
  });

  it('rejects tool json that does not parse', () => {
    const events: StreamEvent[] = [
      ...start,
      toolStart(0),
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
      { type: 'content_block_stop', index: 0 },
      ...end,
    ];
    expect(() => checkSseGrammar(events)).toThrow();
  });

  it('rejects a missing message_stop', () => {
    expect(() => checkSseGrammar([...start, end[0]])).toThrow();
  });
});

describe('chunkError', () => {
  it('reads an error object sent inside a 200 stream', () => {
    expect(chunkError({ error: { message: 'quota exceeded', code: 429 } })).toBe('quota exceeded');
    expect(chunkError({ error: 'boom' })).toBe('boom');
    expect(chunkError(text('fine'))).toBeNull();
  });
});

describe('StreamTranslator with random fragmenting and interleaving (EDGE 4)', () => {
  const jsonObject = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 6 }),
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 3 }),
    ),
    { maxKeys: 4 },
  );
  /** Cut points of one argument string into fragments, and a schedule picking the next call. */
  const scenario = fc
    .array(fc.tuple(jsonObject, fc.array(fc.nat(), { maxLength: 6 })), { minLength: 1, maxLength: 3 })
    .chain((calls) =>
      fc.tuple(
        fc.constant(calls),
        fc.array(fc.nat({ max: calls.length - 1 }), { minLength: 40, maxLength: 40 }),
      ),
    );

  it("yields one block per call whose partial_json is exactly that call's arguments", () => {
    fc.assert(
      fc.property(scenario, ([calls, schedule]) => {
        const queues = calls.map(([input, cuts], i) => {
          const args = JSON.stringify(input);
          const points = [...new Set(cuts.map((c) => c % (args.length + 1)))].sort((a, b) => a - b);
          const pieces: string[] = [];
          let from = 0;
          for (const p of [...points, args.length]) {
            pieces.push(args.slice(from, p));
            from = p;
          }
          const [first, ...rest] = pieces;
          return [
            firstFragment(i, `call_prop_${i}_0000`, `Tool${i}`, first),
            ...rest.map((p) => argsFragment(i, p)),
          ];
        });
        const chunks: ChatCompletionChunk[] = [];
        // Every call's first fragment comes in call order; the rest interleave by the schedule.
        for (const queue of queues) chunks.push(queue.shift() as ChatCompletionChunk);
        for (const pick of schedule) {
          const queue = queues[pick].length > 0 ? queues[pick] : queues.find((q) => q.length > 0);
          if (queue) chunks.push(queue.shift() as ChatCompletionChunk);
        }
        for (const queue of queues) chunks.push(...queue);
        chunks.push(finish('tool_calls'));

        const message = checkSseGrammar(run(chunks));
        expect(message.blocks).toEqual(
          calls.map(([input], i) => ({
            type: 'tool_use',
            id: `call_prop_${i}_0000`,
            name: `Tool${i}`,
            json: JSON.stringify(input),
          })),
        );
        expect(message.stopReason).toBe('tool_use');
      }),
      { numRuns: 300 },
    );
  });
});
