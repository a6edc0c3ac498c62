import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { translateResponse } from '../../../src/main/proxy/translate/response';
import { ThoughtSignatureStore } from '../../../src/main/proxy/translate/thoughtSignatures';
import { ToolNameMap, upstreamToolName } from '../../../src/main/proxy/translate/toolNames';
import { responseContext } from './contexts';

function completion(
  message: Record<string, unknown>,
  finishReason: string | null,
  usage?: Record<string, unknown>,
  choiceExtra: object = {},
): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'upstream-model',
    choices: [
      { index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason, ...choiceExtra },
    ],
    ...(usage ? { usage } : {}),
  } as unknown as ChatCompletion;
}

const call = (id: string | undefined, name: string, args: string, extra: object = {}) => ({
  ...(id === undefined ? {} : { id }),
  type: 'function',
  function: { name, arguments: args },
  ...extra,
});

describe('translateResponse', () => {
  it('translates a text answer with usage and the client model', () => {
    const out = translateResponse(
      completion({ content: 'Hello.' }, 'stop', {
        prompt_tokens: 120,
        completion_tokens: 4,
        total_tokens: 124,
      }),
      responseContext(),
    );
    expect(out).toEqual({
      id: 'msg_test0001',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 120,
        output_tokens: 4,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });

  it('orders thinking, text, then tool calls, and omits empty text', () => {
    const out = translateResponse(
      completion(
        {
          content: '',
          reasoning_content: 'Need the file.',
          tool_calls: [
            call('call_abcdef123', 'Read', '{"file_path":"/a"}'),
            call('call_ghijkl456', 'LS', ''),
          ],
        },
        'tool_calls',
      ),
      responseContext(),
    );
    expect(out.content).toEqual([
      { type: 'thinking', thinking: 'Need the file.', signature: 'turnout' },
      { type: 'tool_use', id: 'call_abcdef123', name: 'Read', input: { file_path: '/a' } },
      { type: 'tool_use', id: 'call_ghijkl456', name: 'LS', input: {} },
    ]);
    expect(out.stop_reason).toBe('tool_use');
  });

  it('reads `reasoning` as well as `reasoning_content`', () => {
    const out = translateResponse(
      completion({ content: 'ok', reasoning: 'brief' }, 'stop'),
      responseContext(),
    );
    expect(out.content[0]).toEqual({ type: 'thinking', thinking: 'brief', signature: 'turnout' });
  });

  it('maps tool calls under finish_reason stop to tool_use', () => {
    const out = translateResponse(
      completion({ content: null, tool_calls: [call('call_x1234567', 'A', '{}')] }, 'stop'),
      responseContext(),
    );
    expect(out.stop_reason).toBe('tool_use');
  });

  it('keeps unparsable arguments visible under _raw_arguments', () => {
    const out = translateResponse(
      completion(
        { content: null, tool_calls: [call('call_bad000001', 'Bash', '{"command": ls}')] },
        'tool_calls',
      ),
      responseContext(),
    );
    expect(out.content).toEqual([
      { type: 'tool_use', id: 'call_bad000001', name: 'Bash', input: { _raw_arguments: '{"command": ls}' } },
    ]);
  });

  it('reads double-encoded arguments', () => {
    const out = translateResponse(
      completion(
        { content: null, tool_calls: [call('call_dbl000001', 'Bash', JSON.stringify('{"command":"ls"}'))] },
        'tool_calls',
      ),
      responseContext(),
    );
    expect(out.content[0]).toMatchObject({ input: { command: 'ls' } });
  });

  it('reports arguments cut off by the token limit as max_tokens (EDGE 5)', () => {
    const out = translateResponse(
      completion(
        { content: null, tool_calls: [call('call_cut000001', 'Write', '{"content":"abc')] },
        'length',
      ),
      responseContext(),
    );
    expect(out.stop_reason).toBe('max_tokens');
    expect(out.content).toEqual([{ type: 'tool_use', id: 'call_cut000001', name: 'Write', input: {} }]);
  });

  it.each([
    ['length', {}, [], 'max_tokens', null],
    ['content_filter', {}, [], 'refusal', null],
    ['stop', { stop_reason: 'END' }, ['END'], 'stop_sequence', 'END'],
    ['stop', { stop_reason: 'OTHER' }, ['END'], 'end_turn', null],
    ['stop', {}, ['END'], 'end_turn', null],
    ['tool_calls', {}, [], 'end_turn', null],
    [null, {}, [], 'end_turn', null],
    ['something_new', {}, [], 'end_turn', null],
  ])('maps finish_reason %s %j to %s', (finish, extra, stops, stopReason, stopSequence) => {
    const out = translateResponse(
      completion({ content: 'x' }, finish as string | null, undefined, extra),
      responseContext({ stopSequences: stops as string[] }),
    );
    expect(out.stop_reason).toBe(stopReason);
    expect(out.stop_sequence).toBe(stopSequence);
  });

  it('moves cached tokens to cache_read_input_tokens', () => {
    const out = translateResponse(
      completion({ content: 'x' }, 'stop', {
        prompt_tokens: 5000,
        completion_tokens: 30,
        total_tokens: 5030,
        prompt_tokens_details: { cached_tokens: 4096 },
      }),
      responseContext(),
    );
    expect(out.usage).toEqual({
      input_tokens: 904,
      output_tokens: 30,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 4096,
    });
  });

  it('reports zero usage when the backend sends none', () => {
    const out = translateResponse(completion({ content: 'x' }, 'stop'), responseContext());
    expect(out.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('maps tool names back and replaces missing, duplicate and short ids (EDGE 6)', () => {
    const longName = 'mcp__server__' + 'x'.repeat(70);
    const out = translateResponse(
      completion(
        {
          content: null,
          tool_calls: [
            call(undefined, upstreamToolName(longName), '{}'),
            call('call_dup000001', 'A', '{}'),
            call('call_dup000001', 'B', '{}'),
            call('0', 'C', '{}'),
          ],
        },
        'tool_calls',
      ),
      responseContext({ names: ToolNameMap.fromNames([longName]) }),
    );
    const blocks = out.content as Array<{ id: string; name: string }>;
    expect(blocks.map((b) => b.name)).toEqual([longName, 'A', 'B', 'C']);
    expect(blocks[0].id).toMatch(/^toolu_[A-Za-z0-9]{24}$/);
    expect(blocks[1].id).toBe('call_dup000001');
    // Issued by the backend but unusable as they are: wrapped, so the backend gets them back.
    expect(blocks[2].id).toMatch(/^toolu_[A-Za-z0-9]{8}_[A-Za-z0-9_-]+$/);
    expect(blocks[3].id).toMatch(/^toolu_[A-Za-z0-9]{8}_[A-Za-z0-9_-]+$/);
  });

  it('remembers Gemini thought signatures by client-visible id', () => {
    const signatures = new ThoughtSignatureStore();
    const out = translateResponse(
      completion(
        {
          content: null,
          tool_calls: [call('', 'Read', '{}', { extra_content: { google: { thought_signature: 'sig-1' } } })],
        },
        'tool_calls',
      ),
      responseContext({ signatures, rememberSignatures: true }),
    );
    const id = (out.content[0] as { id: string }).id;
    expect(signatures.recall(id)).toBe('sig-1');
  });

  it('surfaces a refusal as text with stop_reason refusal', () => {
    const out = translateResponse(
      completion({ content: null, refusal: 'I cannot help with that.' }, 'stop'),
      responseContext(),
    );
    expect(out.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(out.stop_reason).toBe('refusal');
  });

  it('answers an empty choice list with an empty end_turn message', () => {
    const out = translateResponse({ ...completion({}, 'stop'), choices: [] }, responseContext());
    expect(out.content).toEqual([]);
    expect(out.stop_reason).toBe('end_turn');
  });
});
