/**
 * Tool-call argument strings → tool_use input objects. A tool_use never silently loses its
 * input: arguments that cannot be read as a JSON object are handed over under `_raw_arguments`,
 * so the client's tool validation fails visibly and the model sees what it sent. Only arguments
 * cut off by the token limit become `{}`, because the answer then ends with `max_tokens`.
 */

export const RAW_ARGUMENTS_KEY = '_raw_arguments';

export type ParsedArguments =
  { ok: true; input: Record<string, unknown> } | { ok: false; input: Record<string, unknown> };

export function parseToolArguments(raw: string | null | undefined, truncated: boolean): ParsedArguments {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, input: {} };
  const parsed = tryParse(text);
  if (isObject(parsed)) return { ok: true, input: parsed };
  // Some models double-encode: the arguments are a JSON string holding the JSON object.
  if (typeof parsed === 'string') {
    const inner = tryParse(parsed);
    if (isObject(inner)) return { ok: true, input: inner };
  }
  return { ok: false, input: truncated ? {} : { [RAW_ARGUMENTS_KEY]: raw ?? '' } };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
