/**
 * The Anthropic conversation (system prompt + messages) as chat-completions messages.
 *
 * Shape decisions:
 * - Every system text (the `system` field and `role: "system"` entries inside `messages`) goes
 *   into one leading system message; cache_control has no equivalent and is dropped.
 * - Consecutive turns of one role are merged before translation. The Anthropic API merges them
 *   itself, so this keeps the meaning the client intended, and it guarantees that tool results
 *   can be matched against the one assistant turn just before them.
 * - tool_result blocks become `tool` messages directly after the assistant message that called
 *   them, in call order. A call without a result gets a visible placeholder result, because
 *   backends reject an assistant tool call that is not answered. A result whose call is not in
 *   the preceding assistant turn becomes user text, because a `tool` message there is invalid.
 * - Images inside tool results, and the rest of the user turn, follow as one user message.
 */
import type {
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type {
  ContentBlock,
  DocumentBlock,
  ImageSource,
  InboundMessage,
  MessagesRequest,
  OtherBlock,
  ToolResultBlock,
  ToolUseBlock,
} from '../anthropicTypes';
import type { ProviderQuirks } from '../../../shared/providerCatalog';
import type { DegradationNotes } from './degradationNotes';
import type { ThoughtSignatureStore } from './thoughtSignatures';
import type { OutboundToolIds } from './toolIds';
import type { ToolNameMap } from './toolNames';

/** Gemini's documented value for "no signature known"; it tells the validator to skip the check. */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';
export const TOOL_ERROR_PREFIX = '[tool error] ';
export const MISSING_TOOL_RESULT = '[no result was provided for this tool call]';

export type Block = ContentBlock | OtherBlock;
type UserPart = ChatCompletionContentPartText | ChatCompletionContentPartImage;

/** Assistant tool call with the backend extensions the openai types do not declare. */
interface UpstreamToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  extra_content?: { google: { thought_signature: string } };
}

interface UpstreamAssistantMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: UpstreamToolCall[];
  reasoning_content?: string;
}

export interface ConversationContext {
  names: ToolNameMap;
  ids: OutboundToolIds;
  notes: DegradationNotes;
  quirks: ProviderQuirks;
  signatures: ThoughtSignatureStore;
}

interface CallSite {
  clientId: string;
  upstreamId: string;
  name: string;
}

export type Turn = { role: 'user' | 'assistant'; blocks: Block[] };

export function translateConversation(
  req: Pick<MessagesRequest, 'system' | 'messages'>,
  cctx: ConversationContext,
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  const system = systemText(req);
  if (system) out.push({ role: 'system', content: system });

  let unanswered: CallSite[] = [];
  for (const turn of mergeTurns(req.messages)) {
    if (turn.role === 'assistant') {
      out.push(...missingResults(unanswered, cctx));
      const { message, calls } = assistantMessage(turn.blocks, cctx);
      if (message) out.push(message);
      unanswered = calls;
    } else {
      out.push(...userMessages(turn.blocks, unanswered, cctx));
      unanswered = [];
    }
  }
  out.push(...missingResults(unanswered, cctx));
  return out;
}

export function systemText(req: Pick<MessagesRequest, 'system' | 'messages'>): string {
  const texts: string[] = [];
  if (typeof req.system === 'string') texts.push(req.system);
  else if (Array.isArray(req.system)) texts.push(...textsOf(req.system));
  for (const message of req.messages) {
    if (message.role !== 'system') continue;
    if (typeof message.content === 'string') texts.push(message.content);
    else texts.push(...textsOf(message.content));
  }
  return texts.filter((t) => t.length > 0).join('\n\n');
}

function textsOf(blocks: Block[]): string[] {
  const texts: string[] = [];
  for (const block of blocks) {
    const text = (block as { text?: unknown }).text;
    if (block.type === 'text' && typeof text === 'string') texts.push(text);
  }
  return texts;
}

export function mergeTurns(messages: InboundMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const blocks: Block[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    const last = turns.at(-1);
    if (last && last.role === message.role) last.blocks = [...last.blocks, ...blocks];
    else turns.push({ role: message.role, blocks });
  }
  return turns;
}

function assistantMessage(
  blocks: Block[],
  cctx: ConversationContext,
): { message?: UpstreamAssistantMessage; calls: CallSite[] } {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: UpstreamToolCall[] = [];
  const calls: CallSite[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string' && block.text.length > 0) texts.push(block.text);
        break;
      case 'thinking':
        if (cctx.quirks.reasoningContentInHistory && typeof block.thinking === 'string') {
          reasoning.push(block.thinking);
        } else {
          cctx.notes.dropped('thinking block');
        }
        break;
      case 'tool_use': {
        const use = block as ToolUseBlock;
        const upstreamId = cctx.ids.forCall(use.id);
        const call: UpstreamToolCall = {
          id: upstreamId,
          type: 'function',
          function: { name: cctx.names.toUpstream(use.name), arguments: JSON.stringify(use.input ?? {}) },
        };
        if (cctx.quirks.echoThoughtSignature) {
          const signature = cctx.signatures.recall(use.id) ?? SKIP_THOUGHT_SIGNATURE;
          call.extra_content = { google: { thought_signature: signature } };
        }
        toolCalls.push(call);
        calls.push({ clientId: use.id, upstreamId, name: use.name });
        break;
      }
      default:
        cctx.notes.dropped(`${block.type} block`);
    }
  }
  if (texts.length === 0 && toolCalls.length === 0) {
    // Nothing the backend could use (e.g. a turn that held only thinking): an empty assistant
    // message is rejected by several backends, so the turn is left out.
    if (blocks.length > 0) cctx.notes.dropped('empty assistant turn');
    return { calls };
  }
  const message: UpstreamAssistantMessage = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('\n\n') : null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const thought = reasoning.join('\n\n');
  if (thought) message.reasoning_content = thought;
  return { message, calls };
}

function userMessages(
  blocks: Block[],
  calls: CallSite[],
  cctx: ConversationContext,
): ChatCompletionMessageParam[] {
  const results = blocks.filter((b): b is ToolResultBlock => b.type === 'tool_result');
  const out: ChatCompletionMessageParam[] = [];
  const parts: UserPart[] = [];
  const answered = new Set<ToolResultBlock>();

  for (const call of calls) {
    const result = results.find((r) => r.tool_use_id === call.clientId && !answered.has(r));
    if (!result) {
      out.push(...missingResults([call], cctx));
      continue;
    }
    answered.add(result);
    const { text, images } = renderToolResult(result, cctx);
    // Tool messages cannot hold images; say where they went so the model links them up.
    const pointer = images.length > 0 ? `\n[${images.length} image(s) follow in the next user message]` : '';
    out.push({ role: 'tool', tool_call_id: call.upstreamId, content: text + pointer });
    if (images.length > 0) {
      parts.push({ type: 'text', text: `[images returned by tool ${call.name}, call ${call.upstreamId}]` });
      parts.push(...images);
    }
  }

  for (const result of results) {
    if (answered.has(result)) continue;
    cctx.notes.add('turned a tool_result without a matching tool call into user text');
    const { text, images } = renderToolResult(result, cctx);
    parts.push({ type: 'text', text: `[result of tool call ${result.tool_use_id}]\n${text}` });
    parts.push(...images);
  }

  for (const block of blocks) {
    if (block.type !== 'tool_result') parts.push(...userParts(block, cctx));
  }
  if (parts.length > 0) out.push({ role: 'user', content: collapseText(parts) });
  return out;
}

function missingResults(calls: CallSite[], cctx: ConversationContext): ChatCompletionMessageParam[] {
  return calls.map((call) => {
    cctx.notes.add('added a placeholder result for a tool call the client never answered');
    return { role: 'tool', tool_call_id: call.upstreamId, content: MISSING_TOOL_RESULT };
  });
}

/** A text-only user message is sent as a plain string, which every backend accepts. */
function collapseText(parts: UserPart[]): string | UserPart[] {
  if (!parts.every((p) => p.type === 'text')) return parts;
  return parts.map((p) => (p as ChatCompletionContentPartText).text).join('\n\n');
}

function userParts(block: Block, cctx: ConversationContext): UserPart[] {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' && block.text.length > 0
        ? [{ type: 'text', text: block.text }]
        : [];
    case 'image': {
      const image = imagePart((block as { source?: ImageSource }).source);
      if (image) return [image];
      cctx.notes.dropped('image block (unsupported source)');
      return [{ type: 'text', text: '[image omitted: unsupported image source]' }];
    }
    case 'document':
      return [{ type: 'text', text: documentText(block as DocumentBlock, cctx) }];
    default:
      cctx.notes.dropped(`${block.type} block`);
      return [];
  }
}

function imagePart(source: ImageSource | undefined): ChatCompletionContentPartImage | undefined {
  if (!source) return undefined;
  if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === 'url' && typeof source.url === 'string') {
    return { type: 'image_url', image_url: { url: source.url } };
  }
  return undefined;
}

/** Plain-text documents are inlined; anything else leaves a visible placeholder, never nothing. */
export function documentText(doc: DocumentBlock, cctx: ConversationContext): string {
  const source = doc.source ?? { type: 'unknown' };
  const title = typeof doc.title === 'string' && doc.title ? ` "${doc.title}"` : '';
  if (source.type === 'text' && typeof source.data === 'string') {
    return title ? `[document${title}]\n${source.data}` : source.data;
  }
  if (source.type === 'content' && Array.isArray(source.content)) {
    const text = textsOf(source.content as Block[]).join('\n');
    return title ? `[document${title}]\n${text}` : text;
  }
  const kind = source.media_type === 'application/pdf' || source.type === 'base64' ? 'PDF' : source.type;
  cctx.notes.dropped(`document block (${kind})`);
  const where = source.type === 'url' && typeof source.url === 'string' ? ` at ${source.url}` : '';
  return `[document omitted: ${kind} document${title}${where} cannot be sent to this model]`;
}

function renderToolResult(
  result: ToolResultBlock,
  cctx: ConversationContext,
): { text: string; images: ChatCompletionContentPartImage[] } {
  const texts: string[] = [];
  const images: ChatCompletionContentPartImage[] = [];
  if (typeof result.content === 'string') {
    texts.push(result.content);
  } else if (Array.isArray(result.content)) {
    for (const block of result.content) {
      if (block.type === 'text' && typeof block.text === 'string') {
        texts.push(block.text);
      } else if (block.type === 'image') {
        const image = imagePart((block as { source?: ImageSource }).source);
        if (image) images.push(image);
        else texts.push('[image omitted: unsupported image source]');
      } else if (block.type === 'document') {
        texts.push(documentText(block as unknown as DocumentBlock, cctx));
      } else {
        cctx.notes.dropped(`${block.type} block in a tool result`);
      }
    }
  }
  const text = texts.join('\n');
  return { text: result.is_error ? `${TOOL_ERROR_PREFIX}${text}` : text, images };
}
