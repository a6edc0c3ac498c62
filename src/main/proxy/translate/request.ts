/**
 * One Anthropic Messages request → one chat-completions request for the routed backend.
 * Every provider difference is read from the context (quirks, model traits), never from the
 * provider's id; every loss is reported in `degraded` for the request log.
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { MessagesRequest } from '../anthropicTypes';
import type { TranslationContext } from './context';
import { translateConversation } from './conversation';
import { DegradationNotes } from './degradationNotes';
import { translateSampling } from './samplingParams';
import { OutboundToolIds } from './toolIds';
import { translateTools } from './toolDefinitions';
import { ToolNameMap } from './toolNames';

export interface TranslatedRequest {
  body: ChatCompletionCreateParams;
  /** Needed again to translate the answer back into the client's own tool names. */
  names: ToolNameMap;
  /** Human notes on what was dropped or changed, for the request log. */
  degraded: string[];
}

export function translateRequest(req: MessagesRequest, ctx: TranslationContext): TranslatedRequest {
  const notes = new DegradationNotes();
  const quirks = ctx.provider.quirks;
  const names = ToolNameMap.fromRequest(req);

  const messages = translateConversation(req, {
    names,
    ids: new OutboundToolIds(quirks.maxToolCallIdLength, ctx.traits.toolIdFormat),
    notes,
    quirks,
    signatures: ctx.signatures,
    reasoningHistory: ctx.traits.reasoningHistory,
    messageOrder: ctx.traits.messageOrder,
  });
  const tools = translateTools(req, names, quirks.toolSchemaDialect, notes);
  const sampling = translateSampling(req, ctx.traits, notes);

  const body = {
    model: ctx.upstreamModel,
    messages,
    ...sampling,
    ...tools,
    ...(req.stream === true ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
    // Model-rule extras for whole answers (DashScope's Qwen3 needs enable_thinking: false).
    ...(req.stream === true ? {} : ctx.traits.nonStreamingBody),
  } satisfies ChatCompletionCreateParams;

  for (const { client, upstream } of names.rewritten) notes.add(`renamed tool ${client} → ${upstream}`);
  return { body, names, degraded: notes.list() };
}
