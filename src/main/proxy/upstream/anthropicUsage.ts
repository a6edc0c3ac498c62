/**
 * Reads the token usage out of an Anthropic answer as it is relayed, without changing a byte.
 *
 * In a stream, `message_start` carries the input counts and `message_delta` the output count;
 * Anthropic documents the counts in `message_delta` as cumulative
 * (https://docs.claude.com/en/docs/build-with-claude/streaming#event-types: "The token counts
 * shown in the usage field of the message_delta event are cumulative"), so each report replaces
 * the last: summing them is the inflation other proxies' users reported.
 */
import type { Usage } from '../anthropicTypes';

/** Only lines that can hold usage are parsed; everything else is skipped cheaply. */
const USAGE_MARK = '"usage"';

/** Usage events are small; a longer line is content, skipped until its end. */
const MAX_LINE = 64 * 1024;
/** A JSON answer is kept (to read its usage at the end) only up to this size. */
const MAX_JSON = 8 * 1024 * 1024;

export class AnthropicUsageTap {
  private readonly seen: Partial<Usage> = {};
  /** The current line's pieces so far (joined once, at its end: linear in the answer's size). */
  private partial: string[] = [];
  private partialLength = 0;
  private skipping = false;
  private json: string[] | null = null;
  private jsonLength = 0;

  constructor(sse: boolean) {
    if (!sse) this.json = [];
  }

  push(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    if (this.json) {
      // A JSON answer is parsed whole at the end; a huge one is not kept (its usage is lost).
      this.jsonLength += text.length;
      if (this.jsonLength <= MAX_JSON) this.json.push(text);
      else this.json.length = 0;
      return;
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const piece = text.slice(start, end);
      if (!this.skipping) this.line(this.partial.length > 0 ? this.partial.join('') + piece : piece);
      this.partial = [];
      this.partialLength = 0;
      this.skipping = false;
      start = end + 1;
    }
    if (start < text.length && !this.skipping) {
      this.partial.push(text.slice(start));
      this.partialLength += text.length - start;
      if (this.partialLength > MAX_LINE) {
        this.skipping = true;
        this.partial = [];
        this.partialLength = 0;
      }
    }
  }

  /** The last reported value of each count, or null when the answer reported none. */
  get usage(): Usage | null {
    if (this.json) {
      try {
        const body = JSON.parse(this.json.join('')) as { usage?: Partial<Usage> };
        this.merge(body.usage);
      } catch {
        // Not JSON (cut off): no usage.
      }
      this.json = [];
    }
    if (Object.keys(this.seen).length === 0) return null;
    return {
      input_tokens: this.seen.input_tokens ?? 0,
      output_tokens: this.seen.output_tokens ?? 0,
      cache_creation_input_tokens: this.seen.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: this.seen.cache_read_input_tokens ?? 0,
    };
  }

  private line(line: string): void {
    if (line.startsWith('data:') && line.includes(USAGE_MARK)) this.readEvent(line.slice(5));
  }

  private readEvent(data: string): void {
    try {
      const event = JSON.parse(data) as {
        type?: string;
        usage?: Partial<Usage>;
        message?: { usage?: Partial<Usage> };
      };
      this.merge(event.type === 'message_start' ? event.message?.usage : event.usage);
    } catch {
      // A malformed event is the client's problem to report; usage stays as it was.
    }
  }

  private merge(usage: Partial<Usage> | undefined): void {
    if (!usage || typeof usage !== 'object') return;
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
    ] as const) {
      const value = usage[key];
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) this.seen[key] = value;
    }
  }
}
