/**
 * What the routing rules look at in a request, each fact defined once and cheaply (routing runs
 * on every request, before any upstream call).
 */
import type { ContentBlock, CountTokensRequest, OtherBlock } from '../anthropicTypes';
import { isWebSearchTool } from '../translate/responses/webSearch';
import { slotFor } from './modelMapping';

// About four characters per token for English prose and code: an estimate, as the threshold is.
const CHARS_PER_TOKEN = 4;
// Anthropic's guidance: an image costs about width*height/750 tokens, capped near 1600.
const IMAGE_TOKENS = 1600;

export interface RequestFacts {
  /** Claude Code's small, fast requests: the client model maps to the small (haiku) slot. */
  background: boolean;
  /**
   * The client asked for deliberate thinking: extended thinking with a budget
   * (`thinking.type: "enabled"`, what Claude Code sends when MAX_THINKING_TOKENS is set or the
   * model has no adaptive thinking) or adaptive thinking at the top effort (`output_config.effort`
   * `"max"`, e.g. "ultrathink"). Adaptive thinking at the default effort, which current Claude
   * Code sends on almost every request, does not count.
   */
  think: boolean;
  /**
   * Estimated input tokens (system, messages, tool definitions), computed on first use: only
   * the long-context rule needs it, and it walks the whole conversation.
   */
  estimatedTokens(): number;
  /** The latest user turn holds an image. */
  image: boolean;
  /** The request declares Anthropic's web search server tool (`web_search_*`). */
  webSearch: boolean;
}

function blockChars(block: ContentBlock | OtherBlock): number {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text.length : 0;
    case 'thinking':
      return typeof block.thinking === 'string' ? block.thinking.length : 0;
    case 'image':
      return IMAGE_TOKENS * CHARS_PER_TOKEN;
    case 'tool_result': {
      const content = (block as { content?: unknown }).content;
      if (typeof content === 'string') return content.length;
      return Array.isArray(content) ? content.reduce((n: number, c) => n + blockChars(c), 0) : 0;
    }
    default:
      // tool_use inputs, documents and anything else: their JSON is what the model reads.
      return JSON.stringify(block)?.length ?? 0;
  }
}

export function estimateInputTokens(req: Pick<CountTokensRequest, 'system' | 'messages' | 'tools'>): number {
  let chars = 0;
  if (typeof req.system === 'string') chars += req.system.length;
  else if (Array.isArray(req.system)) for (const b of req.system) chars += blockChars(b);
  for (const message of req.messages) {
    if (typeof message.content === 'string') chars += message.content.length;
    else for (const block of message.content) chars += blockChars(block);
  }
  if (req.tools) chars += JSON.stringify(req.tools).length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function latestUserTurnHasImage(req: CountTokensRequest): boolean {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const message = req.messages[i];
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return false;
    const hasImage = (blocks: Array<{ type?: unknown; content?: unknown }>): boolean =>
      blocks.some(
        (b) =>
          b.type === 'image' || (b.type === 'tool_result' && Array.isArray(b.content) && hasImage(b.content)),
      );
    return hasImage(message.content);
  }
  return false;
}

export function requestFacts(req: CountTokensRequest): RequestFacts {
  const thinking = req.thinking;
  let tokens: number | undefined;
  return {
    background: slotFor(req.model) === 'small',
    think:
      thinking?.type === 'enabled' || (thinking?.type === 'adaptive' && req.output_config?.effort === 'max'),
    estimatedTokens: () => (tokens ??= estimateInputTokens(req)),
    image: latestUserTurnHasImage(req),
    webSearch: (req.tools ?? []).some(isWebSearchTool),
  };
}
