/**
 * What the Usage window draws for a range, assembled from the store: totals, per-day rows split
 * by provider and model, a per-model table and latency percentiles per day.
 */
import { emptyTotals, type LatencyDay, type UsageReport } from '../../shared/usage';
import type { UsageStore } from './usageStore';

/** The nearest-rank percentile of sorted numbers; null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function spread(latencies: number[], ttfts: number[]): Omit<LatencyDay, 'day'> {
  latencies.sort((a, b) => a - b);
  ttfts.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    ttftP50: percentile(ttfts, 50),
    ttftP95: percentile(ttfts, 95),
  };
}

export function usageReport(store: UsageStore | null, from: number, to: number): UsageReport {
  if (!store) {
    return {
      from,
      to,
      totals: emptyTotals(),
      daily: [],
      byModel: [],
      latency: [],
      overall: spread([], []),
      enabled: false,
    };
  }
  const daily = store.summary({ from, to, groupBy: ['day', 'provider', 'model'] });
  const byModel = store.summary({ from, to, groupBy: ['provider', 'model'] });
  const perDay = new Map<string, { latencies: number[]; ttfts: number[] }>();
  const all = { latencies: [] as number[], ttfts: [] as number[] };
  for (const sample of store.latencies(from, to)) {
    let day = perDay.get(sample.day);
    if (!day) perDay.set(sample.day, (day = { latencies: [], ttfts: [] }));
    if (sample.latency !== null) {
      day.latencies.push(sample.latency);
      all.latencies.push(sample.latency);
    }
    if (sample.ttft !== null) {
      day.ttfts.push(sample.ttft);
      all.ttfts.push(sample.ttft);
    }
  }
  return {
    from,
    to,
    totals: daily.totals,
    daily: daily.rows,
    byModel: byModel.rows.sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.requests - a.requests),
    latency: [...perDay].map(([day, s]) => ({ day, ...spread(s.latencies, s.ttfts) })),
    overall: spread(all.latencies, all.ttfts),
    enabled: true,
  };
}
