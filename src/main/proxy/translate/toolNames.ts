/**
 * Tool names as the backend sees them. OpenAI-compatible servers reject names outside
 * `^[a-zA-Z0-9_-]{1,64}$`, while Anthropic clients (MCP tools especially) use dots, colons and
 * names far longer than 64 characters. Illegal names are rewritten deterministically, so no state
 * survives between requests: the next turn rebuilds the same map from the same names.
 */
import type { MessagesRequest } from '../anthropicTypes';
import { stableHash } from './stableHash';

const LEGAL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME_LENGTH = 64;

export function isLegalToolName(name: string): boolean {
  return LEGAL_NAME.test(name);
}

/**
 * The upstream spelling of one client name: legal names are kept; others get illegal characters
 * replaced and a hash of the original appended, which keeps distinct names distinct even when
 * they differ only in the replaced characters or beyond the cut.
 */
export function upstreamToolName(clientName: string, salt = ''): string {
  if (!salt && isLegalToolName(clientName)) return clientName;
  const suffix = `_${stableHash(clientName + salt, 8)}`;
  const cleaned = clientName.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}

/** Two-way map between client tool names and the names the backend sees. */
export class ToolNameMap {
  private readonly upstreamByClient = new Map<string, string>();
  private readonly clientByUpstream = new Map<string, string>();

  /** Every name the request mentions: declared tools, tool calls in history, tool_choice. */
  static fromRequest(req: Pick<MessagesRequest, 'tools' | 'messages' | 'tool_choice'>): ToolNameMap {
    const names: string[] = [];
    for (const tool of req.tools ?? []) if (typeof tool.name === 'string') names.push(tool.name);
    for (const message of req.messages) {
      if (!Array.isArray(message.content)) continue;
      for (const block of message.content) {
        if (block.type === 'tool_use' && typeof block.name === 'string') names.push(block.name);
      }
    }
    if (req.tool_choice?.type === 'tool') names.push(req.tool_choice.name);
    return ToolNameMap.fromNames(names);
  }

  static fromNames(names: Iterable<string>): ToolNameMap {
    const map = new ToolNameMap();
    const unique = [...new Set(names)];
    // Legal names claim their own spelling first so a rewritten name can never displace them.
    for (const name of unique.filter(isLegalToolName)) map.link(name, name);
    for (const name of unique.filter((n) => !isLegalToolName(n))) map.toUpstream(name);
    return map;
  }

  /** The upstream name for a client name; unknown names are added on the fly. */
  toUpstream(clientName: string): string {
    const known = this.upstreamByClient.get(clientName);
    if (known !== undefined) return known;
    let candidate = upstreamToolName(clientName);
    for (let attempt = 1; this.clientByUpstream.has(candidate); attempt++) {
      candidate = upstreamToolName(clientName, `#${attempt}`);
    }
    this.link(clientName, candidate);
    return candidate;
  }

  /** True when the name is one the request itself declared or used (upstream spelling). */
  knowsUpstream(upstreamName: string): boolean {
    return this.clientByUpstream.has(upstreamName);
  }

  /** The client's own name for an upstream name; names we never rewrote come back unchanged. */
  toClient(upstreamName: string): string {
    return this.clientByUpstream.get(upstreamName) ?? upstreamName;
  }

  /** Client names that had to be rewritten, for the request log. */
  get rewritten(): Array<{ client: string; upstream: string }> {
    return [...this.upstreamByClient]
      .filter(([client, upstream]) => client !== upstream)
      .map(([client, upstream]) => ({ client, upstream }));
  }

  private link(clientName: string, upstreamName: string): void {
    this.upstreamByClient.set(clientName, upstreamName);
    this.clientByUpstream.set(upstreamName, clientName);
  }
}
