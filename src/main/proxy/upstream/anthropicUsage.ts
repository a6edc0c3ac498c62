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

export class AnthropicUsageTap {
  private readonly seen: Partial<Usage> = {};
  private partial = '';
  private json: string[] | null = null;

  constructor(private readonly sse: boolean) {
    if (!sse) this.json = [];
  }

  push(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    if (this.json) {
      // A JSON answer is parsed whole at the end; cap what we keep (answers are small).
      if (this.json.length < 4096) this.json.push(text);
      return;
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > 1_000_000) this.partial = '';
    for (const line of lines) {
      if (line.startsWith('data:') && line.includes(USAGE_MARK)) this.readEvent(line.slice(5));
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
