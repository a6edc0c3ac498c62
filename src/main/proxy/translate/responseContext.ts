/** What translating an upstream answer (whole or streamed) back to the client needs. */
import { redactSecrets } from '../redact';
import { reasoningFromSignature } from './responses/reasoningSignature';
import { detailsFromData } from './reasoningDetails';
import type { ThoughtSignatureStore } from './thoughtSignatures';
import type { ToolNameMap } from './toolNames';

export interface ResponseContext {
  /** The model name the client asked for; answers carry it back unchanged. */
  clientModel: string;
  /** `msg_…` id of the answer. */
  messageId: string;
  /** The request's tool-name map, to give the client back its own tool names. */
  names: ToolNameMap;
  /** The stop sequences that were sent, to recognise which one a backend says it matched. */
  stopSequences: string[];
  signatures: ThoughtSignatureStore;
  /** Remember Gemini thought signatures for the next turn (providers with echoThoughtSignature). */
  rememberSignatures: boolean;
  /** Upstream tool whose arguments are the answer's text (structured output by forced tool). */
  structuredOutputTool?: string;
  /** A cheap estimate of the input tokens for message_start (the exact count comes at the end). */
  inputTokenEstimate?: number;
  /** Factor for the input counts the client sees (context scaling; 1 or absent: none). */
  inputScale?: number;
  /** The backend searched the web: answer with Anthropic's web search blocks. */
  webSearch?: { query: string } | null;
  /** Keys to redact from upstream-chosen text that reaches the client (e.g. invented tool names). */
  secrets?: string[];
}

/**
 * The client's name for a tool the upstream called. A name the request never declared is the
 * upstream's own text (upstreams have echoed keys there), so it is redacted like any other.
 */
export function clientToolName(rctx: ResponseContext, upstreamName: string): string {
  const name = rctx.names.toClient(upstreamName);
  return rctx.names.knowsUpstream(upstreamName) ? name : redactSecrets(name, rctx.secrets ?? []);
}

/**
 * The `signature` of thinking blocks made from backend reasoning text. Clients require a
 * non-empty signature and send it back unchanged; the backend never sees it.
 */
export const THINKING_SIGNATURE = 'turnout';

/**
 * Whether a thinking block's signature was made by Turnout (from chat reasoning text, or carrying
 * a Responses API reasoning item): Anthropic would reject it, so the pass-through drops it.
 */
export function madeByTurnout(signature: unknown): boolean {
  // (reasoning_details travel in redacted_thinking blocks; see isTurnoutBlock.)
  return signature === THINKING_SIGNATURE || reasoningFromSignature(signature) !== undefined;
}

/** A thinking or redacted_thinking block Turnout made (Anthropic would reject it). */
export function isTurnoutBlock(block: unknown): boolean {
  const b = block as { type?: unknown; signature?: unknown; data?: unknown } | null;
  if (b?.type === 'thinking') return madeByTurnout(b.signature);
  if (b?.type === 'redacted_thinking') return detailsFromData(b.data) !== undefined;
  return false;
}
