import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../src/main/proxy/anthropicTypes';
import { translateRequest } from '../../../src/main/proxy/translate/request';
import { translationContext } from './contexts';

const base = (over: Partial<MessagesRequest>): MessagesRequest => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'hi' }],
  ...over,
});

const PNG = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' };

/** Loose view of the outbound body for assertions on fields the openai types lack. */
type Loose = Record<string, unknown> & { messages: Array<Record<string, unknown>> };
function translate(req: MessagesRequest, provider = 'openai', model = 'gpt-4.1') {
  const ctx = translationContext(provider, model);
  const out = translateRequest(req, ctx);
  return { ...out, loose: out.body as unknown as Loose, ctx };
}

describe('translateRequest: conversation', () => {
  it('pairs results with calls in call order, then the rest of the user turn (EDGE 2)', () => {
    const { loose } = translate(
      base({
        messages: [
          { role: 'user', content: 'Read a and b' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Reading both.' },
              { type: 'tool_use', id: 'toolu_A', name: 'Read', input: { file_path: '/a' } },
              { type: 'tool_use', id: 'toolu_B', name: 'Read', input: { file_path: '/b' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_B', content: 'contents of b' },
              {
                type: 'tool_result',
                tool_use_id: 'toolu_A',
                content: [{ type: 'text', text: 'contents of a' }],
              },
              { type: 'text', text: 'Now compare them.' },
            ],
          },
        ],
      }),
    );
    expect(loose.messages).toEqual([
      { role: 'user', content: 'Read a and b' },
      {
        role: 'assistant',
        content: 'Reading both.',
        tool_calls: [
          { id: 'toolu_A', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/a"}' } },
          { id: 'toolu_B', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/b"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_A', content: 'contents of a' },
      { role: 'tool', tool_call_id: 'toolu_B', content: 'contents of b' },
      { role: 'user', content: 'Now compare them.' },
    ]);
  });

  it('keeps is_error visible to the model', () => {
    const { loose } = translate(
      base({
        messages: [
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_X', name: 'Bash', input: { command: 'ls /nope' } }],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_X',
                is_error: true,
                content: 'ls: /nope: No such file',
              },
            ],
          },
        ],
      }),
    );
    expect(loose.messages[1]).toEqual({
      role: 'tool',
      tool_call_id: 'toolu_X',
      content: '[tool error] ls: /nope: No such file',
    });
  });

  it('moves images inside a tool result to a following user message', () => {
    const { loose } = translate(
      base({
        messages: [
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_S', name: 'Screenshot', input: {} }],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_S',
                content: [
                  { type: 'text', text: 'Captured.' },
                  { type: 'image', source: PNG },
                ],
              },
              { type: 'text', text: 'What do you see?' },
            ],
          },
        ],
      }),
    );
    expect(loose.messages.slice(1)).toEqual([
      {
        role: 'tool',
        tool_call_id: 'toolu_S',
        content: 'Captured.\n[1 image(s) follow in the next user message]',
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: '[images returned by tool Screenshot, call toolu_S]' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'text', text: 'What do you see?' },
        ],
      },
    ]);
  });

  it('turns a result without a matching call into user text', () => {
    const { loose, degraded } = translate(
      base({
        messages: [
          { role: 'assistant', content: 'Done.' },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_gone', content: 'late output' }],
          },
        ],
      }),
    );
    expect(loose.messages).toEqual([
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: '[result of tool call toolu_gone]\nlate output' },
    ]);
    expect(degraded).toContain('turned a tool_result without a matching tool call into user text');
  });

  it('answers a call the client never answered with a visible placeholder', () => {
    const { loose } = translate(
      base({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_Q', name: 'Read', input: {} }] },
          { role: 'user', content: 'never mind, stop' },
        ],
      }),
    );
    expect(loose.messages.slice(1)).toEqual([
      { role: 'tool', tool_call_id: 'toolu_Q', content: '[no result was provided for this tool call]' },
      { role: 'user', content: 'never mind, stop' },
    ]);
  });

  it('merges system, system blocks and role:system messages into one leading message', () => {
    const { loose } = translate(
      base({
        system: [
          { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be brief.' },
        ],
        messages: [
          { role: 'system', content: 'Extra instructions.' },
          { role: 'user', content: 'hi' },
        ],
      }),
    );
    expect(loose.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.\n\nBe brief.\n\nExtra instructions.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('merges consecutive user turns and converts images', () => {
    const { loose } = translate(
      base({
        messages: [
          { role: 'user', content: [{ type: 'text', text: '<system-reminder>x</system-reminder>' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look:' },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            ],
          },
        ],
      }),
    );
    expect(loose.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>x</system-reminder>' },
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      },
    ]);
  });

  it('collapses text-only user content into a string', () => {
    const { loose } = translate(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'one' },
              { type: 'text', text: 'two' },
            ],
          },
        ],
      }),
    );
    expect(loose.messages).toEqual([{ role: 'user', content: 'one\n\ntwo' }]);
  });

  it('inlines text documents and leaves a visible placeholder for PDFs where the backend reads none', () => {
    const { loose, degraded } = translate(
      base({
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'document',
                source: { type: 'text', media_type: 'text/plain', data: 'notes body' },
                title: 'notes',
              },
              {
                type: 'document',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
                title: 'spec',
              },
              { type: 'text', text: 'Summarise.' },
            ],
          },
        ],
      }),
      'groq',
      'openai/gpt-oss-120b',
    );
    expect(loose.messages).toEqual([
      {
        role: 'user',
        content:
          '[document "notes"]\nnotes body\n\n[document omitted: PDF document "spec" cannot be sent to this model]\n\nSummarise.',
      },
    ]);
    expect(degraded).toContain('dropped 1 document block (PDF)');
  });

  it('drops thinking, server tool and tool_reference blocks with notes (EDGE 1)', () => {
    const { loose, degraded } = translate(
      base({
        messages: [
          { role: 'user', content: 'search' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'plan', signature: 'sig' },
              { type: 'redacted_thinking', data: 'xyz' },
              { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
              { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
              { type: 'text', text: 'Found it.' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_reference', tool_name: 'Read' },
              { type: 'text', text: 'ok' },
            ],
          },
        ],
      }),
    );
    expect(loose.messages).toEqual([
      { role: 'user', content: 'search' },
      { role: 'assistant', content: 'Found it.' },
      { role: 'user', content: 'ok' },
    ]);
    expect(degraded).toEqual(
      expect.arrayContaining([
        'dropped 1 thinking block',
        'dropped 1 redacted_thinking block',
        'dropped 1 server_tool_use block',
        'dropped 1 web_search_tool_result block',
        'dropped 1 tool_reference block',
      ]),
    );
  });

  it('sends prior thinking back as reasoning_content where the backend needs it (Kimi)', () => {
    const { loose } = translate(
      base({
        messages: [
          { role: 'user', content: 'list files' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'I should call LS.', signature: 'turnout' },
              { type: 'tool_use', id: 'call_k1', name: 'LS', input: { path: '.' } },
            ],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_k1', content: 'a.txt' }] },
        ],
      }),
      'moonshot',
      'kimi-k2-0905-preview',
    );
    expect(loose.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: 'I should call LS.',
      // Kimi models get tool ids in their own form (https://platform.moonshot.ai/docs/api/tool-use).
      tool_calls: [
        { id: 'functions.LS:0', type: 'function', function: { name: 'LS', arguments: '{"path":"."}' } },
      ],
    });
    expect(loose.messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'functions.LS:0' });
  });

  it('thinking-mode DeepSeek: its own reasoning goes back, a foreign tool call gets reasoning_content ""', () => {
    // https://api-docs.deepseek.com/guides/thinking_mode: tool calls in thinking mode keep reasoning_content.
    const { loose } = translate(
      base({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'I will list.', signature: 'turnout' },
              { type: 'tool_use', id: 'call_own0000001', name: 'LS', input: {} },
            ],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_own0000001', content: 'a' }] },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'call_foreign0001', name: 'LS', input: {} }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_foreign0001', content: 'b' }] },
        ],
      }),
      'deepseek',
      'deepseek-v4-pro',
    );
    const assistants = loose.messages.filter((m) => m.role === 'assistant');
    expect(assistants.map((m) => m.reasoning_content)).toEqual(['I will list.', '']);
  });

  it('echoes Gemini thought signatures, with the documented placeholder when unknown', () => {
    const ctx = translationContext('google', 'gemini-2.5-pro');
    ctx.signatures.remember('toolu_G1', 'sig-from-last-turn');
    const { body } = translateRequest(
      base({
        messages: [
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'toolu_G1', name: 'Read', input: {} },
              { type: 'tool_use', id: 'toolu_G2', name: 'Read', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_G1', content: '1' },
              { type: 'tool_result', tool_use_id: 'toolu_G2', content: '2' },
            ],
          },
        ],
      }),
      ctx,
    );
    const calls = (body.messages[0] as unknown as { tool_calls: Array<{ extra_content?: unknown }> })
      .tool_calls;
    expect(calls.map((c) => c.extra_content)).toEqual([
      { google: { thought_signature: 'sig-from-last-turn' } },
      { google: { thought_signature: 'skip_thought_signature_validator' } },
    ]);
  });

  it('sends no thought signatures to backends without the quirk', () => {
    const { loose } = translate(
      base({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
        ],
      }),
    );
    const call = (loose.messages[0].tool_calls as Array<Record<string, unknown>>)[0];
    expect(call).not.toHaveProperty('extra_content');
  });

  it('rewrites ids the backend rejects, identically on the call and its result (EDGE 6)', () => {
    const longId = 'toolu_' + 'x'.repeat(50);
    const req = base({
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call:with.dots', name: 'Read', input: {} },
            { type: 'tool_use', id: longId, name: 'Read', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call:with.dots', content: 'r1' },
            { type: 'tool_result', tool_use_id: longId, content: 'r2' },
          ],
        },
      ],
    });
    const first = translate(req).loose;
    const calls = first.messages[0].tool_calls as Array<{ id: string }>;
    for (const call of calls) expect(call.id).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(calls[0].id).not.toBe(calls[1].id);
    expect(first.messages[1]).toMatchObject({ role: 'tool', tool_call_id: calls[0].id, content: 'r1' });
    expect(first.messages[2]).toMatchObject({ role: 'tool', tool_call_id: calls[1].id, content: 'r2' });
    // Stateless: the next turn rewrites the same ids the same way.
    expect((translate(req).loose.messages[0].tool_calls as Array<{ id: string }>).map((c) => c.id)).toEqual(
      calls.map((c) => c.id),
    );
  });

  it('gives a recycled client id a distinct upstream id per call and pairs each result', () => {
    const { loose } = translate(
      base({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 'call_0', name: 'A', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_0', content: 'first' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'call_0', name: 'B', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_0', content: 'second' }] },
        ],
      }),
    );
    const firstId = (loose.messages[0].tool_calls as Array<{ id: string }>)[0].id;
    const secondId = (loose.messages[2].tool_calls as Array<{ id: string }>)[0].id;
    expect(firstId).toBe('call_0');
    expect(secondId).not.toBe('call_0');
    expect(loose.messages[1]).toEqual({ role: 'tool', tool_call_id: 'call_0', content: 'first' });
    expect(loose.messages[3]).toEqual({ role: 'tool', tool_call_id: secondId, content: 'second' });
  });

  it('never sends name on messages, logprobs or n', () => {
    const { loose } = translate(
      base({ messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: 'u1' } }),
    );
    expect(loose).not.toHaveProperty('logprobs');
    expect(loose).not.toHaveProperty('n');
    for (const m of loose.messages) expect(m).not.toHaveProperty('name');
  });
});

describe('translateRequest: tools', () => {
  const readTool = {
    name: 'Read',
    description: 'Read a file',
    input_schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { file_path: { type: 'string', description: 'Absolute path' } },
      required: ['file_path'],
      additionalProperties: false,
    },
  };

  it('sends custom tools as functions and drops server tools with a note', () => {
    const { body, degraded } = translate(
      base({
        tools: [
          readTool,
          { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
          { type: 'bash_20250124', name: 'bash' },
          { name: 'Ping' },
        ],
      }),
    );
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'Read', description: 'Read a file', parameters: readTool.input_schema },
      },
      { type: 'function', function: { name: 'Ping', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(degraded).toEqual(
      expect.arrayContaining([
        'dropped tool web_search (web_search_20250305): it cannot run on a chat-completions backend',
        'dropped tool bash (bash_20250124): it cannot run on a chat-completions backend',
      ]),
    );
  });

  it('cleans schemas for Gemini only', () => {
    const gemini = translate(base({ tools: [readTool] }), 'google', 'gemini-2.5-pro').body;
    expect(gemini.tools?.[0]).toEqual({
      type: 'function',
      function: {
        name: 'Read',
        description: 'Read a file',
        parameters: {
          type: 'object',
          properties: { file_path: { type: 'string', description: 'Absolute path' } },
          required: ['file_path'],
        },
      },
    });
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [
      { type: 'tool', name: 'Read' },
      { type: 'function', function: { name: 'Read' } },
    ],
  ] as const)('maps tool_choice %j', (choice, expected) => {
    const { body } = translate(base({ tools: [readTool], tool_choice: choice }));
    expect(body.tool_choice).toEqual(expected);
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('maps disable_parallel_tool_use to parallel_tool_calls false', () => {
    const { body } = translate(
      base({ tools: [readTool], tool_choice: { type: 'auto', disable_parallel_tool_use: true } }),
    );
    expect(body.parallel_tool_calls).toBe(false);
  });

  it('sends no tool_choice when no tools survive', () => {
    const { body } = translate(
      base({ tools: [{ type: 'web_search_20250305', name: 'web_search' }], tool_choice: { type: 'any' } }),
    );
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('rewrites names longer than 64 characters consistently in tools, history and tool_choice', () => {
    const longName = 'mcp__my-very-long-server-name__' + 'do_something_really_specific_'.repeat(3);
    const { body, names } = translate(
      base({
        tools: [{ name: longName, input_schema: { type: 'object', properties: {} } }],
        tool_choice: { type: 'tool', name: longName },
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_L', name: longName, input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_L', content: 'ok' }] },
        ],
      }),
    );
    const upstream = (body.tools?.[0] as { function: { name: string } }).function.name;
    expect(upstream).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: upstream } });
    const call = (body.messages[0] as unknown as { tool_calls: Array<{ function: { name: string } }> })
      .tool_calls[0];
    expect(call.function.name).toBe(upstream);
    expect(names.toClient(upstream)).toBe(longName);
  });
});

describe('translateRequest: sampling and reasoning', () => {
  it('clamps max_tokens to the model ceiling and never raises it (EDGE 8)', () => {
    const clamped = translate(base({ max_tokens: 64000 }), 'openai', 'gpt-4.1');
    expect(clamped.body.max_tokens).toBe(32768);
    expect(clamped.degraded).toContain('clamped max_tokens 64000→32768');
    const small = translate(base({ max_tokens: 512 }), 'openai', 'gpt-4.1');
    expect(small.body.max_tokens).toBe(512);
    expect(small.degraded).toEqual([]);
  });

  it('shapes parameters for OpenAI reasoning models', () => {
    const { body, degraded } = translate(
      base({ max_tokens: 32000, temperature: 0.5, top_p: 0.9, top_k: 40, stop_sequences: ['END'] }),
      'openai',
      'o3',
    );
    expect(body).toMatchObject({ model: 'o3', max_completion_tokens: 32000 });
    for (const key of ['max_tokens', 'temperature', 'top_p', 'top_k', 'stop'])
      expect(body).not.toHaveProperty(key);
    expect(degraded).toEqual([
      'dropped temperature 0.5 (model accepts only 1)',
      'dropped top_p 0.9 (model does not accept it)',
      'dropped 1 stop sequence(s) (model does not accept stop)',
    ]);
  });

  it('keeps temperature 1 for fixed-temperature models and passes sampling elsewhere', () => {
    expect(translate(base({ temperature: 1 }), 'moonshot', 'kimi-k2-0905-preview').body.temperature).toBe(1);
    const { body } = translate(base({ temperature: 0.2, top_p: 0.8, top_k: 5, stop_sequences: ['###'] }));
    expect(body).toMatchObject({ temperature: 0.2, top_p: 0.8, stop: ['###'] });
    expect(body).not.toHaveProperty('top_k');
  });

  it.each([
    [{ type: 'enabled', budget_tokens: 2048 }, undefined, 'low'],
    [{ type: 'enabled', budget_tokens: 8000 }, undefined, 'medium'],
    [{ type: 'enabled', budget_tokens: 31999 }, undefined, 'high'],
    [{ type: 'adaptive' }, undefined, 'medium'],
    [{ type: 'adaptive' }, { effort: 'low' }, 'low'],
    [{ type: 'adaptive' }, { effort: 'max' }, 'high'],
  ])('maps thinking %j (output_config %j) to reasoning_effort %s', (thinking, outputConfig, effort) => {
    const { body } = translate(base({ thinking, output_config: outputConfig }), 'openai', 'gpt-5.1');
    expect(body.reasoning_effort).toBe(effort);
  });

  it('sends no reasoning parameters when thinking is disabled or absent (EDGE 9)', () => {
    expect(translate(base({ thinking: { type: 'disabled' } }), 'openai', 'gpt-5.1').body).not.toHaveProperty(
      'reasoning_effort',
    );
    expect(translate(base({}), 'openai', 'gpt-5.1').body).not.toHaveProperty('reasoning_effort');
  });

  it('drops thinking for models without reasoning_effort, noting only explicit requests', () => {
    const enabled = translate(base({ thinking: { type: 'enabled', budget_tokens: 5000 } }));
    expect(enabled.body).not.toHaveProperty('reasoning_effort');
    expect(enabled.degraded).toContain('dropped thinking (model has no reasoning_effort)');
    expect(translate(base({ thinking: { type: 'adaptive' } })).degraded).toEqual([]);
  });

  it('asks for usage when streaming', () => {
    expect(translate(base({ stream: true })).body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const plain = translate(base({})).body;
    expect(plain.stream).toBe(false);
    expect(plain).not.toHaveProperty('stream_options');
  });

  it('accepts a Claude Code-like request with betas and server tools (EDGE 1)', () => {
    const { body, degraded } = translate(
      base({
        max_tokens: 64000,
        stream: true,
        thinking: { type: 'adaptive' },
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        output_config: { effort: 'high' },
        service_tier: 'auto',
        metadata: { user_id: 'user_abc_account__session_123' },
        messages: [
          { role: 'system', content: 'x-anthropic-billing-header' },
          { role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] },
        ],
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      }),
      'groq',
      'openai/gpt-oss-120b',
    );
    expect(body).toMatchObject({ model: 'openai/gpt-oss-120b', max_tokens: 64000, reasoning_effort: 'high' });
    expect(body.messages).toEqual([
      { role: 'system', content: 'x-anthropic-billing-header' },
      { role: 'user', content: 'hello' },
    ]);
    expect(degraded).toEqual([
      'dropped tool web_search (web_search_20250305): it cannot run on a chat-completions backend',
    ]);
  });
});
