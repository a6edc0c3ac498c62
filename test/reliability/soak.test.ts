/**
 * Soak: a few thousand mixed requests (streamed and not, text and tool calls) over loopback at
 * steady concurrency, about one in ten abandoned by its client mid-stream. Afterwards every
 * abandoned request has aborted its upstream call, nothing is left in flight, the upstream
 * sockets drain back to the baseline, heap use is back near where it started, and every
 * answer that was read to the end was a valid Anthropic answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { chunk, completion, textChunks } from '../support/fakeUpstream';
import { startHarness, type Harness } from '../support/proxyHarness';
import { checkGrammar, parseEvents } from '../support/anthropicStream';

const TOTAL = 2400;
const CONCURRENCY = 24;
const ABORT_EVERY = 10;

type Scenario = 'json-text' | 'json-tool' | 'sse-text' | 'sse-tool' | 'sse-abandoned';

const unhandled = vi.fn();
process.on('unhandledRejection', unhandled);
process.on('uncaughtException', unhandled);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const toolCall = (args: string[]) => [
  chunk({
    role: 'assistant',
    tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'Read', arguments: '' } }],
  }),
  ...args.map((a) => chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] })),
  chunk({}, 'tool_calls'),
  {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [],
    usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 },
  },
];

/** The upstream answers by the scenario named in the last user message. */
async function answer(_req: IncomingMessage, res: ServerResponse, body: any): Promise<void> {
  const last = body.messages.at(-1)?.content;
  const scenario = (typeof last === 'string' ? last : JSON.stringify(last)).match(
    /scenario:([a-z-]+)/,
  )?.[1] as Scenario;
  const sse = (events: unknown[], done = true) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
    if (done) res.end('data: [DONE]\n\n');
  };
  switch (scenario) {
    case 'json-text':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion('plain answer')));
      return;
    case 'json-tool':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          completion('', {
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: null,
                  tool_calls: [
                    {
                      id: 'call_9',
                      type: 'function',
                      function: { name: 'Read', arguments: '{"path":"/a"}' },
                    },
                  ],
                },
                finish_reason: 'tool_calls',
              },
            ],
          }),
        ),
      );
      return;
    case 'sse-text':
      sse(textChunks(['streamed ', 'answer ', 'in ', 'parts']));
      return;
    case 'sse-tool':
      sse(toolCall(['{"pa', 'th":', '"/b"}']));
      return;
    case 'sse-abandoned':
      // Starts answering, then waits: only the proxy aborting the call ends this response.
      sse(textChunks(['never ', 'finished']).slice(0, 3), false);
      return;
  }
}

// The clients' own pool lets idle connections go quickly, so the socket count can settle.
const clientPool = new Agent({ keepAliveTimeout: 300, keepAliveMaxTimeout: 300 });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ upstream: { keepAliveTimeoutMs: 500, idleSocketTimeoutMs: 2000 } });
  h.upstream.fallback = { kind: 'custom', handle: answer };
});
afterAll(async () => {
  process.off('unhandledRejection', unhandled);
  process.off('uncaughtException', unhandled);
  await h.close();
  await clientPool.close();
});

const TOOLS = [
  {
    name: 'Read',
    description: 'Read a file',
    input_schema: { type: 'object', properties: { path: { type: 'string' } } },
  },
];

function scenarioFor(i: number): Scenario {
  if (i % ABORT_EVERY === 0) return 'sse-abandoned';
  return (['json-text', 'json-tool', 'sse-text', 'sse-tool'] as const)[i % 4];
}

/** One client request; returns how it ended. */
async function run(i: number): Promise<'ok' | 'abandoned'> {
  const scenario = scenarioFor(i);
  const stream = scenario.startsWith('sse');
  const abort = new AbortController();
  const res = await undiciFetch(`${h.baseUrl}/v1/messages`, {
    dispatcher: clientPool,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({
      model: i % 3 === 0 ? 'claude-haiku-4-5' : 'claude-sonnet-4-5',
      max_tokens: 512,
      stream,
      messages: [{ role: 'user', content: `request ${i} scenario:${scenario}` }],
      ...(scenario.endsWith('tool') ? { tools: TOOLS } : {}),
    }),
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  if (scenario === 'sse-abandoned') {
    // Read until the first text arrives, then walk away mid-stream.
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('content_block_delta')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before the client could abandon it');
      seen += new TextDecoder().decode(value);
    }
    abort.abort();
    await reader.cancel().catch(() => undefined);
    return 'abandoned';
  }
  if (!stream) {
    const message = (await res.json()) as { type: string; stop_reason: string };
    expect(message.type).toBe('message');
    expect(message.stop_reason).toBe(scenario === 'json-tool' ? 'tool_use' : 'end_turn');
    return 'ok';
  }
  const verdict = checkGrammar(parseEvents(await res.text()));
  expect(verdict.outcome).toBe('complete');
  if (scenario === 'sse-tool') expect(verdict.tools).toEqual([{ name: 'Read', input: { path: '/b' } }]);
  else expect(verdict.text).toBe('streamed answer in parts');
  return 'ok';
}

async function runAll(from: number, to: number): Promise<{ ok: number; abandoned: number }> {
  let next = from;
  const tally = { ok: 0, abandoned: 0 };
  const worker = async () => {
    while (next < to) {
      const outcome = await run(next++);
      tally[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return tally;
}

/** TCP sockets open in this process: client→proxy, proxy→upstream and their server ends. */
const openTcpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

/** Waits until nothing is in flight upstream and every socket has closed again. */
async function settled(baselineSockets: number): Promise<void> {
  await vi.waitFor(
    () => {
      expect(h.upstream.inFlight()).toBe(0);
      expect(h.upstream.openSockets()).toBe(0);
      expect(openTcpSockets()).toBeLessThanOrEqual(baselineSockets);
    },
    { timeout: 20_000, interval: 200 },
  );
}

it(`serves ${TOTAL} mixed requests with ~10% abandoned and leaks nothing`, { timeout: 90_000 }, async () => {
  const baselineSockets = openTcpSockets();
  // Warm-up (JIT, pools, caches), then the heap baseline.
  await runAll(1, 201);
  await settled(baselineSockets);
  const heapBefore = heapAfterGc();
  const abortedBefore = h.upstream.aborted;
  const finalStates = new Map<string, string>();
  const unsubscribe = h.controller.log.subscribe((record, kind) => {
    if (kind === 'updated') finalStates.set(record.id, record.state);
  });

  const started = Date.now();
  const tally = await runAll(1000, 1000 + TOTAL);
  const elapsed = Date.now() - started;
  unsubscribe();

  expect(tally.ok + tally.abandoned).toBe(TOTAL);
  expect(tally.abandoned).toBe(TOTAL / ABORT_EVERY);
  // Every abandoned request aborted its upstream call, and nothing else was aborted.
  await vi.waitFor(() => expect(h.upstream.aborted - abortedBefore).toBe(tally.abandoned), { timeout: 5000 });
  const states = [...finalStates.values()];
  expect(states.filter((s) => s === 'aborted')).toHaveLength(tally.abandoned);
  expect(states.filter((s) => s === 'done')).toHaveLength(tally.ok);

  // In-flight upstream calls, upstream sockets and every socket of the process drain back to
  // the baseline: the pools hold idle connections only until the peers' keep-alive ends.
  await settled(baselineSockets);
  // Heap back near the baseline (the request log ring is bounded at 1000 small records).
  const growth = heapAfterGc() - heapBefore;
  expect(growth).toBeLessThan(24 * 1024 * 1024);
  expect(unhandled).not.toHaveBeenCalled();
  console.log(
    `soak: ${TOTAL} requests in ${(elapsed / 1000).toFixed(1)} s, ${tally.abandoned} abandoned, heap ${(growth / 1048576).toFixed(1)} MB`,
  );
});
