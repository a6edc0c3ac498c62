/**
 * A whole (non-streamed) Responses API answer → an Anthropic message. Output items map one to
 * one, in order: reasoning → thinking (the encrypted item in its signature), message → text
 * (url citations as citations, refusals as text), function_call → tool_use, web_search_call →
 * server_tool_use + web_search_tool_result. Other item kinds have no Anthropic form and are
 * skipped.
 */
import type { Response as OpenAiResponse } from 'openai/resources/responses/responses';
import type { MessageResponse, OutboundBlock } from '../../anthropicTypes';
import { clientToolName, THINKING_SIGNATURE, type ResponseContext } from '../responseContext';
import { parseToolArguments } from '../toolArguments';
import { InboundToolIds } from '../toolIds';
import { signatureForReasoning } from './reasoningSignature';
import { responsesStopReason } from './stopReason';
import { translateResponsesUsage } from './usage';
import { citationOf, searchBlocks, type WebSearchCallItem } from './webSearch';

type Item = Record<string, unknown>;

export function reasoningSignature(item: { encrypted_content?: unknown }): string {
  return typeof item.encrypted_content === 'string' && item.encrypted_content
    ? signatureForReasoning(item.encrypted_content)
    : THINKING_SIGNATURE;
}

export function summaryText(item: { summary?: unknown }): string {
  if (!Array.isArray(item.summary)) return '';
  return item.summary
    .map((part) => (part as { text?: unknown })?.text)
    .filter((t): t is string => typeof t === 'string' && t.length > 0)
    .join('\n\n');
}

export function translateResponsesResponse(answer: OpenAiResponse, rctx: ResponseContext): MessageResponse {
  const content: OutboundBlock[] = [];
  const ids = new InboundToolIds();
  const truncated = answer.status === 'incomplete';
  let refused = false;
  let answered = false;
  for (const raw of Array.isArray(answer.output) ? (answer.output as unknown as Item[]) : []) {
    if (!raw || typeof raw !== 'object') continue;
    switch (raw.type) {
      case 'reasoning': {
        const thinking = summaryText(raw);
        const signature = reasoningSignature(raw);
        // A reasoning item with neither summary nor encrypted content carries nothing.
        if (thinking || signature !== THINKING_SIGNATURE)
          content.push({ type: 'thinking', thinking, signature });
        break;
      }
      case 'message':
        for (const part of Array.isArray(raw.content) ? (raw.content as Item[]) : []) {
          if (part?.type === 'output_text' && typeof part.text === 'string' && part.text) {
            const text = part.text;
            answered = true;
            const citations = (Array.isArray(part.annotations) ? part.annotations : [])
              .map((a) => citationOf(a, text))
              .filter((c) => c !== undefined);
            content.push(citations.length > 0 ? { type: 'text', text, citations } : { type: 'text', text });
          } else if (part?.type === 'refusal' && typeof part.refusal === 'string' && part.refusal) {
            refused = true;
            content.push({ type: 'text', text: part.refusal });
          }
        }
        break;
      case 'function_call': {
        const args = typeof raw.arguments === 'string' ? raw.arguments : '';
        content.push({
          type: 'tool_use',
          id: ids.assign(typeof raw.call_id === 'string' ? raw.call_id : undefined),
          name: clientToolName(rctx, typeof raw.name === 'string' ? raw.name : ''),
          input: parseToolArguments(args, truncated).input,
        });
        break;
      }
      case 'web_search_call':
        content.push(...searchBlocks(raw as unknown as WebSearchCallItem));
        break;
      default:
        break;
    }
  }
  const stopReason = responsesStopReason({
    status: answer.status,
    incompleteReason: answer.incomplete_details?.reason,
    hasToolCalls: content.some((b) => b.type === 'tool_use'),
    refused: refused && !answered,
  });
  return {
    id: rctx.messageId,
    type: 'message',
    role: 'assistant',
    model: rctx.clientModel,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: translateResponsesUsage(answer.usage),
  };
}
