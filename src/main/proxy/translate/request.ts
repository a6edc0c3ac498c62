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
import { requestedSchema, translateStructuredOutput } from './structuredOutput';
import { OutboundToolIds } from './toolIds';
import { translateTools } from './toolDefinitions';
import { ToolNameMap } from './toolNames';

export interface TranslatedRequest {
  body: ChatCompletionCreateParams;
  /** Needed again to translate the answer back into the client's own tool names. */
  names: ToolNameMap;
  /** Human notes on what was dropped or changed, for the request log. */
  degraded: string[];
  /** The tool whose arguments are the answer's text (structured output by forced tool). */
  structuredOutputTool?: string;
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
    readsPdf: ctx.provider.readsPdf === true,
    messageOrder: ctx.traits.messageOrder,
  });
  const declaredTools = translateTools(req, names, quirks.toolSchemaDialect, notes);
  const schema = requestedSchema(req);
  const structured = schema
    ? translateStructuredOutput(
        schema,
        ctx.provider.structuredOutput ?? 'json-schema',
        quirks.toolSchemaDialect,
        declaredTools,
        notes,
      )
    : undefined;
  const tools = structured?.params ?? declaredTools;
  // Claude Code's metadata.user_id, in the field the backend reads (OpenAI's `user`).
  const userId = typeof req.metadata?.user_id === 'string' ? req.metadata.user_id : undefined;
  const user = ctx.provider.userField && userId ? { [ctx.provider.userField]: userId.slice(0, 256) } : {};
  const sampling = translateSampling(req, ctx.traits, notes);

  const body = {
    model: ctx.upstreamModel,
    messages,
    ...sampling,
    ...tools,
    ...user,
    ...(req.stream === true ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
    // Model-rule extras for whole answers (DashScope's Qwen3 needs enable_thinking: false).
    ...(req.stream === true ? {} : ctx.traits.nonStreamingBody),
  } satisfies ChatCompletionCreateParams;

  for (const { client, upstream } of names.rewritten) notes.add(`renamed tool ${client} → ${upstream}`);
  return { body, names, degraded: notes.list(), structuredOutputTool: structured?.tool };
}
