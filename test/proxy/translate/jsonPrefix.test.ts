import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonPrefix } from '../../../src/main/proxy/translate/jsonPrefix';

function parsesToObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function read(text: string, pieces = [text]): JsonPrefix {
  const p = new JsonPrefix();
  for (const piece of pieces) p.feed(piece);
  return p;
}

describe('JsonPrefix', () => {
  const cases: Array<[string, boolean, boolean]> = [
    // text, valid prefix, complete
    ['', true, false],
    ['{', true, false],
    ['{}', true, true],
    ['{} \n', true, true],
    ['{"a":1', true, false],
    ['{"a":1}', true, true],
    ['{"a":[1,2,{"b":null}],"c":"x\\"y\\u00e9"}', true, true],
    ['{"a":tr', true, false],
    ['{"a":tx', false, false],
    ['{"a":1,}', false, false],
    ['"/x"}', false, false],
    ['[1]', false, false],
    ['{}{}', false, false],
    ['{"a":-0.5e+3}', true, true],
    ['{"a":01}', false, false],
    ['{"a" 1}', false, false],
    ['{"a":"\\q"}', false, false],
  ];
  for (const [text, valid, complete] of cases) {
    it(`${JSON.stringify(text)} → valid ${valid}, complete ${complete}`, () => {
      const p = read(text);
      expect([p.valid, p.complete]).toEqual([valid, complete]);
    });
  }

  it('accepts every prefix of any object, however it is split, and completes only at the end', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.nat(), { maxLength: 8 }),
        (obj, cuts) => {
          const text = JSON.stringify(obj, null, cuts.length % 2 ? 1 : undefined);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const bounds = [0, ...points, text.length];
          const p = new JsonPrefix();
          for (let i = 1; i < bounds.length; i++) {
            expect(p.feed(text.slice(bounds[i - 1], bounds[i]))).toBe(true);
            if (bounds[i] < text.length) expect(p.complete).toBe(false);
          }
          expect(p.complete).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expect(read(text).complete).toBe(parsesToObject(text));
      }),
      { numRuns: 500 },
    );
  });
});
