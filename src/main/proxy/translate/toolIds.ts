/**
 * Tool-call ids in both directions, without state kept between requests.
 *
 * Inbound, an upstream id that is already a good Anthropic id passes through. Any other id the
 * backend issued (Kimi's `functions.Bash:0`, a per-answer counter such as `call_0`, a repeat) is
 * wrapped reversibly: `toolu_<8 random>_<base64url of the original>`. The random part keeps the
 * id unique in the client's history (counters repeat every turn); the rest lets the next
 * request give the backend back exactly the id it issued. Missing ids get fresh `toolu_` ids.
 *
 * Outbound, each call gets an id in the routed backend's format (ToolIdFormat): the id that
 * backend issued when it is valid there, else the client's id when valid, else a deterministic
 * rewrite (the same client id maps the same way on every turn). Tool results follow the same
 * map so pairs still match.
 */
import { randomInt } from 'node:crypto';
import type { ToolIdFormat } from '../../../shared/providerCatalog';
import { stableHash } from './stableHash';

const ID_CHARS = /^[a-zA-Z0-9_-]+$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Shorter upstream ids are likely per-response counters (`0`, `call_0`) that repeat next turn. */
const MIN_PASS_THROUGH_LENGTH = 8;
const MAX_PASS_THROUGH_LENGTH = 64;
/** Longest upstream id worth wrapping; anything longer gets a fresh id. */
const MAX_WRAPPED_LENGTH = 128;
/** Anthropic's own ids are `toolu_` + base62, so an underscore after 8 characters marks ours. */
const WRAPPED = /^toolu_[A-Za-z0-9]{8}_([A-Za-z0-9_-]+)$/;
/** Mistral: "must be a-z, A-Z, 0-9, with a length of 9" (code 3280). */
const ALNUM9 = /^[A-Za-z0-9]{9}$/;
/** Kimi's own form: `functions.<name>:<index>`. */
const KIMI_ID = /^functions\.[A-Za-z0-9_.-]+:\d+$/;

export function isValidToolCallId(id: string, maxLength: number): boolean {
  return id.length > 0 && id.length <= maxLength && ID_CHARS.test(id);
}

function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** A fresh id in the shape Anthropic uses: `toolu_` + 24 random alphanumerics. */
export function freshToolUseId(): string {
  return `toolu_${randomAlphanumeric(24)}`;
}

/** The client-visible id for an upstream id that cannot be shown as it is. */
export function wrapUpstreamId(upstreamId: string): string {
  return `toolu_${randomAlphanumeric(8)}_${Buffer.from(upstreamId, 'utf8').toString('base64url')}`;
}

/** The upstream id a wrapped client id carries, or undefined for any other id. */
export function unwrapClientId(clientId: string): string | undefined {
  const match = WRAPPED.exec(clientId);
  if (!match) return undefined;
  const original = Buffer.from(match[1], 'base64url').toString('utf8');
  // Only a faithful round trip counts (a hand-written id that merely looks wrapped does not).
  return Buffer.from(original, 'utf8').toString('base64url') === match[1] && original ? original : undefined;
}

/**
 * Client → upstream ids for one outbound request, walked in conversation order: `forCall` for
 * each tool_use, `forResult` for each tool_result.
 */
export class OutboundToolIds {
  /** Latest upstream id per client id: a result pairs with the most recent call of that id. */
  private readonly current = new Map<string, string>();
  private readonly used = new Set<string>();
  private calls = 0;

  constructor(
    private readonly maxLength: number,
    private readonly format: ToolIdFormat = 'any',
  ) {}

  forCall(clientId: string, upstreamName = 'tool'): string {
    const issued = unwrapClientId(clientId);
    const upstream = this.choose(clientId, issued, upstreamName);
    this.calls++;
    this.used.add(upstream);
    this.current.set(clientId, upstream);
    return upstream;
  }

  /** The upstream id of the call this result answers, or undefined for an orphan result. */
  forResult(clientId: string): string | undefined {
    return this.current.get(clientId);
  }

  private choose(clientId: string, issued: string | undefined, upstreamName: string): string {
    switch (this.format) {
      case 'kimi': {
        // Kimi numbers calls itself and pairs results by position, so its own ids come back
        // as issued (repeats across turns are how its history looks) and others get its form.
        if (issued && KIMI_ID.test(issued)) return issued;
        return `functions.${upstreamName}:${this.calls}`;
      }
      case 'alnum9': {
        const fits = [issued, clientId].find((id) => id && ALNUM9.test(id) && !this.used.has(id));
        if (fits) return fits;
        let id = stableHash(clientId, 9);
        for (let n = 2; this.used.has(id); n++) id = stableHash(`${clientId}#${n}`, 9);
        return id;
      }
      default: {
        const fits = [issued, clientId].find(
          (id) => id && isValidToolCallId(id, this.maxLength) && !this.used.has(id),
        );
        if (fits) return fits;
        // The same client id on two calls (seen from backends that recycle ids) would make the
        // backend pair results ambiguously: later occurrences get a derived id.
        let id = this.rewrite(clientId, '');
        for (let n = 2; this.used.has(id); n++) id = this.rewrite(clientId, `#${n}`);
        return id;
      }
    }
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
    let id: string;
    if (typeof upstreamId !== 'string' || upstreamId.length === 0 || upstreamId.length > MAX_WRAPPED_LENGTH) {
      id = freshToolUseId();
    } else if (
      upstreamId.length >= MIN_PASS_THROUGH_LENGTH &&
      isValidToolCallId(upstreamId, MAX_PASS_THROUGH_LENGTH) &&
      !this.seen.has(upstreamId) &&
      !WRAPPED.test(upstreamId)
    ) {
      id = upstreamId;
    } else {
      id = wrapUpstreamId(upstreamId);
    }
    this.seen.add(upstreamId ?? id);
    return id;
  }
}
