/**
 * The benchmark's fake OpenAI-compatible upstream, run as its own process so it does not share an
 * event loop with the proxy or the load generator. Deliberately lean: every answer is serialised
 * once at start-up, a request is only scanned for `"stream":true`, and a streamed answer is 50
 * separate writes (one per event-loop turn, so the proxy really receives them as separate chunks).
 *
 * `GET /__bench/last-body` returns the last chat-completions body received: the orchestrator uses
 * it to send the *exact* request the proxy produced straight to this server for the direct baseline.
 *
 * Usage: node --import tsx bench/fakeUpstream.ts [--chunk-delay-ms N]; prints `READY <port>`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerPieces } from './payloads';

const BASE = {
  id: 'chatcmpl-bench',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'fake-model',
};

function sse(value: unknown): Buffer {
  return Buffer.from(`data: ${JSON.stringify(value)}\n\n`);
}

function streamFrames(): Buffer[] {
  const pieces = answerPieces();
  return [
    sse({ ...BASE, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
    ...pieces.map((content) =>
      sse({ ...BASE, choices: [{ index: 0, delta: { content }, finish_reason: null }] }),
    ),
    sse({ ...BASE, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
    sse({ ...BASE, choices: [], usage: { prompt_tokens: 1200, completion_tokens: 400, total_tokens: 1600 } }),
    Buffer.from('data: [DONE]\n\n'),
  ];
}

function completionBody(): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 1700000000,
      model: 'fake-model',
      choices: [
        { index: 0, message: { role: 'assistant', content: answerPieces().join('') }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 1200, completion_tokens: 400, total_tokens: 1600 },
    }),
  );
}

function startUpstream(port: number, chunkDelayMs: number): Promise<number> {
  const frames = streamFrames();
  const json = completionBody();
  const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(json.length) };
  const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  const pause =
    chunkDelayMs > 0
      ? (fn: () => void) => setTimeout(fn, chunkDelayMs)
      : (fn: () => void) => setImmediate(fn);
  let lastBody: Buffer = Buffer.alloc(0);

  const streamTo = (res: ServerResponse) => {
    res.writeHead(200, sseHeaders);
    let i = 0;
    const step = () => {
      if (res.destroyed) return;
      res.write(frames[i++]);
      if (i < frames.length) pause(step);
      else res.end();
    };
    step();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/__bench/last-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(lastBody);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      lastBody = body;
      if (body.includes('"stream":true')) streamTo(res);
      else {
        res.writeHead(200, jsonHeaders);
        res.end(json);
      }
    });
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.requestTimeout = 0;
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
void startUpstream(arg('--port', 0), arg('--chunk-delay-ms', 0)).then((port) => {
  process.stdout.write(`READY ${port}\n`);
});
// The orchestrator owns this process: when it goes, so do we.
process.on('disconnect', () => process.exit(0));
