/**
 * A whole (non-streamed) chat completion → an Anthropic message. Content order follows what
 * Anthropic clients expect: thinking first, then text, then tool_use blocks.
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { MessageResponse, OutboundBlock } from '../anthropicTypes';
import { clientToolName, THINKING_SIGNATURE, type ResponseContext } from './responseContext';
import { mapStopReason } from './stopReason';
import { parseToolArguments } from './toolArguments';
import { dataForDetails, reasoningDetailsOf } from './reasoningDetails';
import { InboundToolIds } from './toolIds';
import { chunkUsageOf, matchedStopOf, reasoningTextOf, thoughtSignatureOf } from './upstreamExtras';
import { translateUsage } from './usage';
import { urlCitations, webSearchBlocks } from './webSearch';

export function translateResponse(completion: ChatCompletion, rctx: ResponseContext): MessageResponse {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  // Some servers send "" for "no reason given" (xAI): the same as absent.
  const finishReason = choice?.finish_reason || null;
  const content: OutboundBlock[] = [];

  const reasoning = reasoningTextOf(message);
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: THINKING_SIGNATURE });
  const details = reasoningDetailsOf(message);
  if (details) content.push({ type: 'redacted_thinking', data: dataForDetails(details) });

  const text = textOf(message?.content);
  const refusal = typeof message?.refusal === 'string' && message.refusal ? message.refusal : undefined;
  if (rctx.webSearch) content.push(...webSearchBlocks(rctx.webSearch.query, text, urlCitations(message)));
  // Whitespace alone (the "\n\n" some backends put before tool calls) is never a block.
  else if (text.trim()) content.push({ type: 'text', text });
  else if (refusal) content.push({ type: 'text', text: refusal });

  const ids = new InboundToolIds();
  const truncated = finishReason === 'length';
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== undefined && call.type !== 'function') continue;
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } }).function;
    if (rctx.structuredOutputTool !== undefined && fn?.name === rctx.structuredOutputTool) {
      // Structured output asked for through a forced tool: its arguments are the answer.
      const json = typeof fn.arguments === 'string' && fn.arguments.trim() ? fn.arguments : '{}';
      content.push({ type: 'text', text: json });
      continue;
    }
    const id = ids.assign(call.id);
    const signature = thoughtSignatureOf(call);
    if (signature && rctx.rememberSignatures) rctx.signatures.remember(id, signature);
    const raw = typeof fn?.arguments === 'string' ? fn.arguments : '';
    content.push({
      type: 'tool_use',
      id,
      name: clientToolName(rctx, typeof fn?.name === 'string' ? fn.name : ''),
      input: parseToolArguments(raw, truncated).input,
    });
  }

  const { stopReason, stopSequence } = mapStopReason({
    finishReason,
    hasToolCalls: content.some((b) => b.type === 'tool_use'),
    matchedStop: matchedStopOf(choice),
    stopSequences: rctx.stopSequences,
    refused: !text && refusal !== undefined,
  });

  return {
    id: rctx.messageId,
    type: 'message',
    role: 'assistant',
    model: rctx.clientModel,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    usage: rctx.webSearch
      ? { ...translateUsage(chunkUsageOf(completion)), server_tool_use: { web_search_requests: 1 } }
      : translateUsage(chunkUsageOf(completion)),
  };
}

/** Message content is a string per the spec; a few servers send an array of text parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => ((part as { type?: unknown }).type === 'text' ? (part as { text?: unknown }).text : ''))
    .filter((t): t is string => typeof t === 'string')
    .join('');
}
