/**
 * Translation table for the Responses request translator: Anthropic request fields and blocks →
 * Responses API `input` items and parameters (OpenAI's Responses API reference, "Create a
 * model response"). Expected values are written by hand. Tool results, PDFs, structured output
 * and the reasoning round trip are covered over HTTP in responsesDialect.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../src/main/proxy/anthropicTypes';
import { translateResponsesRequest } from '../../../src/main/proxy/translate/responses/request';
import { ThoughtSignatureStore } from '../../../src/main/proxy/translate/thoughtSignatures';
import { builtinProvider, modelTraits } from '../../../src/shared/providerCatalog';

const openai = builtinProvider('openai')!;

function translate(req: Partial<MessagesRequest>, model = 'gpt-5.1-codex') {
  return translateResponsesRequest(
    { model: 'claude-sonnet-4-6', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }], ...req },
    {
      provider: openai,
      traits: modelTraits(openai, model),
      upstreamModel: model,
      clientModel: 'claude-sonnet-4-6',
      signatures: new ThoughtSignatureStore(),
    },
  );
}

const tool = { name: 'Bash', input_schema: { type: 'object', properties: {} } };

describe('Responses request translation table', () => {
  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [
      { type: 'tool', name: 'Bash' },
      { type: 'function', name: 'Bash' },
    ],
  ])('tool_choice %j → %j', (choice, expected) => {
    expect(translate({ tools: [tool], tool_choice: choice as never }).body.tool_choice).toEqual(expected);
  });

  it.each([
    [{ type: 'enabled', budget_tokens: 2000 }, undefined, { effort: 'low', summary: 'auto' }],
    [{ type: 'enabled', budget_tokens: 8000 }, undefined, { effort: 'medium', summary: 'auto' }],
    [{ type: 'adaptive' }, { effort: 'max' }, { effort: 'high', summary: 'auto' }],
  ])('thinking %j with output_config %j → reasoning %j', (thinking, outputConfig, expected) => {
    const { body } = translate({ thinking: thinking as never, output_config: outputConfig as never });
    expect(body.reasoning).toEqual(expected);
    expect(body.include).toEqual(['reasoning.encrypted_content']);
  });

  it.each([[undefined], [{ type: 'disabled' }]])('thinking %j sends no reasoning parameters', (thinking) => {
    const { body } = translate({ thinking: thinking as never });
    expect(body).not.toHaveProperty('reasoning');
    expect(body.include).toEqual([]);
  });

  it('a model without reasoning gets no reasoning, no include, and keeps temperature and top_p', () => {
    const { body } = translate({ temperature: 0.2, top_p: 0.9 }, 'gpt-4.1');
    expect(body.reasoning).toBeUndefined();
    expect(body.include).toEqual([]);
    expect(body.temperature).toBe(0.2);
    expect(body.top_p).toBe(0.9);
    expect(body.max_output_tokens).toBe(1000);
  });

  it('raises max_tokens below 16 to the Responses API minimum, with a note', () => {
    // OpenAI and Azure answer 400 "Invalid 'max_output_tokens': integer below minimum value.
    // Expected a value >= 16" (vectorize-io/hindsight#58); Claude Code's quota probe sends 1.
    const { body, degraded } = translate({ max_tokens: 1 });
    expect(body.max_output_tokens).toBe(16);
    expect(degraded).toContain("raised max_tokens 1→16 (the Responses API's minimum)");
  });

  it('drops temperature for a reasoning model and stop sequences everywhere, with notes', () => {
    const { body, degraded } = translate({ temperature: 0.2, stop_sequences: ['END'] }, 'gpt-4.1');
    expect(body).not.toHaveProperty('stop');
    expect(degraded).toContain('dropped 1 stop sequence(s) (the Responses API has no stop)');
    const codex = translate({ temperature: 0.2 });
    expect(codex.body.temperature).toBeUndefined();
    expect(codex.degraded).toContain('dropped temperature 0.2 (model accepts only 1)');
    // Claude Code sends temperature 1 with thinking: not sent either.
    expect(translate({ temperature: 1 }).body).not.toHaveProperty('temperature');
  });

  it('assistant blocks: text, thinking of ours, tool_use in order; foreign thinking, redacted thinking and server tool blocks dropped', () => {
    const { body, degraded } = translate({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'xyz' },
            { type: 'thinking', thinking: 'mine', signature: 'turnout.responses.v1:ENC1' },
            { type: 'thinking', thinking: 'chat-dialect reasoning', signature: 'turnout' },
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            { type: 'text', text: 'Part one.' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
            { type: 'text', text: 'Part two.' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a\nb' }] },
          ],
        },
      ],
    });
    expect(body.input.slice(1)).toEqual([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'mine' }], encrypted_content: 'ENC1' },
      { type: 'message', role: 'assistant', content: 'Part one.' },
      { type: 'function_call', call_id: 'toolu_1', name: 'Bash', arguments: '{"command":"ls"}' },
      { type: 'message', role: 'assistant', content: 'Part two.' },
      { type: 'function_call_output', call_id: 'toolu_1', output: 'a\nb' },
    ]);
    expect(degraded).toEqual(
      expect.arrayContaining([
        'dropped 1 redacted_thinking block',
        'dropped 1 thinking block',
        'dropped 1 server_tool_use block',
        'dropped 1 web_search_tool_result block',
      ]),
    );
  });

  it('user blocks: text, base64 and URL images; an orphan tool_result becomes user text', () => {
    const { body } = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_gone', content: 'late result' },
            { type: 'text', text: 'look' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/x.png' } },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
          ],
        },
      ],
    });
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: '[result of tool call toolu_gone]' },
          { type: 'input_text', text: 'late result' },
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'https://example.com/x.png', detail: 'auto' },
          { type: 'input_image', image_url: 'data:image/jpeg;base64,/9j/', detail: 'auto' },
        ],
      },
    ]);
  });

  it('system text from the system field and system-role messages → instructions', () => {
    const { body } = translate({
      system: 'Be brief.',
      messages: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(body.instructions).toBe('Be brief.\n\nUse tools.');
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    ]);
  });

  it('web_search server tool → OpenAI web_search with domain filter and location; the tool is not sent as a function', () => {
    const { body, webSearch } = translate({
      tools: [
        tool,
        {
          type: 'web_search_20250305',
          name: 'web_search',
          allowed_domains: ['docs.example.com'],
          user_location: { type: 'approximate', city: 'Berlin', country: 'DE' },
        },
      ] as never,
    });
    expect(webSearch).toBe(true);
    expect(body.tools).toEqual([
      { type: 'function', name: 'Bash', parameters: { type: 'object', properties: {} }, strict: false },
      {
        type: 'web_search',
        filters: { allowed_domains: ['docs.example.com'] },
        user_location: { type: 'approximate', city: 'Berlin', country: 'DE' },
      },
    ]);
    expect(body.include).toEqual(['web_search_call.action.sources']);
  });
});
