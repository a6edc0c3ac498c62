/**
 * What the routing rules look at in a request, each fact defined once and cheaply (routing runs
 * on every request, before any upstream call).
 */
import type { CountTokensRequest } from '../anthropicTypes';
import { estimateRequestTokens } from '../tokens';
import { isWebSearchTool } from '../translate/responses/webSearch';
import { slotFor } from './modelMapping';

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
   * Estimated input tokens (system, messages, tool definitions; the same cheap estimate as the
   * context pre-check), computed on first use: only the long-context rule needs it, and it
   * walks the whole conversation.
   */
  estimatedTokens(): number;
  /** The latest user turn holds an image. */
  image: boolean;
  /** The request declares Anthropic's web search server tool (`web_search_*`). */
  webSearch: boolean;
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
    estimatedTokens: () => (tokens ??= estimateRequestTokens(req)),
    image: latestUserTurnHasImage(req),
    webSearch: (req.tools ?? []).some(isWebSearchTool),
  };
}
