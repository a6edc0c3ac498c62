/**
 * `npm run bench -- --compare FILE`: the run's metrics against a saved result.
 *
 * Only proxy-relative metrics are compared (proxy/direct ratios, added latency, proxy CPU per
 * request, proxy memory, start-up): absolute throughput moves with the machine and with whatever
 * else runs on it, the ratios much less. A metric regresses when it is worse than the baseline by
 * more than its tolerance — relative AND absolute, both must be exceeded, so tiny values that
 * jitter by 100 % do not fail a run:
 *   throughput ratio        lower by more than 15 % (relative) and 0.05 (absolute)
 *   added p50 / ttft p50    higher by more than 50 % and 0.25 ms
 *   long-session added ttfb higher by more than 50 % and 1 ms
 *   added p99               higher by more than 100 % and 2 ms   (tails are noisy on shared CPUs)
 *   proxy CPU µs/request    higher by more than 20 % and 20 µs
 *   memory (idle, peak, after leak check)  higher by more than 20 % and 10 MB
 *   memory growth across rounds            higher by more than 10 MB
 *   start-up median         higher by more than 30 % and 100 ms
 *   errors                  any error at all
 */
import type { BenchResult } from './report';

type Better = 'higher' | 'lower';

interface Metric {
  name: string;
  value: number | null;
  better: Better;
  relative: number;
  absolute: number;
}

function metrics(r: BenchResult): Metric[] {
  const out: Metric[] = [];
  for (const s of r.scenarios) {
    out.push(
      {
        name: `${s.name} throughput ratio`,
        value: s.ratios.throughput,
        better: 'higher',
        relative: 0.15,
        absolute: 0.05,
      },
      {
        name: `${s.name} added p50 ms`,
        value: s.ratios.addedP50Ms,
        better: 'lower',
        relative: 0.5,
        absolute: 0.25,
      },
      {
        name: `${s.name} added p99 ms`,
        value: s.ratios.addedP99Ms,
        better: 'lower',
        relative: 1,
        absolute: 2,
      },
      {
        name: `${s.name} proxy cpu µs/req`,
        value: s.proxyCpuUsPerRequest,
        better: 'lower',
        relative: 0.2,
        absolute: 20,
      },
    );
    if (s.name.startsWith('long ') && typeof s.ratios.addedTtfbP50Ms === 'number') {
      out.push({
        name: `${s.name} added ttfb p50 ms`,
        value: s.ratios.addedTtfbP50Ms,
        better: 'lower',
        relative: 0.5,
        absolute: 1,
      });
    }
    if (s.ratios.addedTtftP50Ms !== null) {
      out.push({
        name: `${s.name} added ttft p50 ms`,
        value: s.ratios.addedTtftP50Ms,
        better: 'lower',
        relative: 0.5,
        absolute: 0.25,
      });
    }
  }
  const m = r.memory;
  out.push(
    { name: 'memory idle MB', value: m.idleMB, better: 'lower', relative: 0.2, absolute: 10 },
    { name: 'memory peak MB', value: m.peakMB, better: 'lower', relative: 0.2, absolute: 10 },
    {
      name: 'memory after leak check MB',
      value: m.afterLeakCheckMB,
      better: 'lower',
      relative: 0.2,
      absolute: 10,
    },
    { name: 'memory growth MB', value: m.growthMB, better: 'lower', relative: 0, absolute: 10 },
    { name: 'start-up median ms', value: r.startup.medianMs, better: 'lower', relative: 0.3, absolute: 100 },
    { name: 'errors', value: r.totalErrors, better: 'lower', relative: 0, absolute: 0 },
  );
  return out;
}

export interface Comparison {
  lines: string[];
  regressions: string[];
}

export function compareResults(current: BenchResult, baseline: BenchResult): Comparison {
  const before = new Map(metrics(baseline).map((m) => [m.name, m.value]));
  const lines: string[] = [];
  const regressions: string[] = [];
  const width = Math.max(...metrics(current).map((m) => m.name.length));
  for (const m of metrics(current)) {
    const old = before.get(m.name);
    if (m.value === null || old === undefined || old === null) continue;
    const delta = m.value - old;
    const worse = m.better === 'higher' ? -delta : delta;
    const regressed =
      m.name === 'errors' ? m.value > 0 : worse > m.absolute && worse > Math.abs(old) * m.relative;
    const pct = old !== 0 ? ` (${delta >= 0 ? '+' : ''}${((100 * delta) / Math.abs(old)).toFixed(0)} %)` : '';
    const line = `${regressed ? 'REGRESSED' : 'ok       '}  ${m.name.padEnd(width)}  ${old.toFixed(2)} → ${m.value.toFixed(2)}${pct}`;
    lines.push(line);
    if (regressed) regressions.push(m.name);
  }
  return { lines, regressions };
}
