/**
 * A finished Anthropic message as the event sequence a streaming client expects
 * (message_start, each block's start/deltas/stop, message_delta, message_stop). Used where the
 * answer had to be fetched whole (web search) but the client asked for a stream.
 */
import type { MessageResponse, OutboundBlock, StopReason, StreamEvent, Usage } from '../anthropicTypes';
import { scaleUsage } from '../contextWindow';
import type { ResponseContext } from './responseContext';
import { ZERO_USAGE } from './usage';

/**
 * How every stream ends: message_delta with the stop reason and the usage the client is shown
 * (input counts scaled for context scaling; callers keep the real counts), then message_stop.
 */
export function closingEvents(
  stopReason: StopReason,
  stopSequence: string | null,
  usage: Usage,
  inputScale = 1,
): StreamEvent[] {
  return [
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence },
      usage: scaleUsage(usage, inputScale),
    },
    { type: 'message_stop' },
  ];
}

/**
 * How every stream this proxy writes begins: message_start, then a ping. Clients such as
 * LangChain read input tokens here, so it carries the cheap estimate, scaled like every input
 * count the client sees (context scaling); the exact count follows in message_delta.
 */
export function openingEvents(rctx: ResponseContext): StreamEvent[] {
  return [
    {
      type: 'message_start',
      message: {
        id: rctx.messageId,
        type: 'message',
        role: 'assistant',
        model: rctx.clientModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          ...ZERO_USAGE,
          input_tokens: Math.round((rctx.inputTokenEstimate ?? 0) * (rctx.inputScale ?? 1)),
        },
      },
    },
    { type: 'ping' },
  ];
}

function blockEvents(block: OutboundBlock, index: number): StreamEvent[] {
  const stop: StreamEvent = { type: 'content_block_stop', index };
  switch (block.type) {
    case 'text':
      return [
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
        ...(block.text
          ? [{ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } } as const]
          : []),
        ...(block.citations ?? []).map(
          (citation) =>
            ({ type: 'content_block_delta', index, delta: { type: 'citations_delta', citation } }) as const,
        ),
        stop,
      ];
    case 'thinking':
      return [
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        },
        { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking } },
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: block.signature },
        },
        stop,
      ];
    case 'redacted_thinking':
      // reasoning_details carried through the client (reasoningDetails.ts): whole in the start.
      return [
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'redacted_thinking', data: block.data },
        },
        stop,
      ];
    case 'tool_use':
      return [
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        },
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
        },
        stop,
      ];
    case 'server_tool_use':
      return [
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'server_tool_use', id: block.id, name: block.name, input: {} },
        },
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
        },
        stop,
      ];
    case 'web_search_tool_result':
      return [{ type: 'content_block_start', index, content_block: block }, stop];
  }
}

export function messageEvents(message: MessageResponse): StreamEvent[] {
  const { content, stop_reason, stop_sequence, usage, ...rest } = message;
  return [
    {
      type: 'message_start',
      message: {
        ...rest,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 0 },
      },
    },
    ...content.flatMap(blockEvents),
    { type: 'message_delta', delta: { stop_reason, stop_sequence }, usage },
    { type: 'message_stop' },
  ];
}
