/**
 * The load generator, run as its own process (forked by bench/run.ts, driven over IPC) so that
 * it never shares an event loop with the proxy. The proxy, the peer and the direct baseline go
 * through the very same code, kept lean so that the baseline is not inflated by the client: a raw
 * `node:http` keep-alive Agent with one socket per concurrent worker, bodies encoded once per run,
 * answers collected as latin1 strings, `count` requests shared among `concurrency` workers,
 * timings taken with performance.now(). Time to first byte is the first body byte.
 *
 * Time to first text event: for the proxy the first `event: content_block_delta`, for the direct
 * baseline the first chunk whose delta carries non-empty `content`. Every answer must be a 200
 * and complete (`message_stop` / `[DONE]`); one answer in VALIDATE_EVERY is parsed in full and its
 * text length checked, which catches a broken translation without making the client the
 * bottleneck.
 */
import { Agent, request } from 'node:http';
import { TEXT_BYTES } from './payloads';
import type { RawRun } from './stats';

export type Target = 'direct' | 'proxy' | 'peer';

export interface RunSpec {
  target: Target;
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** Body for non-streaming requests and for streaming ones (mode 'mixed' alternates). */
  jsonBody: string;
  streamBody: string;
  mode: 'json' | 'stream' | 'mixed';
  concurrency: number;
  count: number;
  warmup: number;
  /** Stop issuing new requests after this long (the run is then reported as is). */
  maxSeconds: number;
  /** The direct baseline's answers come from the Responses API rather than chat completions. */
  responsesApi?: boolean;
}

const VALIDATE_EVERY = 16;

/** Sum of the answer's text lengths, from a complete SSE body. */
function streamedTextBytes(target: Target, text: string, responsesApi = false): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const event = JSON.parse(line.slice(6));
    if (responsesApi && target === 'direct') {
      if (event.type === 'response.output_text.delta') total += event.delta.length;
    } else if (target !== 'direct') {
      if (event.type === 'content_block_delta' && event.delta?.type === 'text_delta')
        total += event.delta.text.length;
    } else {
      const content = event.choices?.[0]?.delta?.content;
      if (typeof content === 'string') total += content.length;
    }
  }
  return total;
}

function jsonTextBytes(target: Target, text: string, responsesApi = false): number {
  const body = JSON.parse(text);
  if (target !== 'direct') return body.content?.[0]?.text?.length ?? -1;
  if (responsesApi) return body.output?.[0]?.content?.[0]?.text?.length ?? -1;
  return body.choices?.[0]?.message?.content?.length ?? -1;
}

const FIRST_TEXT_PROXY = 'event: content_block_delta';
const FIRST_TEXT_DIRECT = /"delta":\{[^}]*"content":"[^"]/;
const END_PROXY = 'event: message_stop';
const END_DIRECT = 'data: [DONE]';
const FIRST_TEXT_RESPONSES = '"type":"response.output_text.delta"';
const END_RESPONSES = 'event: response.completed';

interface Prepared {
  url: URL;
  agent: Agent;
  jsonBody: Buffer;
  streamBody: Buffer;
}

function oneRequest(
  prepared: Prepared,
  spec: RunSpec,
  stream: boolean,
  validate: boolean,
): Promise<{ latency: number; ttft: number | null; ttfb: number }> {
  const body = stream ? prepared.streamBody : prepared.jsonBody;
  return new Promise((resolveRequest, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: prepared.url.hostname,
        port: prepared.url.port,
        path: spec.path,
        method: 'POST',
        agent: prepared.agent,
        headers: { ...spec.headers, 'content-length': body.length },
      },
      (res) => {
        let text = '';
        let ttft: number | null = null;
        let ttfb = NaN;
        const proxyLike = spec.target !== 'direct';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          if (Number.isNaN(ttfb)) ttfb = performance.now() - started;
          const from = Math.max(0, text.length - 64);
          text += chunk;
          if (stream && ttft === null) {
            const found = proxyLike
              ? text.indexOf(FIRST_TEXT_PROXY, from) !== -1
              : spec.responsesApi
                ? text.indexOf(FIRST_TEXT_RESPONSES, from) !== -1
                : FIRST_TEXT_DIRECT.test(text.slice(from));
            if (found) ttft = performance.now() - started;
          }
        });
        res.once('error', reject);
        res.once('end', () => {
          const latency = performance.now() - started;
          try {
            if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
            if (stream) {
              const end = proxyLike ? END_PROXY : spec.responsesApi ? END_RESPONSES : END_DIRECT;
              if (!text.includes(end)) throw new Error(`stream ended without ${end}: …${text.slice(-200)}`);
              if (ttft === null) throw new Error('stream carried no text');
            }
            if (validate) {
              const bytes = stream
                ? streamedTextBytes(spec.target, text, spec.responsesApi)
                : jsonTextBytes(spec.target, text, spec.responsesApi);
              if (bytes !== TEXT_BYTES)
                throw new Error(`answer carried ${bytes} bytes of text, expected ${TEXT_BYTES}`);
            }
            resolveRequest({ latency, ttft, ttfb });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

export async function runLoad(spec: RunSpec): Promise<RawRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency, keepAliveMsecs: 120_000 });
  const prepared: Prepared = {
    url: new URL(spec.origin),
    agent,
    jsonBody: Buffer.from(spec.jsonBody),
    streamBody: Buffer.from(spec.streamBody),
  };
  const latencies: number[] = [];
  const ttfts: number[] = [];
  const ttfbs: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let validated = 0;

  const phase = async (count: number, record: boolean, deadline: number) => {
    let issued = 0;
    const worker = async () => {
      while (issued < count && performance.now() < deadline) {
        const n = issued++;
        const stream = spec.mode === 'stream' || (spec.mode === 'mixed' && n % 2 === 1);
        // Always validate the first answers, then one in VALIDATE_EVERY.
        const validate = validated < 4 || n % VALIDATE_EVERY === 0;
        if (validate) validated++;
        try {
          const { latency, ttft, ttfb } = await oneRequest(prepared, spec, stream, validate);
          if (!record) continue;
          latencies.push(latency);
          ttfbs.push(ttfb);
          if (ttft !== null) ttfts.push(ttft);
        } catch (error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push((error as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  };

  const maxMs = spec.maxSeconds * 1000;
  await phase(spec.warmup, false, performance.now() + maxMs);
  const started = performance.now();
  await phase(spec.count, true, started + maxMs);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const micro = (v: number) => Math.round(v * 1000) / 1000;
  return {
    errors,
    errorSamples,
    seconds,
    latencies: latencies.map(micro),
    ttfts: ttfts.map(micro),
    ttfbs: ttfbs.map(micro),
  };
}

// Run as a child process: one RunSpec in, one RawRun out, until the parent disconnects.
if (process.send) {
  process.on('message', (message: { id: number; spec: RunSpec }) => {
    runLoad(message.spec).then(
      (result) => process.send!({ id: message.id, result }),
      (error: Error) => process.send!({ id: message.id, error: error.stack ?? error.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
