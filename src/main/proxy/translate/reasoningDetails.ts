/**
 * OpenRouter's (and MiniMax's) `reasoning_details`: structured reasoning, often encrypted, that
 * must be sent back unchanged on the assistant message for Gemini 3 and Claude tool loops to
 * keep their reasoning (https://openrouter.ai/docs/use-cases/reasoning-tokens#preserving-reasoning-blocks).
 * It travels through the client in a `redacted_thinking` block, whose `data` clients keep opaque
 * and send back unchanged; the prefix tells ours from Anthropic's.
 */
const PREFIX = 'turnout.details.v1:';

export function dataForDetails(details: unknown[]): string {
  return PREFIX + Buffer.from(JSON.stringify(details), 'utf8').toString('base64url');
}

/** The details a `redacted_thinking` block of ours carries; undefined for any other data. */
export function detailsFromData(data: unknown): unknown[] | undefined {
  if (typeof data !== 'string' || !data.startsWith(PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(
      Buffer.from(data.slice(PREFIX.length), 'base64url').toString('utf8'),
    ) as unknown;
    return Array.isArray(parsed) && parsed.length > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `reasoning_details` on a message or a stream delta, if the backend sent any. */
export function reasoningDetailsOf(messageOrDelta: unknown): unknown[] | undefined {
  const details = (messageOrDelta as { reasoning_details?: unknown } | null | undefined)?.reasoning_details;
  return Array.isArray(details) && details.length > 0 ? details : undefined;
}

type Detail = Record<string, unknown>;

/**
 * Streamed details arrive in pieces: a `reasoning.text` or `reasoning.summary` item is continued
 * by later pieces with the same `index` and type, whose strings are appended; anything else is a
 * whole item.
 */
export function mergeDetailPieces(into: Detail[], pieces: unknown[]): void {
  for (const piece of pieces) {
    if (!piece || typeof piece !== 'object') continue;
    const p = piece as Detail;
    const last = into.at(-1);
    if (last && typeof p.index === 'number' && last.index === p.index && last.type === p.type) {
      for (const key of ['text', 'summary', 'data', 'signature']) {
        if (typeof p[key] === 'string')
          last[key] = `${typeof last[key] === 'string' ? last[key] : ''}${p[key]}`;
      }
    } else {
      into.push({ ...p });
    }
  }
}
