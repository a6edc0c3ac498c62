/**
 * count_tokens without calling any upstream: a real BPE tokenizer (gpt-tokenizer's cl100k_base,
 * nearer Claude's vocabulary size than o200k and 40 MB lighter) over everything the model would
 * read — system, messages and tool definitions. Backends use
 * different tokenizers, so the count is an estimate of the same order as theirs, not exact.
 * The tokenizer's tables are loaded on first use, keeping start-up and idle memory small for
 * users who never call this endpoint.
 */
import type { CountTokensRequest } from './anthropicTypes';

// Anthropic's guidance: an image costs about width*height/750 tokens, capped near 1600.
const IMAGE_TOKENS = 1600;
// Per-message and per-tool framing that chat formats add around the text.
const MESSAGE_OVERHEAD = 4;
const TOOL_OVERHEAD = 8;

type Counter = (text: string) => number;
let counter: Promise<Counter> | null = null;

function loadCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/cl100k_base').then(
    (m) => (text: string) => (text ? m.countTokens(text) : 0),
  );
  return counter;
}

/** Tokens that are estimated rather than counted (images, binary documents). */
interface Estimates {
  tokens: number;
}

function blockText(block: unknown, estimates: Estimates): string {
  if (typeof block === 'string') return block;
  if (!block || typeof block !== 'object') return '';
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return String(b.text ?? '');
    case 'thinking':
      return String(b.thinking ?? '');
    case 'image':
      estimates.tokens += IMAGE_TOKENS;
      return '';
    case 'tool_use':
      return `${String(b.name ?? '')} ${JSON.stringify(b.input ?? {})}`;
    case 'tool_result':
      return Array.isArray(b.content)
        ? b.content.map((c) => blockText(c, estimates)).join('\n')
        : String(b.content ?? '');
    case 'document': {
      const source = (b.source ?? {}) as Record<string, unknown>;
      if (typeof source.data === 'string' && source.type === 'text') return source.data;
      // Binary documents (PDF): about one token per three bytes of decoded content.
      if (typeof source.data === 'string') estimates.tokens += Math.ceil(source.data.length / 4);
      return '';
    }
    default:
      return '';
  }
}

export async function countRequestTokens(request: CountTokensRequest): Promise<number> {
  return countWith(request, await loadCounter());
}

/** About four characters per token for English text and code. */
const CHARS_PER_TOKEN = 4;

/**
 * A cheap input-token estimate for the hot path (message_start, the context pre-check): the
 * same walk as count_tokens with characters / 4 instead of the tokenizer. Images and PDFs are
 * estimated as in count_tokens, never from their base64 size.
 */
export function estimateRequestTokens(request: CountTokensRequest): number {
  return countWith(request, (text) => Math.ceil(text.length / CHARS_PER_TOKEN));
}

function countWith(request: CountTokensRequest, count: Counter): number {
  const estimates: Estimates = { tokens: 0 };
  let total = 0;
  if (typeof request.system === 'string') total += count(request.system);
  else if (Array.isArray(request.system))
    for (const block of request.system) total += count(blockText(block, estimates));
  for (const message of request.messages) {
    total += MESSAGE_OVERHEAD;
    if (typeof message.content === 'string') total += count(message.content);
    else for (const block of message.content) total += count(blockText(block, estimates));
  }
  for (const tool of request.tools ?? []) {
    total +=
      TOOL_OVERHEAD +
      count(`${tool.name} ${tool.description ?? ''} ${JSON.stringify(tool.input_schema ?? {})}`);
  }
  return total + estimates.tokens;
}
