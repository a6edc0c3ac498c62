/**
 * The benchmark's result document (written as JSON) and its table for the terminal.
 */
import type { RunResult } from './stats';

export interface ScenarioResult {
  name: string;
  stream: boolean;
  concurrency: number;
  /** The Anthropic request's size (the proxy's and the peer's input). */
  requestBytes: number;
  direct: RunResult;
  proxy: RunResult;
  /** With `--peer`: the peer through the same client against the same upstream. */
  peer?: RunResult;
  peerCpuUsPerRequest?: number;
  peerRatios?: Ratios;
  /** Proxy CPU time (user + system, whole process tree) per proxied request, in µs. */
  proxyCpuUsPerRequest: number;
  /** Fake upstream + load generator CPU time per direct request, in µs: what a proxy competes with. */
  directCpuUsPerRequest: number;
  ratios: Ratios;
}

export interface Ratios {
  /** proxy rps / direct rps: 1 means the proxy costs no throughput. */
  throughput: number;
  addedP50Ms: number;
  addedP99Ms: number;
  addedTtftP50Ms: number | null;
  addedTtftP99Ms: number | null;
  /** Added time to the first byte of the answer, p50. */
  addedTtfbP50Ms: number;
}

export interface PeerSummary {
  name: string;
  version: string;
  startupMs: number;
  idleMB: number;
  /** RSS after all the scenarios. */
  afterLoadMB: number;
  peakMB: number;
  processes: number;
  errors: number;
}

export interface TargetCheck {
  id: string;
  description: string;
  value: number;
  limit: number;
  unit: string;
  pass: boolean;
}

export interface BenchResult {
  version: 1;
  mode: 'full' | 'smoke';
  timestamp: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  config: {
    serveCommand: string;
    requestBytes: { json: number; stream: number };
    textBytes: number;
    textChunks: number;
    chunkDelayMs: number;
    reps: number;
    counts: Record<string, number>;
  };
  scenarios: ScenarioResult[];
  peer: PeerSummary | null;
  memory: {
    idleMB: number;
    peakMB: number;
    /** RSS after each leak-check round (requests at concurrency 50, half streamed). */
    afterRoundsMB: number[];
    requestsPerRound: number;
    /** RSS after the last round, i.e. after rounds × requestsPerRound requests. */
    afterLeakCheckMB: number;
    /** Mean of the later half of the rounds minus mean of the earlier half: a trend, not noise. */
    growthMB: number;
    processes: number;
  };
  startup: {
    /** Spawn → first 200 to a real POST /v1/messages, per start. */
    runsMs: number[];
    medianMs: number;
    /** Spawn → the "serving" line on stdout, first measured start. */
    listeningMs: number;
    /** The throwaway start before the measured ones (may include rebuilding the cached bundle). */
    coldMs: number;
  };
  totalRequests: number;
  totalErrors: number;
  targets: TargetCheck[];
}

const fmt = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

export function formatTable(result: BenchResult): string {
  const rows: string[][] = [
    [
      'scenario',
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'ttfb p50',
      'ttft p50',
      'ttft p99',
      'errors',
      'cpu µs/req*',
    ],
  ];
  const plus = (v: number | null) => (v === null ? '-' : `${v < 0 ? '' : '+'}${fmt(v)}`);
  for (const s of result.scenarios) {
    const targets = s.peer ? (['direct', 'proxy', 'peer'] as const) : (['direct', 'proxy'] as const);
    for (const target of targets) {
      const r = s[target]!;
      const cpu = {
        direct: s.directCpuUsPerRequest,
        proxy: s.proxyCpuUsPerRequest,
        peer: s.peerCpuUsPerRequest,
      }[target];
      rows.push([
        target === 'direct' ? s.name : '',
        target,
        fmt(r.rps, 0),
        fmt(r.latencyMs.p50),
        fmt(r.latencyMs.p99),
        fmt(r.ttfbMs?.p50),
        fmt(r.ttftMs?.p50),
        fmt(r.ttftMs?.p99),
        String(r.errors),
        fmt(cpu, 0),
      ]);
      if (target === 'direct') continue;
      const ratios = target === 'proxy' ? s.ratios : s.peerRatios!;
      rows.push([
        '',
        `${target}/direct`,
        `×${fmt(ratios.throughput)}`,
        plus(ratios.addedP50Ms),
        plus(ratios.addedP99Ms),
        plus(ratios.addedTtfbP50Ms ?? null),
        plus(ratios.addedTtftP50Ms),
        plus(ratios.addedTtftP99Ms),
        '',
        '',
      ]);
    }
  }
  const long = result.scenarios.filter((s) => s.name.startsWith('long '));
  const longRows: string[][] = [
    [
      'long session (streamed, c1)',
      'request',
      'direct ttfb',
      'added ttfb',
      'share',
      'added end',
      'ms/MB',
      'proxy cpu ms/req',
    ],
  ];
  for (const s of long) {
    const mb = s.requestBytes / 1e6;
    longRows.push([
      s.name,
      `${fmt(s.requestBytes / 1024, 0)} KB`,
      `${fmt(s.direct.ttfbMs.p50)} ms`,
      `${plus(s.ratios.addedTtfbP50Ms)} ms`,
      `×${fmt(s.ratios.addedTtfbP50Ms / s.direct.ttfbMs.p50)}`,
      `${plus(s.ratios.addedP50Ms)} ms`,
      fmt(s.ratios.addedTtfbP50Ms / mb),
      fmt(s.proxyCpuUsPerRequest / 1000),
    ]);
    if (s.peer && s.peerRatios) {
      longRows.push([
        '  peer',
        '',
        '',
        `${plus(s.peerRatios.addedTtfbP50Ms)} ms`,
        `×${fmt(s.peerRatios.addedTtfbP50Ms / s.direct.ttfbMs.p50)}`,
        `${plus(s.peerRatios.addedP50Ms)} ms`,
        fmt(s.peerRatios.addedTtfbP50Ms / mb),
        fmt((s.peerCpuUsPerRequest ?? NaN) / 1000),
      ]);
    }
  }
  const peer = result.peer;
  const m = result.memory;
  const lines = [
    pad(rows),
    '* cpu µs/req: direct = fake upstream + load generator; proxy (peer) = the proxy (peer) process alone.',
    '',
    ...(long.length > 0
      ? [
          pad(longRows),
          '  share = added ttfb / direct ttfb (what the upstream itself spends on the request); ms/MB = added ttfb per MB.',
          '',
        ]
      : []),
    ...(peer
      ? [
          `peer ${peer.name}: start-up ${fmt(peer.startupMs, 0)} ms · RSS idle ${fmt(peer.idleMB, 1)} MB, after the scenarios ` +
            `${fmt(peer.afterLoadMB, 1)} MB, peak ${fmt(peer.peakMB, 1)} MB · errors ${peer.errors}`,
          '',
        ]
      : []),
    `proxy memory (RSS, ${m.processes} process${m.processes === 1 ? '' : 'es'}): idle ${fmt(m.idleMB, 1)} MB · peak ${fmt(m.peakMB, 1)} MB · ` +
      `after ${m.afterRoundsMB.length} × ${m.requestsPerRound} requests ${fmt(m.afterLeakCheckMB, 1)} MB ` +
      `(rounds: ${m.afterRoundsMB.map((v) => fmt(v, 1)).join(', ')}; growth ${fmt(m.growthMB, 1)} MB)`,
    `proxy start-up to first served request: median ${fmt(result.startup.medianMs, 0)} ms ` +
      `(runs ${result.startup.runsMs.map((v) => fmt(v, 0)).join(', ')} ms; listening after ${fmt(result.startup.listeningMs, 0)} ms; ` +
      `cold start ${fmt(result.startup.coldMs, 0)} ms)`,
    `requests: ${result.totalRequests}, errors: ${result.totalErrors} · load average ${result.machine.loadAverageStart
      .map((v) => v.toFixed(2))
      .join(
        ' ',
      )} → ${result.machine.loadAverageEnd.map((v) => v.toFixed(2)).join(' ')} on ${result.machine.cpus} CPUs`,
    '',
    'targets:',
    ...result.targets.map(
      (t) =>
        `  ${t.pass ? 'PASS' : 'MISS'}  ${t.description}: ${fmt(t.value)} ${t.unit} (limit ${fmt(t.limit)} ${t.unit})`,
    ),
  ];
  return lines.join('\n');
}
