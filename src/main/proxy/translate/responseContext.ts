/** What translating an upstream answer (whole or streamed) back to the client needs. */
import { redactSecrets } from '../redact';
import { reasoningFromSignature } from './responses/reasoningSignature';
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
  return signature === THINKING_SIGNATURE || reasoningFromSignature(signature) !== undefined;
}
