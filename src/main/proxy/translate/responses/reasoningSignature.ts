/**
 * The encrypted reasoning item of the Responses API, carried in an Anthropic thinking block's
 * `signature`. Clients keep signatures opaque and send them back unchanged, so the next request
 * can hand the model its own reasoning back without OpenAI storing anything (`store: false`).
 * The prefix tells our own signatures from those of Anthropic or of other backends.
 */
const PREFIX = 'turnout.responses.v1:';

export function signatureForReasoning(encrypted: string): string {
  return PREFIX + encrypted;
}

/** The encrypted reasoning in a signature this dialect made; undefined for any other signature. */
export function reasoningFromSignature(signature: unknown): string | undefined {
  if (typeof signature !== 'string' || !signature.startsWith(PREFIX)) return undefined;
  const encrypted = signature.slice(PREFIX.length);
  return encrypted.length > 0 ? encrypted : undefined;
}
