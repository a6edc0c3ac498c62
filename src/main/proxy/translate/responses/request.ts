/**
 * One Anthropic Messages request → one OpenAI Responses API request (`responses.create`).
 *
 * Shape decisions (the chat dialect's conversation.ts explains the shared ones):
 * - The system prompt becomes `instructions`; turns become `input` items in order.
 * - An assistant turn becomes, block by block: a `reasoning` item for a thinking block this
 *   dialect produced (its signature carries the encrypted reasoning), an assistant `message`
 *   for text, a `function_call` for each tool_use. Other thinking blocks are dropped: the
 *   backend cannot verify reasoning it did not produce.
 * - A user turn becomes one `function_call_output` per call of the turn before, in call order
 *   (a placeholder when the client sent none), then one user `message` with the rest.
 * - `store: false` always: OpenAI keeps nothing, and reasoning is carried by the client instead
 *   (`include: ["reasoning.encrypted_content"]`).
 */
import type { ResponseCreateParams } from 'openai/resources/responses/responses';
import type { ImageSource, MessagesRequest, ToolResultBlock, ToolUseBlock } from '../../anthropicTypes';
import type { TranslationContext } from '../context';
import {
  MISSING_TOOL_RESULT,
  TOOL_ERROR_PREFIX,
  documentText,
  mergeTurns,
  systemText,
  type Block,
  type ConversationContext,
} from '../conversation';
import { DegradationNotes } from '../degradationNotes';
import { translateSampling } from '../samplingParams';
import { OutboundToolIds } from '../toolIds';
import { translateTools } from '../toolDefinitions';
import { ToolNameMap } from '../toolNames';
import { reasoningFromSignature } from './reasoningSignature';
import { isWebSearchTool, webSearchTool } from './webSearch';

export type InputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' }
  | { type: 'input_file'; filename: string; file_data: string };

export type InputItem =
  | { type: 'message'; role: 'user'; content: InputContent[] }
  | { type: 'message'; role: 'assistant'; content: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string | InputContent[] }
  | { type: 'reasoning'; summary: Array<{ type: 'summary_text'; text: string }>; encrypted_content: string };

export interface ResponsesBody {
  model: string;
  instructions?: string;
  input: InputItem[];
  store: false;
  include: string[];
  stream: boolean;
  max_output_tokens: number;
  temperature?: number;
  top_p?: number;
  reasoning?: { effort?: 'low' | 'medium' | 'high'; summary: 'auto' };
  tools?: Array<Record<string, unknown>>;
  tool_choice?: 'auto' | 'required' | 'none' | { type: 'function'; name: string };
  parallel_tool_calls?: boolean;
  text?: { format: { type: 'json_schema'; name: string; schema: unknown; strict: boolean } };
}

export interface TranslatedResponsesRequest {
  body: ResponsesBody;
  names: ToolNameMap;
  degraded: string[];
  /** The request carries Anthropic's web_search server tool, served by OpenAI's. */
  webSearch: boolean;
}

interface CallSite {
  clientId: string;
  upstreamId: string;
  name: string;
}

export function translateResponsesRequest(
  req: MessagesRequest,
  ctx: TranslationContext,
): TranslatedResponsesRequest {
  const notes = new DegradationNotes();
  const quirks = ctx.provider.quirks;
  const names = ToolNameMap.fromRequest(req);
  const cctx: ConversationContext = {
    names,
    ids: new OutboundToolIds(quirks.maxToolCallIdLength),
    notes,
    quirks,
    signatures: ctx.signatures,
  };

  const input: InputItem[] = [];
  let unanswered: CallSite[] = [];
  for (const turn of mergeTurns(req.messages)) {
    if (turn.role === 'assistant') {
      input.push(...placeholderOutputs(unanswered, cctx));
      const { items, calls } = assistantItems(turn.blocks, cctx);
      input.push(...items);
      unanswered = calls;
    } else {
      input.push(...userItems(turn.blocks, unanswered, cctx));
      unanswered = [];
    }
  }
  input.push(...placeholderOutputs(unanswered, cctx));

  const sampling = translateSampling(req, ctx.traits, notes);
  const body: ResponsesBody = {
    model: ctx.upstreamModel,
    input,
    store: false,
    include: [],
    stream: req.stream === true,
    max_output_tokens: outputLimit(
      sampling.max_tokens ?? sampling.max_completion_tokens ?? req.max_tokens,
      notes,
    ),
  };
  const instructions = systemText(req);
  if (instructions) body.instructions = instructions;
  // Reasoning models take no temperature at all here, not even their only value (1).
  if (sampling.temperature !== undefined && ctx.traits.temperature !== 'fixed-1') {
    body.temperature = sampling.temperature;
  }
  if (sampling.top_p !== undefined) body.top_p = sampling.top_p;
  if (sampling.stop)
    notes.add(`dropped ${sampling.stop.length} stop sequence(s) (the Responses API has no stop)`);
  const thinking = req.thinking?.type === 'enabled' || req.thinking?.type === 'adaptive';
  if (ctx.traits.reasoningEffort && thinking) {
    // Asking for the summary and the encrypted item lets the client see the one and hand the
    // other back next turn. Without thinking, as in the chat dialect, no reasoning parameter.
    body.reasoning = {
      summary: 'auto',
      ...(sampling.reasoning_effort ? { effort: sampling.reasoning_effort } : {}),
    };
    body.include.push('reasoning.encrypted_content');
  }

  const clientTools = (req.tools ?? []).filter((t) => !isWebSearchTool(t));
  const chatTools = translateTools({ ...req, tools: clientTools }, names, quirks.toolSchemaDialect, notes);
  const tools: Array<Record<string, unknown>> = (chatTools.tools ?? []).map(({ function: fn }) => ({
    type: 'function',
    name: fn.name,
    ...(fn.description ? { description: fn.description } : {}),
    parameters: fn.parameters,
    // Client schemas are not written for strict mode (every property required, no extras).
    strict: false,
  }));
  const search = (req.tools ?? []).find(isWebSearchTool);
  if (search) {
    tools.push(webSearchTool(search));
    body.include.push('web_search_call.action.sources');
  }
  if (tools.length > 0) body.tools = tools;
  const choice = chatTools.tool_choice;
  if (typeof choice === 'string') body.tool_choice = choice;
  else if (choice && choice.type === 'function')
    body.tool_choice = { type: 'function', name: choice.function.name };
  if (chatTools.parallel_tool_calls === false) body.parallel_tool_calls = false;

  const format = (req.output_config as { format?: { type?: unknown; schema?: unknown } } | undefined)?.format;
  if (format && format.type === 'json_schema' && format.schema && typeof format.schema === 'object') {
    body.text = { format: { type: 'json_schema', name: 'output', schema: format.schema, strict: true } };
  }

  for (const { client, upstream } of names.rewritten) notes.add(`renamed tool ${client} → ${upstream}`);
  return { body, names, degraded: notes.list(), webSearch: search !== undefined };
}

/**
 * The Responses API rejects `max_output_tokens` below 16 ("integer below minimum value"), and
 * Claude Code sends `max_tokens: 1` for its quota probe: such limits are raised to 16, noted.
 */
const MIN_OUTPUT_TOKENS = 16;

function outputLimit(requested: number, notes: DegradationNotes): number {
  if (requested >= MIN_OUTPUT_TOKENS) return requested;
  notes.add(`raised max_tokens ${requested}→${MIN_OUTPUT_TOKENS} (the Responses API's minimum)`);
  return MIN_OUTPUT_TOKENS;
}

/** The body as the SDK's parameter type (our item types are a strict subset of the API's). */
export function asCreateParams(body: ResponsesBody): ResponseCreateParams {
  return body as unknown as ResponseCreateParams;
}

function assistantItems(
  blocks: Block[],
  cctx: ConversationContext,
): { items: InputItem[]; calls: CallSite[] } {
  const items: InputItem[] = [];
  const calls: CallSite[] = [];
  let texts: string[] = [];
  const flushText = () => {
    if (texts.length > 0) items.push({ type: 'message', role: 'assistant', content: texts.join('\n\n') });
    texts = [];
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string' && block.text.length > 0) texts.push(block.text);
        break;
      case 'thinking': {
        const encrypted = reasoningFromSignature((block as { signature?: unknown }).signature);
        if (encrypted === undefined) {
          cctx.notes.dropped('thinking block');
          break;
        }
        flushText();
        const thought = typeof block.thinking === 'string' ? block.thinking : '';
        items.push({
          type: 'reasoning',
          summary: thought ? [{ type: 'summary_text', text: thought }] : [],
          encrypted_content: encrypted,
        });
        break;
      }
      case 'tool_use': {
        flushText();
        const use = block as ToolUseBlock;
        const upstreamId = cctx.ids.forCall(use.id);
        items.push({
          type: 'function_call',
          call_id: upstreamId,
          name: cctx.names.toUpstream(use.name),
          arguments: JSON.stringify(use.input ?? {}),
        });
        calls.push({ clientId: use.id, upstreamId, name: use.name });
        break;
      }
      default:
        // redacted_thinking, server_tool_use and web_search_tool_result (the search ran on the
        // backend; its text and citations are in the text blocks) have no input item.
        cctx.notes.dropped(`${block.type} block`);
    }
  }
  flushText();
  return { items, calls };
}

function userItems(blocks: Block[], calls: CallSite[], cctx: ConversationContext): InputItem[] {
  const results = blocks.filter((b): b is ToolResultBlock => b.type === 'tool_result');
  const items: InputItem[] = [];
  const parts: InputContent[] = [];
  const answered = new Set<ToolResultBlock>();
  for (const call of calls) {
    const result = results.find((r) => r.tool_use_id === call.clientId && !answered.has(r));
    if (!result) {
      items.push(...placeholderOutputs([call], cctx));
      continue;
    }
    answered.add(result);
    items.push({ type: 'function_call_output', call_id: call.upstreamId, output: toolOutput(result, cctx) });
  }
  for (const result of results) {
    if (answered.has(result)) continue;
    cctx.notes.add('turned a tool_result without a matching tool call into user text');
    parts.push({ type: 'input_text', text: `[result of tool call ${result.tool_use_id}]` });
    const output = toolOutput(result, cctx);
    if (typeof output === 'string') parts.push({ type: 'input_text', text: output });
    else parts.push(...output);
  }
  for (const block of blocks) {
    if (block.type !== 'tool_result') parts.push(...userContent(block, cctx));
  }
  if (parts.length > 0) items.push({ type: 'message', role: 'user', content: parts });
  return items;
}

function placeholderOutputs(calls: CallSite[], cctx: ConversationContext): InputItem[] {
  return calls.map((call) => {
    cctx.notes.add('added a placeholder result for a tool call the client never answered');
    return { type: 'function_call_output', call_id: call.upstreamId, output: MISSING_TOOL_RESULT };
  });
}

/**
 * A tool result as the Responses API takes it: plain text as a string, or a list of input_text /
 * input_image / input_file parts when it holds images or PDFs (the API accepts those in a
 * function_call_output, unlike chat's tool messages). An error is marked in the text.
 */
function toolOutput(result: ToolResultBlock, cctx: ConversationContext): string | InputContent[] {
  const mark = result.is_error ? TOOL_ERROR_PREFIX : '';
  if (typeof result.content === 'string' || result.content === undefined) {
    return `${mark}${result.content ?? ''}`;
  }
  const parts: InputContent[] = [];
  for (const block of result.content) parts.push(...userContent(block as Block, cctx));
  if (parts.every((p) => p.type === 'input_text')) {
    return mark + parts.map((p) => (p as { text: string }).text).join('\n');
  }
  if (mark) parts.unshift({ type: 'input_text', text: TOOL_ERROR_PREFIX.trim() });
  return parts;
}

function userContent(block: Block, cctx: ConversationContext): InputContent[] {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' && block.text.length > 0
        ? [{ type: 'input_text', text: block.text }]
        : [];
    case 'image': {
      const url = imageUrl((block as { source?: ImageSource }).source);
      if (url) return [{ type: 'input_image', image_url: url, detail: 'auto' }];
      cctx.notes.dropped('image block (unsupported source)');
      return [{ type: 'input_text', text: '[image omitted: unsupported image source]' }];
    }
    case 'document': {
      const doc = block as unknown as {
        source?: { type?: string; media_type?: string; data?: string };
        title?: string;
      };
      const source = doc.source;
      if (
        source?.type === 'base64' &&
        source.media_type === 'application/pdf' &&
        typeof source.data === 'string'
      ) {
        const name = typeof doc.title === 'string' && doc.title ? doc.title : 'document';
        return [
          {
            type: 'input_file',
            filename: name.toLowerCase().endsWith('.pdf') ? name : `${name}.pdf`,
            file_data: `data:application/pdf;base64,${source.data}`,
          },
        ];
      }
      return [{ type: 'input_text', text: documentText(block as never, cctx) }];
    }
    default:
      cctx.notes.dropped(`${block.type} block`);
      return [];
  }
}

function imageUrl(source: ImageSource | undefined): string | undefined {
  if (!source) return undefined;
  if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    return `data:${source.media_type};base64,${source.data}`;
  }
  if (source.type === 'url' && typeof source.url === 'string') return source.url;
  return undefined;
}
