/**
 * Tool-call ids in both directions.
 *
 * Outbound, client ids (from any earlier backend, or hand-written) may be too long or use
 * characters a backend rejects; they are rewritten by hash so the same id maps the same way on
 * every turn, and tool_result ids follow the same map so pairs still match.
 *
 * Inbound, some backends omit ids, repeat them, or reuse short counters such as `call_0` on
 * every turn; the client keys tool results on these ids, so those get fresh `toolu_` ids.
 */
import { randomInt } from 'node:crypto';
import { stableHash } from './stableHash';

const ID_CHARS = /^[a-zA-Z0-9_-]+$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Shorter upstream ids are likely per-response counters (`0`, `call_0`) that repeat next turn. */
const MIN_PASS_THROUGH_LENGTH = 8;
const MAX_PASS_THROUGH_LENGTH = 64;

export function isValidToolCallId(id: string, maxLength: number): boolean {
  return id.length > 0 && id.length <= maxLength && ID_CHARS.test(id);
}

/** A fresh id in the shape Anthropic uses: `toolu_` + 24 random alphanumerics. */
export function freshToolUseId(): string {
  let id = 'toolu_';
  for (let i = 0; i < 24; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/**
 * Client → upstream ids for one outbound request, walked in conversation order: `forCall` for
 * each tool_use, `forResult` for each tool_result.
 */
export class OutboundToolIds {
  /** Latest upstream id per client id: a result pairs with the most recent call of that id. */
  private readonly current = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(private readonly maxLength: number) {}

  forCall(clientId: string): string {
    let upstream = isValidToolCallId(clientId, this.maxLength) ? clientId : this.rewrite(clientId, '');
    // The same client id on two calls (seen from backends that recycle ids) would make the
    // backend pair results ambiguously: later occurrences get a derived id.
    for (let n = 2; this.used.has(upstream); n++) upstream = this.rewrite(clientId, `#${n}`);
    this.used.add(upstream);
    this.current.set(clientId, upstream);
    return upstream;
  }

  /** The upstream id of the call this result answers, or undefined for an orphan result. */
  forResult(clientId: string): string | undefined {
    return this.current.get(clientId);
  }

  private rewrite(clientId: string, salt: string): string {
    const hash = `call_${stableHash(clientId + salt, 24)}`;
    return hash.slice(0, Math.max(1, this.maxLength));
  }
}

/** Upstream → client ids for one answer (whole or streamed). */
export class InboundToolIds {
  private readonly seen = new Set<string>();

  assign(upstreamId: string | undefined | null): string {
    const passes =
      typeof upstreamId === 'string' &&
      upstreamId.length >= MIN_PASS_THROUGH_LENGTH &&
      isValidToolCallId(upstreamId, MAX_PASS_THROUGH_LENGTH) &&
      !this.seen.has(upstreamId);
    const id = passes ? upstreamId : freshToolUseId();
    this.seen.add(id);
    return id;
  }
}
