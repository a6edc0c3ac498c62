/** Latency statistics: raw runs in, percentiles out. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/** One run as measured: raw samples, so that repeated runs can be pooled before percentiles. */
export interface RawRun {
  errors: number;
  errorSamples: string[];
  seconds: number;
  latencies: number[];
  ttfts: number[];
  /** Time to the first byte of the answer's body. */
  ttfbs: number[];
}

export interface RunResult {
  requests: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
  rps: number;
  latencyMs: Percentiles;
  /** Streaming requests only. */
  ttftMs: Percentiles | null;
  ttfbMs: Percentiles;
}

/** Pools repeated runs of the same scenario: all samples together, rps over the summed time. */
export function summarize(runs: RawRun[]): RunResult {
  const latencies = runs.flatMap((r) => r.latencies);
  const ttfts = runs.flatMap((r) => r.ttfts);
  const ttfbs = runs.flatMap((r) => r.ttfbs);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    requests: latencies.length + errors,
    errors,
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 5),
    seconds: Math.round(seconds * 1000) / 1000,
    rps: seconds > 0 ? Math.round((latencies.length / seconds) * 10) / 10 : 0,
    latencyMs: percentiles(latencies),
    ttftMs: ttfts.length > 0 ? percentiles(ttfts) : null,
    ttfbMs: percentiles(ttfbs),
  };
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  let sum = 0;
  for (const v of sorted) sum += v;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    mean: round(sum / sorted.length),
    max: round(sorted[sorted.length - 1]),
  };
}
