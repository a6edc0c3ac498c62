/**
 * `npm run bench`: the proxy against calling the upstream directly, in one run, on 127.0.0.1.
 *
 * Four processes (plus a launcher if `serve` uses one), so no two parts share an event loop:
 *   - this orchestrator: starts the others, samples the proxy's RSS/CPU from /proc, prints;
 *   - the fake upstream (bench/fakeUpstream.ts): canned answers, serialised once, written out lean;
 *   - the proxy, started with the `serve` script from package.json, as users run it;
 *   - the load generator (bench/loadGenerator.ts): the same raw node:http keep-alive client for
 *     the proxy, the peer and the direct baseline.
 * With `--peer ccr`, a fifth: claude-code-router, installed from npm into a temporary folder and
 * configured against the same fake upstream (bench/peer.ts).
 *
 * Options: --smoke (tiny counts, for CI), --compare FILE, --out FILE, --reps N,
 * --peer ccr [--peer-version V] (also measure claude-code-router; default version 2.0.0),
 * --chunk-delay-ms N (pause between upstream stream chunks; default: none, all written straight
 * out; 0 = one event-loop turn),
 * --serve "CMD" (start the proxy with another command, e.g. "node --cpu-prof scripts/serve.mjs"),
 * --only "stream c50" (that scenario alone, no leak check, one start-up: for profiling),
 * --rounds N (leak-check rounds of 5000 requests at c50; default 6, i.e. 30,000 requests).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_VARIABLES } from '../src/main/app/envConfig';
import { compareResults } from './compare';
import type { RunSpec, Target } from './loadGenerator';
import { anthropicRequest, longSessionRequest, TEXT_BYTES, TEXT_CHUNKS } from './payloads';
import { startCcr, type Peer } from './peer';
import { RssSampler, treeStats } from './processStats';
import { formatTable, type BenchResult, type ScenarioResult, type TargetCheck } from './report';
import { summarize, type RawRun, type RunResult } from './stats';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');

// ---- options -------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const smoke = flag('--smoke');
const reps = Number(option('--reps') ?? (smoke ? 1 : 2));
const chunkDelayMs = Number(option('--chunk-delay-ms') ?? 0);
const peerName = option('--peer');
if (peerName !== undefined && peerName !== 'ccr') throw new Error(`unknown peer "${peerName}" (known: ccr)`);
const peerVersion = option('--peer-version') ?? '2.0.0';
const compareFile = option('--compare');
const outFile = option('--out');
const only = option('--only');

const COUNTS = smoke
  ? {
      warmup: 20,
      json1: 100,
      json50: 300,
      stream1: 50,
      stream50: 300,
      long: 3,
      longWarmup: 1,
      longHuge: 0,
      leakRounds: 2,
      leakPerRound: 300,
      startups: 1,
    }
  : {
      warmup: 300,
      json1: 3000,
      json50: 10000,
      stream1: 1000,
      stream50: 5000,
      long: 30,
      longWarmup: 3,
      longHuge: 3,
      leakRounds: 6,
      leakPerRound: 5000,
      startups: 3,
    };
const MAX_SECONDS = smoke ? 20 : 60;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

// ---- child processes -----------------------------------------------------------------------

const children = new Set<ChildProcess>();
const dataDirs: string[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for one proxy's usage history, removed when the bench ends. */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'turnout-bench-'));
  dataDirs.push(dir);
  return dir;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function forkTs(file: string, args: string[] = []): ChildProcess {
  const child = fork(join(BENCH, file), args, {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function startUpstream(): Promise<{ port: number; child: ChildProcess }> {
  const child = forkTs('fakeUpstream.ts', ['--chunk-delay-ms', String(chunkDelayMs)]);
  const port = await new Promise<number>((resolvePort, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const match = /READY (\d+)/.exec(text);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`fake upstream exited (${code})`)));
  });
  return { port, child };
}

function startLoadGenerator(): { pid: number; load: (spec: RunSpec) => Promise<RawRun> } {
  const child = forkTs('loadGenerator.ts');
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: RawRun) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id: number; result?: RawRun; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(`load generator: ${message.error}`));
    else waiter?.resolve(message.result!);
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
  });
  const load = (spec: RunSpec) =>
    new Promise<RawRun>((resolveRun, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolveRun, reject });
      child.send({ id, spec });
    });
  return { pid: child.pid!, load };
}

/** The `serve` script from package.json as argv, with local binaries resolved. */
function serveCommand(): string[] {
  const custom = option('--serve');
  const script =
    custom ?? (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.serve as string);
  const words = script.trim().split(/\s+/);
  if (words[0] === 'node') words[0] = process.execPath;
  else if (!words[0].includes('/')) words[0] = join(ROOT, 'node_modules', '.bin', words[0]);
  return words;
}

interface Proxy {
  child: ChildProcess;
  port: number;
  startupMs: number;
  listeningMs: number;
  stop(): Promise<void>;
}

function postJson(port: number, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolvePost, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          'x-api-key': 'bench',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolvePost({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** The fake upstream keeps the next body it receives (for the direct baseline). */
async function recordNext(port: number): Promise<void> {
  const { status } = await postJson(port, '/__bench/record', '{}');
  if (status !== 200) throw new Error(`fake upstream refused to record (${status})`);
}

function getText(port: number, path: string): Promise<string> {
  return new Promise((resolveGet, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolveGet(text));
    })
      .once('error', reject)
      .end();
  });
}

async function startProxy(upstreamPort: number, firstRequest: string): Promise<Proxy> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env };
  // Whatever the developer's environment or .env says, the bench proxy is configured only by us.
  for (const name of ENV_VARIABLES) env[name] = '';
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PREFERRED_PROVIDER: 'openai',
    OPENAI_API_KEY: 'bench-key',
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
    BIG_MODEL: 'fake-big',
    SMALL_MODEL: 'fake-small',
    NODE_ENV: 'production',
    // The usage store is on unless TURNOUT_USAGE=off is set; its file goes to a fresh folder.
    TURNOUT_DATA_DIR: dataDir(),
  });
  const [command, ...args] = serveCommand();
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let listeningMs = NaN;
  let stderr = '';
  let exited = false;
  child.once('exit', () => {
    exited = true;
    children.delete(child);
  });
  // Drain the request log as a terminal would, without keeping it.
  child.stdout!.on('data', (d: Buffer) => {
    if (Number.isNaN(listeningMs) && d.includes('serving')) listeningMs = performance.now() - started;
  });
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 10_000) stderr += d.toString();
  });
  let startupMs = NaN;
  while (Number.isNaN(startupMs)) {
    if (exited) throw new Error(`proxy exited during start-up: ${stderr}`);
    if (performance.now() - started > 30_000) throw new Error(`proxy did not answer within 30 s: ${stderr}`);
    try {
      const { status, text } = await postJson(port, '/v1/messages', firstRequest);
      if (status !== 200) throw new Error(`proxy answered ${status} to the start-up request: ${text}`);
      startupMs = performance.now() - started;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
      await sleep(5);
    }
  }
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (exited) return resolveStop();
      child.once('exit', () => resolveStop());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { child, port, startupMs, listeningMs, stop };
}

/**
 * Mean RSS of the later half of the leak-check rounds minus that of the earlier half. Without a
 * forced GC, RSS after any one round wobbles by ±10 MB; comparing halves shows a trend (a leak)
 * rather than that wobble. NaN with fewer than two rounds.
 */
function halfGrowth(rounds: number[]): number {
  if (rounds.length < 2) return NaN;
  const half = Math.floor(rounds.length / 2);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return mean(rounds.slice(rounds.length - half)) - mean(rounds.slice(0, half));
}

// ---- the run -------------------------------------------------------------------------------

async function main(): Promise<number> {
  const loadAverageStart = loadavg();
  const jsonRequest = JSON.stringify(anthropicRequest(false));
  const streamRequest = JSON.stringify(anthropicRequest(true));
  // The Responses scenario: the same turn for a codex model, which the catalog sends to the
  // Responses API (`POST /v1/responses`) rather than chat completions.
  const responsesModel = { model: 'openai/gpt-5.1-codex' };
  const responsesJsonRequest = JSON.stringify({ ...anthropicRequest(false), ...responsesModel });
  const responsesStreamRequest = JSON.stringify({ ...anthropicRequest(true), ...responsesModel });

  const upstream = await startUpstream();
  const { pid: clientPid, load } = startLoadGenerator();
  log(`fake upstream on ${upstream.port}; starting the proxy: ${serveCommand().join(' ')}`);

  // A throwaway first start: it may rebuild the launcher's cached bundle after a source change,
  // which is a one-off cost, not the start-up users see; it is reported apart as `coldMs`.
  const cold = await startProxy(upstream.port, jsonRequest);
  await cold.stop();
  log(`cold start (may include the bundle rebuild): ${cold.startupMs.toFixed(0)} ms`);
  const proxy = await startProxy(upstream.port, jsonRequest);
  const startupRuns = [proxy.startupMs];
  log(`proxy on ${proxy.port}: first request served ${proxy.startupMs.toFixed(0)} ms after spawn`);

  /** What the proxy sent upstream for `body`: the direct baseline sends exactly that. */
  const upstreamBodyFor = async (body: string): Promise<string> => {
    await recordNext(upstream.port);
    const answer = await postJson(proxy.port, '/v1/messages', body);
    if (answer.status !== 200) throw new Error(`probe failed: ${answer.status} ${answer.text.slice(0, 300)}`);
    return getText(upstream.port, '/__bench/last-body');
  };
  const directJson = await upstreamBodyFor(jsonRequest);
  const directStream = await upstreamBodyFor(streamRequest);
  const directResponsesStream = await upstreamBodyFor(responsesStreamRequest);
  if (!directResponsesStream.includes('"store":false')) {
    throw new Error(
      `the Responses probe did not reach /v1/responses: ${directResponsesStream.slice(0, 200)}`,
    );
  }

  let peer: Peer | null = null;
  if (peerName === 'ccr') {
    peer = await startCcr({
      upstreamPort: upstream.port,
      port: await freePort(),
      version: peerVersion,
      firstRequest: jsonRequest,
      log,
    });
    // Killed and removed with the other children if the run fails before stopping it.
    const peerChild = peer.child;
    children.add(peerChild);
    peerChild.once('exit', () => children.delete(peerChild));
    dataDirs.push(peer.dir);
    log(`${peer.name} on ${peer.port}: first request served ${peer.startupMs.toFixed(0)} ms after spawn`);
  }

  await sleep(1000);
  const pid = proxy.child.pid!;
  const idle = treeStats(pid);
  log(`idle RSS ${idle.rssMB.toFixed(1)} MB (${idle.processes} process(es))`);
  const sampler = new RssSampler(pid);
  sampler.sample();
  sampler.start(100);
  const peerIdle = peer ? treeStats(peer.child.pid!) : null;
  const peerSampler = peer ? new RssSampler(peer.child.pid!) : null;
  peerSampler?.sample();
  peerSampler?.start(100);

  interface Bodies {
    /** Anthropic Messages bodies, for the proxy and the peer. */
    json: string;
    stream: string;
    /** The chat-completions bodies the proxy sent upstream for them, for the direct baseline. */
    directJson: string;
    directStream: string;
    /** The Responses scenario: the direct baseline calls `/v1/responses`. */
    responsesApi?: boolean;
  }
  const shortBodies: Bodies = { json: jsonRequest, stream: streamRequest, directJson, directStream };
  const anthropicHeaders = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': 'bench',
  };
  const specFor = (
    target: Target,
    mode: RunSpec['mode'],
    concurrency: number,
    count: number,
    bodies: Bodies = shortBodies,
    warmup = COUNTS.warmup,
  ): RunSpec => {
    const common = { mode, concurrency, count, warmup, maxSeconds: MAX_SECONDS };
    if (target === 'direct') {
      return {
        ...common,
        target,
        origin: `http://127.0.0.1:${upstream.port}`,
        path: bodies.responsesApi ? '/v1/responses' : '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
        jsonBody: bodies.directJson,
        streamBody: bodies.directStream,
        responsesApi: bodies.responsesApi,
      };
    }
    return {
      ...common,
      target,
      origin: `http://127.0.0.1:${target === 'proxy' ? proxy.port : peer!.port}`,
      path: '/v1/messages',
      headers: anthropicHeaders,
      jsonBody: bodies.json,
      streamBody: bodies.stream,
    };
  };

  interface Step {
    name: string;
    stream: boolean;
    concurrency: number;
    count: number;
    /** Long-session scenarios: turns of history in the one streamed request. */
    turns?: number;
    responsesApi?: boolean;
  }
  const plan: Step[] = [
    { name: 'json c1', stream: false, concurrency: 1, count: COUNTS.json1 },
    { name: 'json c50', stream: false, concurrency: 50, count: COUNTS.json50 },
    { name: 'stream c1', stream: true, concurrency: 1, count: COUNTS.stream1 },
    { name: 'stream c50', stream: true, concurrency: 50, count: COUNTS.stream50 },
    {
      name: 'responses stream c50',
      stream: true,
      concurrency: 50,
      count: COUNTS.stream50,
      responsesApi: true,
    },
    { name: 'long 675KB', stream: true, concurrency: 1, count: COUNTS.long, turns: 150 },
    { name: 'long 1.7MB', stream: true, concurrency: 1, count: COUNTS.long, turns: 400 },
    ...(COUNTS.longHuge > 0
      ? [{ name: 'long 30MB', stream: true, concurrency: 1, count: COUNTS.longHuge, turns: 7000 }]
      : []),
  ];
  const cpuOf = (target: Target): number =>
    target === 'direct'
      ? treeStats(upstream.child.pid!).cpuMs + treeStats(clientPid).cpuMs
      : treeStats(target === 'proxy' ? pid : peer!.child.pid!).cpuMs;
  let totalRequests = 0;
  const scenarios: ScenarioResult[] = [];
  for (const step of plan.filter((s) => !only || s.name === only)) {
    let bodies = shortBodies;
    let requestBytes = Buffer.byteLength(step.stream ? streamRequest : jsonRequest);
    if (step.turns !== undefined) {
      const long = JSON.stringify(longSessionRequest(step.turns));
      requestBytes = Buffer.byteLength(long);
      bodies = { json: long, stream: long, directJson: '', directStream: await upstreamBodyFor(long) };
    }
    if (step.responsesApi) {
      bodies = {
        json: responsesJsonRequest,
        stream: responsesStreamRequest,
        directJson,
        directStream: directResponsesStream,
        responsesApi: true,
      };
    }
    const warmup = step.turns !== undefined ? COUNTS.longWarmup : COUNTS.warmup;
    // The peer has no Responses dialect: comparing it there would compare different upstream APIs.
    const targets: Target[] = peer && !step.responsesApi ? ['direct', 'proxy', 'peer'] : ['direct', 'proxy'];
    const runs: Record<Target, RawRun[]> = { direct: [], proxy: [], peer: [] };
    const cpuMs: Record<Target, number> = { direct: 0, proxy: 0, peer: 0 };
    // Alternate the targets so that drift in the machine's load hits all alike.
    for (let rep = 0; rep < reps; rep++) {
      for (const target of targets) {
        const before = cpuOf(target);
        runs[target].push(
          await load(
            specFor(target, step.stream ? 'stream' : 'json', step.concurrency, step.count, bodies, warmup),
          ),
        );
        cpuMs[target] += cpuOf(target) - before;
      }
    }
    const d = summarize(runs.direct);
    const p = summarize(runs.proxy);
    const perRequest = (target: Target, r: RunResult) =>
      round((cpuMs[target] * 1000) / (r.requests + reps * warmup), 1);
    const ratiosOf = (r: RunResult) => {
      const ttft = (q: 'p50' | 'p99') => (r.ttftMs && d.ttftMs ? round(r.ttftMs[q] - d.ttftMs[q]) : null);
      return {
        throughput: round(r.rps / d.rps),
        addedP50Ms: round(r.latencyMs.p50 - d.latencyMs.p50),
        addedP99Ms: round(r.latencyMs.p99 - d.latencyMs.p99),
        addedTtftP50Ms: ttft('p50'),
        addedTtftP99Ms: ttft('p99'),
        addedTtfbP50Ms: round(r.ttfbMs.p50 - d.ttfbMs.p50),
      };
    };
    totalRequests += p.requests + reps * warmup;
    const result: ScenarioResult = {
      name: step.name,
      stream: step.stream,
      concurrency: step.concurrency,
      requestBytes,
      direct: d,
      proxy: p,
      proxyCpuUsPerRequest: perRequest('proxy', p),
      directCpuUsPerRequest: perRequest('direct', d),
      ratios: ratiosOf(p),
    };
    if (targets.includes('peer')) {
      const q = summarize(runs.peer);
      result.peer = q;
      result.peerCpuUsPerRequest = perRequest('peer', q);
      result.peerRatios = ratiosOf(q);
    }
    scenarios.push(result);
    const peerNote = result.peer
      ? `, peer ${result.peer.rps.toFixed(0)} req/s (×${result.peerRatios!.throughput.toFixed(2)})`
      : '';
    log(
      `${step.name}: direct ${d.rps.toFixed(0)} req/s, proxy ${p.rps.toFixed(0)} req/s (×${(p.rps / d.rps).toFixed(2)})${peerNote}, ` +
        `ttfb +${result.ratios.addedTtfbP50Ms.toFixed(2)} ms, p50 +${(p.latencyMs.p50 - d.latencyMs.p50).toFixed(2)} ms, errors ${d.errors + p.errors}`,
    );
  }
  const peerAfterLoad = peer ? treeStats(peer.child.pid!) : null;
  peerSampler?.stop();
  if (peer) await peer.stop();

  // Leak check: rounds of requests at concurrency 50, half of them streamed; RSS after each.
  const afterRoundsMB: number[] = [];
  let leakErrors = 0;
  const leakErrorSamples: string[] = [];
  const rounds = option('--rounds') !== undefined ? Number(option('--rounds')) : only ? 0 : COUNTS.leakRounds;
  for (let i = 0; i < rounds; i++) {
    const run = await load({ ...specFor('proxy', 'mixed', 50, COUNTS.leakPerRound), warmup: 0 });
    leakErrors += run.errors;
    leakErrorSamples.push(...run.errorSamples);
    totalRequests += COUNTS.leakPerRound;
    await sleep(1000);
    afterRoundsMB.push(round(sampler.sample(), 1));
    log(`leak check round ${i + 1}/${rounds}: RSS ${afterRoundsMB[i].toFixed(1)} MB`);
  }
  sampler.stop();
  const peakMB = sampler.peakMB;
  await proxy.stop();

  for (let i = 1; i < (only ? 1 : COUNTS.startups); i++) {
    const again = await startProxy(upstream.port, jsonRequest);
    startupRuns.push(again.startupMs);
    await again.stop();
  }
  upstream.child.kill();

  const scenarioErrors = scenarios.reduce((n, s) => n + s.direct.errors + s.proxy.errors, 0);
  const totalErrors = scenarioErrors + leakErrors;
  for (const s of scenarios) {
    for (const sample of [...s.direct.errorSamples, ...s.proxy.errorSamples])
      log(`error (${s.name}): ${sample}`);
  }
  for (const sample of leakErrorSamples.slice(0, 5)) log(`error (leak check): ${sample}`);
  // The peer's failures are reported, not ours to fail the run on.
  const peerErrors = scenarios.reduce((n, s) => n + (s.peer?.errors ?? 0), 0);
  for (const s of scenarios)
    for (const sample of s.peer?.errorSamples ?? []) log(`peer error (${s.name}): ${sample}`);

  const sorted = [...startupRuns].sort((a, b) => a - b);
  const byName = (name: string) => scenarios.find((s) => s.name === name);
  const leakTotal = afterRoundsMB.length * COUNTS.leakPerRound;
  const memory = {
    idleMB: round(idle.rssMB, 1),
    peakMB: round(peakMB, 1),
    afterRoundsMB,
    requestsPerRound: COUNTS.leakPerRound,
    afterLeakCheckMB: afterRoundsMB.at(-1) ?? NaN,
    growthMB: round(halfGrowth(afterRoundsMB), 1),
    processes: idle.processes,
  };
  const target = (
    id: string,
    description: string,
    value: number,
    limit: number,
    unit: string,
    higherIsBetter = false,
  ) =>
    ({
      id,
      description,
      value: round(value),
      limit,
      unit,
      pass: higherIsBetter ? value >= limit : value <= limit,
    }) satisfies TargetCheck;
  const longScenarios = scenarios.filter((s) => s.name.startsWith('long '));
  const long675 = scenarios.find((s) => s.name === 'long 675KB');
  const perMB = (s: ScenarioResult) => s.ratios.addedTtfbP50Ms / (s.requestBytes / 1e6);
  const targets: TargetCheck[] = [
    target(
      'stream-c50-throughput',
      'streaming c50 throughput, proxy/direct (goal 0.6)',
      byName('stream c50')?.ratios.throughput ?? NaN,
      0.5,
      '×',
      true,
    ),
    target(
      'long-675KB-added-ttfb',
      '675 KB session: added time to first byte / direct time to first byte',
      long675 ? long675.ratios.addedTtfbP50Ms / long675.direct.ttfbMs.p50 : NaN,
      0.333,
      '×',
    ),
    target(
      'long-linear',
      `added time to first byte per MB, ${longScenarios.at(-1)?.name ?? '-'} / ${longScenarios[0]?.name ?? '-'}`,
      longScenarios.length >= 2 ? perMB(longScenarios.at(-1)!) / perMB(longScenarios[0]) : NaN,
      1.5,
      '×',
    ),
    target(
      'json-c1-added-p50',
      'non-streaming c1 added p50 latency',
      byName('json c1')?.ratios.addedP50Ms ?? NaN,
      0.5,
      'ms',
    ),
    target(
      'stream-c1-added-ttft',
      'streaming c1 added p50 time to first text',
      byName('stream c1')?.ratios.addedTtftP50Ms ?? NaN,
      1,
      'ms',
    ),
    target('memory-idle', 'proxy RSS idle', memory.idleMB, 80, 'MB'),
    target(
      'memory-after',
      `proxy RSS after ${leakTotal} requests at c50`,
      memory.afterLeakCheckMB,
      150,
      'MB',
    ),
    target(
      'memory-growth',
      'proxy RSS growth, later vs earlier leak-check rounds',
      memory.growthMB,
      10,
      'MB',
    ),
    target(
      'startup',
      'start-up to first served request (median)',
      sorted[Math.floor(sorted.length / 2)],
      500,
      'ms',
    ),
  ];

  const result: BenchResult = {
    version: 1,
    mode: smoke ? 'smoke' : 'full',
    timestamp: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverageStart: loadAverageStart.map((v) => round(v, 2)),
      loadAverageEnd: loadavg().map((v) => round(v, 2)),
    },
    config: {
      serveCommand:
        option('--serve') ?? JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.serve,
      requestBytes: { json: Buffer.byteLength(jsonRequest), stream: Buffer.byteLength(streamRequest) },
      textBytes: TEXT_BYTES,
      textChunks: TEXT_CHUNKS,
      chunkDelayMs,
      reps,
      counts: COUNTS,
    },
    scenarios,
    peer:
      peer && peerIdle && peerAfterLoad
        ? {
            name: peer.name,
            version: peer.version,
            startupMs: round(peer.startupMs, 1),
            idleMB: round(peerIdle.rssMB, 1),
            afterLoadMB: round(peerAfterLoad.rssMB, 1),
            peakMB: round(peerSampler!.peakMB, 1),
            processes: peerIdle.processes,
            errors: peerErrors,
          }
        : null,
    memory,
    startup: {
      runsMs: startupRuns.map((v) => round(v, 1)),
      medianMs: round(sorted[Math.floor(sorted.length / 2)], 1),
      listeningMs: round(proxy.listeningMs, 1),
      coldMs: round(cold.startupMs, 1),
    },
    totalRequests,
    totalErrors,
    targets,
  };

  process.stdout.write(`\n${formatTable(result)}\n`);
  const file = outFile
    ? resolve(outFile)
    : join(BENCH, 'results', `bench-${result.timestamp.replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const json = JSON.stringify(result, null, 2) + '\n';
  writeFileSync(file, json);
  if (!outFile) writeFileSync(join(BENCH, 'results', smoke ? 'latest-smoke.json' : 'latest.json'), json);
  process.stdout.write(`\nresults: ${file}\n`);

  let status = totalErrors > 0 ? 1 : 0;
  if (compareFile) {
    const baseline = JSON.parse(readFileSync(resolve(compareFile), 'utf8')) as BenchResult;
    const comparison = compareResults(result, baseline);
    process.stdout.write(`\ncompared with ${compareFile} (${baseline.timestamp}, ${baseline.mode}):\n`);
    if (baseline.mode !== result.mode) {
      process.stdout.write(
        `  (a ${result.mode} run against a ${baseline.mode} baseline: expect differences)\n`,
      );
    }
    process.stdout.write(comparison.lines.map((l) => `  ${l}`).join('\n') + '\n');
    if (comparison.regressions.length > 0) {
      process.stdout.write(`\n${comparison.regressions.length} metric(s) regressed beyond tolerance.\n`);
      status = 1;
    }
  }
  return status;
}

main().then(
  (status) => process.exit(status),
  (error: Error) => {
    log(error.stack ?? error.message);
    process.exit(2);
  },
);
