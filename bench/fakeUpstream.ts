/**
 * The benchmark's fake OpenAI-compatible upstream, run as its own process so it does not share an
 * event loop with the proxy or the load generator. Deliberately lean, so that the direct baseline
 * is what an upstream minimally costs: every answer is serialised once at start-up, a request's
 * body is not kept, only its chunks scanned for `"stream":true` as they arrive (bodies over 64 KB,
 * i.e. the long-session requests, are read whole and parsed, as any backend must), and a streamed
 * answer is 50 separate `write`s made straight out, one after the other (with `--chunk-delay-ms
 * 0`, one per event-loop turn; with N > 0, N ms apart).
 *
 * `POST …/responses` answers the same text the way the Responses API does (the Responses scenario).
 *
 * `POST /__bench/record` makes the server keep the next chat-completions body it receives, and
 * `GET /__bench/last-body` returns it: the orchestrator uses them to send the *exact* request the
 * proxy produced straight to this server for the direct baseline.
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

const STREAM_FLAG = Buffer.from('"stream":true');
/** Bodies larger than this (the long-session requests) are parsed; smaller ones only scanned. */
const PARSE_ABOVE = 64 * 1024;

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

/** The same answer from the Responses API (`POST /v1/responses`), in its documented event order. */
function responsesFrames(): Buffer[] {
  const pieces = answerPieces();
  const text = pieces.join('');
  let n = 0;
  const event = (type: string, fields: Record<string, unknown>) =>
    Buffer.from(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: n++ })}\n\n`);
  const response = (status: string, output: unknown[], usage: unknown) => ({
    id: 'resp_bench',
    object: 'response',
    created_at: 1700000000,
    model: 'fake-model',
    status,
    output,
    usage,
  });
  const at = { item_id: 'msg_bench', output_index: 0, content_index: 0 };
  const item = (status: string, content: unknown[]) => ({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    status,
    content,
  });
  const part = { type: 'output_text', text, annotations: [] };
  return [
    event('response.created', { response: response('in_progress', [], null) }),
    event('response.output_item.added', { output_index: 0, item: item('in_progress', []) }),
    event('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } }),
    ...pieces.map((delta) => event('response.output_text.delta', { ...at, delta, logprobs: [] })),
    event('response.output_text.done', { ...at, text }),
    event('response.content_part.done', { ...at, part }),
    event('response.output_item.done', { output_index: 0, item: item('completed', [part]) }),
    event('response.completed', {
      response: response('completed', [item('completed', [part])], RESPONSES_USAGE),
    }),
  ];
}

const RESPONSES_USAGE = {
  input_tokens: 1200,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 400,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 1600,
};

function responsesBody(): Buffer {
  const text = answerPieces().join('');
  return Buffer.from(
    JSON.stringify({
      id: 'resp_bench',
      object: 'response',
      created_at: 1700000000,
      model: 'fake-model',
      status: 'completed',
      output: [
        {
          id: 'msg_bench',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text, annotations: [] }],
        },
      ],
      usage: RESPONSES_USAGE,
    }),
  );
}

function startUpstream(port: number, chunkDelayMs: number): Promise<number> {
  const frames = streamFrames();
  const json = completionBody();
  const responseFrames = responsesFrames();
  const responseJson = responsesBody();
  const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(json.length) };
  const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  const pause =
    chunkDelayMs > 0
      ? (fn: () => void) => setTimeout(fn, chunkDelayMs)
      : (fn: () => void) => setImmediate(fn);
  let lastBody: Buffer = Buffer.alloc(0);
  let record = false;

  const streamTo = (res: ServerResponse, frames: Buffer[]) => {
    res.writeHead(200, sseHeaders);
    if (chunkDelayMs < 0) {
      for (const frame of frames) res.write(frame);
      res.end();
      return;
    }
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
    if (req.method === 'POST' && req.url === '/__bench/record') {
      record = true;
      res.end();
      return;
    }
    const keep = record;
    record = false;
    const chunks: Buffer[] = [];
    let size = 0;
    let stream = false;
    let tail: Buffer | null = null;
    req.on('data', (c: Buffer) => {
      size += c.length;
      chunks.push(c);
      if (stream) return;
      // The flag may straddle two chunks: look at the seam too.
      stream =
        c.includes(STREAM_FLAG) ||
        (tail !== null && Buffer.concat([tail, c.subarray(0, STREAM_FLAG.length)]).includes(STREAM_FLAG));
      tail = c.subarray(Math.max(0, c.length - STREAM_FLAG.length));
    });
    req.on('end', () => {
      if (keep) lastBody = Buffer.concat(chunks);
      // A long request is read whole and parsed before answering, the least any real backend
      // does with it: that is the upstream's own time on a long session in the direct baseline.
      if (size > PARSE_ABOVE) {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean };
        stream = parsed.stream === true;
      }
      const responsesApi = req.url?.endsWith('/responses') === true;
      if (stream) streamTo(res, responsesApi ? responseFrames : frames);
      else if (responsesApi) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(responseJson.length),
        });
        res.end(responseJson);
      } else {
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
// 0 (the default): one chunk per event-loop turn; -1: all chunks in one burst.
void startUpstream(arg('--port', 0), arg('--chunk-delay-ms', 0)).then((port) => {
  process.stdout.write(`READY ${port}\n`);
});
// The orchestrator owns this process: when it goes, so do we.
process.on('disconnect', () => process.exit(0));
