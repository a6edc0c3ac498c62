import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { sseChunks } from '../../src/main/proxy/upstream/sseChunks';

async function collect(pieces: string[]): Promise<unknown[]> {
  const body = (async function* () {
    for (const p of pieces) yield new TextEncoder().encode(p);
  })();
  const out: unknown[] = [];
  for await (const chunk of sseChunks(body)) out.push(chunk);
  return out;
}

describe('sseChunks', () => {
  it('reads events split anywhere, including inside a multi-byte character', async () => {
    const text = 'data: {"a":"héllo"}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const body = (async function* () {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      })();
      const out: unknown[] = [];
      for await (const chunk of sseChunks(body)) out.push(chunk);
      expect(out).toEqual([{ a: 'héllo' }, { b: 2 }]);
    }
  });

  it('handles CRLF, comments, other fields, multi-line data and a last event without a blank line', async () => {
    expect(
      await collect([
        ': keep-alive\r\n\r\nevent: x\r\nid: 1\r\ndata: {"a":\r\ndata: 1}\r\n\r\n',
        'data: {"b":2}',
      ]),
    ).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('stops at [DONE] and ignores anything after it', async () => {
    expect(await collect(['data: {"a":1}\n\ndata: [DONE]\n\ndata: {"late":1}\n\n'])).toEqual([{ a: 1 }]);
  });

  it('raises an error object inside the stream as an APIError carrying it', async () => {
    const error = await collect([
      'data: {"a":1}\n\n',
      'data: {"error":{"message":"quota","code":429}}\n\n',
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).error).toEqual({ message: 'quota', code: 429 });
  });

  it('raises invalid JSON', async () => {
    await expect(collect(['data: {"a":\n\n'])).rejects.toBeInstanceOf(SyntaxError);
  });
});
