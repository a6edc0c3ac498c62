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
import { searchParams, searchQuery, webSearchTool } from './webSearch';

export interface TranslatedRequest {
  body: ChatCompletionCreateParams;
  /** Needed again to translate the answer back into the client's own tool names. */
  names: ToolNameMap;
  /** Human notes on what was dropped or changed, for the request log. */
  degraded: string[];
  /** The tool whose arguments are the answer's text (structured output by forced tool). */
  structuredOutputTool?: string;
  /** Set when the backend searches the web for this request (the body is then not streamed). */
  search: { query: string } | null;
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
  // Anthropic's web search tool becomes the backend's own search, where the catalog knows one.
  const searchTool = ctx.traits.webSearch ? webSearchTool(req) : undefined;
  const search = searchTool && ctx.traits.webSearch ? searchParams(ctx.traits.webSearch, searchTool) : null;
  const toolRequest = searchTool ? { ...req, tools: req.tools?.filter((t) => t !== searchTool) } : req;
  const declaredTools = translateTools(toolRequest, names, quirks.toolSchemaDialect, notes);
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
  const stream = req.stream === true && !search;

  const body = {
    model: ctx.upstreamModel,
    messages,
    ...sampling,
    ...tools,
    ...user,
    ...search,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
    // Model-rule extras for whole answers (DashScope's Qwen3 needs enable_thinking: false).
    ...(stream ? {} : ctx.traits.nonStreamingBody),
  } satisfies ChatCompletionCreateParams;

  if (search) notes.add(`web search through the backend (${ctx.traits.webSearch})`);
  for (const { client, upstream } of names.rewritten) notes.add(`renamed tool ${client} → ${upstream}`);
  return {
    body,
    names,
    degraded: notes.list(),
    search: search ? { query: searchQuery(req) } : null,
    structuredOutputTool: structured?.tool,
  };
}
