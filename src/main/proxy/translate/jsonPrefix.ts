/**
 * Tells, fragment by fragment, whether streamed tool arguments are still the beginning of a JSON
 * object. Clients parse `input_json_delta` fragments as they arrive, so a fragment that can no
 * longer lead to valid JSON must not be forwarded; and the stream translator needs to know when
 * the arguments are complete without re-parsing the whole text on every fragment.
 */

type Expect = 'value' | 'key' | 'colon' | 'commaOrEnd' | 'done';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];

export class JsonPrefix {
  private readonly stack: Array<'{' | '['> = [];
  private expect: Expect = 'value';
  private inString = false;
  private escaped = false;
  private unicodeLeft = 0;
  /** Characters of a number or literal being read. */
  private token = '';
  private stringIsKey = false;
  private broken = false;
  private started = false;
  /** Set right after `{` or `[` opens, so `}`/`]` may close it at once. */
  private emptyContainer = false;

  /** False once the text fed so far can no longer become a JSON object. */
  get valid(): boolean {
    return !this.broken;
  }

  /** A complete JSON object has been read (trailing whitespace allowed). */
  get complete(): boolean {
    return !this.broken && this.expect === 'done' && this.token === '';
  }

  /** Feeds the next fragment; returns `valid`. */
  feed(fragment: string): boolean {
    for (let i = 0; i < fragment.length && !this.broken; i++) this.step(fragment[i]);
    return !this.broken;
  }

  private fail(): void {
    this.broken = true;
  }

  private step(c: string): void {
    if (this.inString) return this.stepString(c);
    if (this.token !== '') {
      if (/[0-9a-zA-Z.+-]/.test(c)) {
        this.token += c;
        if (!tokenPrefixOk(this.token)) this.fail();
        return;
      }
      if (!tokenComplete(this.token)) return this.fail();
      this.token = '';
      this.valueDone();
    }
    if (WHITESPACE.has(c)) return;
    switch (this.expect) {
      case 'done':
        return this.fail();
      case 'colon':
        if (c === ':') this.expect = 'value';
        else this.fail();
        return;
      case 'key':
        if (c === '"') {
          this.inString = true;
          this.stringIsKey = true;
        } else if (c === '}' && this.emptyContainer) {
          this.close('{');
        } else this.fail();
        return;
      case 'commaOrEnd':
        if (c === ',') this.expect = this.stack.at(-1) === '{' ? 'key' : 'value';
        else if (c === '}' || c === ']') this.close(c === '}' ? '{' : '[');
        else this.fail();
        return;
      case 'value':
        return this.startValue(c);
    }
  }

  private startValue(c: string): void {
    if (!this.started) {
      this.started = true;
      // Tool input is always an object.
      if (c !== '{') return this.fail();
    }
    if (c === ']' && this.emptyContainer && this.stack.at(-1) === '[') return this.close('[');
    this.emptyContainer = false;
    if (c === '{' || c === '[') {
      this.stack.push(c);
      this.expect = c === '{' ? 'key' : 'value';
      this.emptyContainer = true;
    } else if (c === '"') {
      this.inString = true;
      this.stringIsKey = false;
    } else if (/[-0-9tfn]/.test(c)) {
      this.token = c;
    } else this.fail();
  }

  private stepString(c: string): void {
    if (this.unicodeLeft > 0) {
      if (!/[0-9a-fA-F]/.test(c)) return this.fail();
      this.unicodeLeft -= 1;
      return;
    }
    if (this.escaped) {
      this.escaped = false;
      if (c === 'u') this.unicodeLeft = 4;
      else if (!'"\\/bfnrt'.includes(c)) this.fail();
      return;
    }
    if (c === '\\') this.escaped = true;
    else if (c === '"') {
      this.inString = false;
      if (this.stringIsKey) {
        this.expect = 'colon';
        this.emptyContainer = false;
      } else this.valueDone();
    } else if (c < ' ') this.fail();
  }

  private close(kind: '{' | '['): void {
    if (this.stack.pop() !== kind) return this.fail();
    this.emptyContainer = false;
    this.valueDone();
  }

  private valueDone(): void {
    this.emptyContainer = false;
    this.expect = this.stack.length === 0 ? 'done' : 'commaOrEnd';
  }
}

function tokenPrefixOk(token: string): boolean {
  if (/^[tfn]/.test(token)) return LITERALS.some((l) => l.startsWith(token));
  return /^-?(0|[1-9][0-9]*)?(\.[0-9]*)?([eE][+-]?[0-9]*)?$/.test(token);
}

function tokenComplete(token: string): boolean {
  if (/^[tfn]/.test(token)) return LITERALS.includes(token);
  return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(token);
}
