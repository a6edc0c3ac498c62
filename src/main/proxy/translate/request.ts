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
import { searchParams, searchQuery, webSearchTool } from './webSearch';

export interface TranslatedRequest {
  body: ChatCompletionCreateParams;
  /** Needed again to translate the answer back into the client's own tool names. */
  names: ToolNameMap;
  /** Human notes on what was dropped or changed, for the request log. */
  degraded: string[];
  /** Set when the backend searches the web for this request (the body is then not streamed). */
  search: { query: string } | null;
}

export function translateRequest(req: MessagesRequest, ctx: TranslationContext): TranslatedRequest {
  const notes = new DegradationNotes();
  const quirks = ctx.provider.quirks;
  const names = ToolNameMap.fromRequest(req);

  const messages = translateConversation(req, {
    names,
    ids: new OutboundToolIds(quirks.maxToolCallIdLength),
    notes,
    quirks,
    signatures: ctx.signatures,
  });
  // Anthropic's web search tool becomes the backend's own search, where the catalog knows one.
  const searchTool = ctx.traits.webSearch ? webSearchTool(req) : undefined;
  const search = searchTool && ctx.traits.webSearch ? searchParams(ctx.traits.webSearch, searchTool) : null;
  const toolRequest = searchTool ? { ...req, tools: req.tools?.filter((t) => t !== searchTool) } : req;
  const tools = translateTools(toolRequest, names, quirks.toolSchemaDialect, notes);
  const sampling = translateSampling(req, ctx.traits, notes);
  const stream = req.stream === true && !search;

  const body = {
    model: ctx.upstreamModel,
    messages,
    ...sampling,
    ...tools,
    ...search,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
  } satisfies ChatCompletionCreateParams;

  if (search) notes.add(`web search through the backend (${ctx.traits.webSearch})`);
  for (const { client, upstream } of names.rewritten) notes.add(`renamed tool ${client} → ${upstream}`);
  return { body, names, degraded: notes.list(), search: search ? { query: searchQuery(req) } : null };
}
