import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../src/main/proxy/errors';
import { parseCountTokensRequest, parseMessagesRequest } from '../../src/main/proxy/validateRequest';

const valid = () => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'hi' }] as unknown[],
});

function rejection(fn: () => unknown): ProxyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProxyError);
    return error as ProxyError;
  }
  throw new Error('expected a rejection');
}

describe('parseMessagesRequest accepts what Claude Code and the SDKs send (EDGE 1)', () => {
  it.each([
    [
      'unknown top-level and beta fields',
      { context_management: { edits: [] }, output_config: { effort: 'high' }, service_tier: 'auto', foo: 1 },
    ],
    [
      'role system inside messages',
      {
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'hi' },
        ],
      },
    ],
    ['thinking enabled', { thinking: { type: 'enabled', budget_tokens: 2048 } }],
    ['thinking adaptive', { thinking: { type: 'adaptive' } }],
    ['thinking disabled', { thinking: { type: 'disabled' } }],
    [
      'server tools without input_schema',
      { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] },
    ],
    ['typed tools without a name', { tools: [{ type: 'code_execution_20250522' }] }],
    ['custom tool without input_schema', { tools: [{ name: 'Ping' }] }],
    [
      'system as blocks with cache_control',
      { system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }] },
    ],
    [
      'history with unknown and server blocks',
      {
        messages: [
          { role: 'user', content: 'q' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 't', signature: 's' },
              { type: 'redacted_thinking', data: 'x' },
              { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
              { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
              { type: 'brand_new_block', whatever: true },
              { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: [{ type: 'tool_reference', tool_name: 'Read' }],
              },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'x' } },
            ],
          },
        ],
      },
    ],
  ])('%s', (_name, over) => {
    const body = { ...valid(), ...over };
    expect(parseMessagesRequest(body)).toBe(body);
  });
});

describe('parseMessagesRequest rejects what cannot be processed', () => {
  it.each([
    ['not an object', [], 'Request body must be a JSON object.'],
    ['missing messages', { messages: undefined }, 'messages: Field required'],
    ['messages not a list', { messages: 'hi' }, 'messages: Input should be a valid list'],
    ['empty messages', { messages: [] }, 'messages: at least one message is required'],
    ['missing model', { model: undefined }, 'model: Field required'],
    ['model not a string', { model: 42 }, 'model: Input should be a valid string'],
    ['missing max_tokens', { max_tokens: undefined }, 'max_tokens: Field required'],
    ['max_tokens not an integer', { max_tokens: 10.5 }, 'max_tokens: Input should be a valid integer'],
    ['max_tokens a string', { max_tokens: '100' }, 'max_tokens: Input should be a valid integer'],
    ['max_tokens zero', { max_tokens: 0 }, 'max_tokens: Input should be greater than or equal to 1'],
    [
      'bad role',
      { messages: [{ role: 'tool', content: 'x' }] },
      "messages.0.role: Input should be 'user' or 'assistant'",
    ],
    ['message not an object', { messages: ['hi'] }, 'messages.0: Input should be a valid dictionary'],
    ['missing content', { messages: [{ role: 'user' }] }, 'messages.0.content: Field required'],
    [
      'content a number',
      { messages: [{ role: 'user', content: 5 }] },
      'messages.0.content: Input should be a valid string or list',
    ],
    [
      'block without type',
      { messages: [{ role: 'user', content: [{ text: 'x' }] }] },
      'messages.0.content.0.type: Field required',
    ],
    [
      'tool_use without id',
      {
        messages: [
          { role: 'user', content: 'a' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'b' },
              { type: 'tool_use', name: 'Read', input: {} },
            ],
          },
        ],
      },
      'messages.1.content.1.tool_use.id: Field required',
    ],
    [
      'tool_use without name',
      { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', input: {} }] }] },
      'messages.0.content.0.tool_use.name: Field required',
    ],
    [
      'tool_result without tool_use_id',
      { messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] },
      'messages.0.content.0.tool_result.tool_use_id: Field required',
    ],
    ['tools not a list', { tools: { name: 'Read' } }, 'tools: Input should be a valid list'],
    [
      'custom tool without name',
      { tools: [{ input_schema: { type: 'object' } }] },
      'tools.0.name: Field required',
    ],
    [
      'tool_choice tool without name',
      { tool_choice: { type: 'tool' } },
      'tool_choice.tool.name: Field required',
    ],
  ])('%s', (_name, over, message) => {
    const body = Array.isArray(over) ? over : { ...valid(), ...over };
    const error = rejection(() => parseMessagesRequest(body));
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toBe(message);
  });
});

describe('parseCountTokensRequest', () => {
  it('does not require max_tokens', () => {
    const body = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'count me' }] };
    expect(parseCountTokensRequest(body)).toBe(body);
  });

  it('still validates messages and model', () => {
    expect(rejection(() => parseCountTokensRequest({ model: 'm' })).message).toBe('messages: Field required');
    expect(
      rejection(() => parseCountTokensRequest({ messages: [{ role: 'user', content: 'x' }] })).message,
    ).toBe('model: Field required');
  });
});
