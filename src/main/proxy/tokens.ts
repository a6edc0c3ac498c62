/**
 * count_tokens without calling any upstream: a real BPE tokenizer (gpt-tokenizer's cl100k_base,
 * nearer Claude's vocabulary size than o200k and 40 MB lighter) over everything the model would
 * read — system, messages and tool definitions. Backends use
 * different tokenizers, so the count is an estimate of the same order as theirs, not exact.
 * The tokenizer's tables are loaded on first use, keeping start-up and idle memory small for
 * users who never call this endpoint.
 *
 * Bounded work, on the event loop but never for long (see the README's Reliability section):
 * - BPE is super-linear in the length of one pre-token (a run of letters, a DNA sequence,
 *   base64 without separators), so text is fed to it in slices of at most SLICE characters,
 *   cut at a space where there is one: every slice costs a bounded time and the total is linear.
 * - Even linear BPE runs at roughly a microsecond per character, so one request gets at most
 *   EXACT_BUDGET characters counted exactly; longer texts are sampled (evenly spaced windows) and
 *   the rest is extrapolated from the tokens-per-character ratio measured on them.
 * - Between slices the counter yields to the event loop whenever it has worked for YIELD_MS, so
 *   streams in flight and other requests are served while a large body is counted.
 * A worker thread was the other option; it would load the tokenizer's tables a second time
 * (tens of MB) and still need the budget to answer 1 MB in under a second on a busy machine.
 */
import type { CountTokensRequest } from './anthropicTypes';

// Anthropic's guidance: an image costs about width*height/750 tokens, capped near 1600.
const IMAGE_TOKENS = 1600;
// Per-message and per-tool framing that chat formats add around the text.
const MESSAGE_OVERHEAD = 4;
const TOOL_OVERHEAD = 8;

/** Longest piece handed to the BPE at once (under 1 ms for the worst text; 1024 cost 3x more per character). */
const SLICE = 512;
/** Characters counted exactly per request (about 0.15 s at worst); the rest is extrapolated. */
export const EXACT_BUDGET = 128 * 1024;
/** Windows sampled from a text too long to count whole. */
const SAMPLE_WINDOWS = 16;
/** Longest stretch of work between two yields to the event loop. */
const YIELD_MS = 8;
/** Tokens per character when nothing could be sampled (typical for English and code). */
const FALLBACK_RATIO = 0.3;

type Counter = (text: string) => number;
let counter: Promise<Counter> | null = null;

function loadCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/cl100k_base').then(
    (m) => (text: string) => (text ? m.countTokens(text) : 0),
  );
  return counter;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts one request's texts within the exact budget, yielding between slices. */
class BudgetedCounter {
  private budget = EXACT_BUDGET;
  private sampledChars = 0;
  private sampledTokens = 0;
  private workStart = performance.now();

  constructor(private readonly bpe: Counter) {}

  async count(text: string): Promise<number> {
    if (!text) return 0;
    if (text.length <= this.budget) return this.exact(text, 0, text.length);
    // Too long to count whole: sample what the budget allows, extrapolate the rest.
    const window = Math.min(SLICE, Math.floor(this.budget / SAMPLE_WINDOWS));
    if (window >= 32) {
      const stride = Math.floor(text.length / SAMPLE_WINDOWS);
      for (let i = 0; i < SAMPLE_WINDOWS; i++) {
        const start = i * stride;
        await this.exact(text, start, start + window);
      }
    }
    const ratio = this.sampledChars > 0 ? this.sampledTokens / this.sampledChars : FALLBACK_RATIO;
    return Math.ceil(text.length * ratio);
  }

  /** Exact BPE of text[start, end) in slices, cut at spaces where possible. */
  private async exact(text: string, start: number, end: number): Promise<number> {
    let tokens = 0;
    let from = start;
    while (from < end) {
      let to = Math.min(from + SLICE, end);
      if (to < end) {
        // Cut before a space so words stay whole (cl100k attaches the space to the next word);
        // looked for in the slice's second half only, so each character is looked at once.
        let space = to;
        while (space > from + SLICE / 2 && text.charCodeAt(space) !== 32) space--;
        if (space > from + SLICE / 2) to = space;
      }
      tokens += this.bpe(text.slice(from, to));
      from = to;
      if (performance.now() - this.workStart > YIELD_MS) {
        await yieldToEventLoop();
        this.workStart = performance.now();
      }
    }
    const length = end - start;
    this.budget -= length;
    this.sampledChars += length;
    this.sampledTokens += tokens;
    return tokens;
  }
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
  const counter = new BudgetedCounter(await loadCounter());
  const count = (text: string) => counter.count(text);
  const estimates: Estimates = { tokens: 0 };
  let total = 0;
  if (typeof request.system === 'string') total += await count(request.system);
  else if (Array.isArray(request.system))
    for (const block of request.system) total += await count(blockText(block, estimates));
  for (const message of request.messages) {
    total += MESSAGE_OVERHEAD;
    if (typeof message.content === 'string') total += await count(message.content);
    else for (const block of message.content) total += await count(blockText(block, estimates));
  }
  for (const tool of request.tools ?? []) {
    total +=
      TOOL_OVERHEAD +
      (await count(`${tool.name} ${tool.description ?? ''} ${JSON.stringify(tool.input_schema ?? {})}`));
  }
  return total + estimates.tokens;
}
