/**
 * Text that reaches a log line: model names, block types, tool names and upstream messages are
 * chosen by clients or upstreams, so control characters are escaped (a newline would forge a
 * line, escape codes would reach the terminal) and long values are cut (a 1 MB tool name would
 * make a 1 MB line).
 */

// C0 and C1 controls, DEL, the Unicode line/paragraph separators and the bidi overrides.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNSAFE = new RegExp(UNSAFE.source);

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** `text` with control characters escaped, at most `max` characters long (then ending in …). */
export function logField(text: string, max: number): string {
  let out = text.length > max ? text.slice(0, max) : text;
  let cut = text.length > max;
  if (HAS_UNSAFE.test(out)) {
    out = out.replace(UNSAFE, escapeChar);
    if (out.length > max) {
      out = out.slice(0, max);
      cut = true;
    }
  }
  return cut ? `${out}…` : out;
}
