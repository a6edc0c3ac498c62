/**
 * Usage as the API, the Usage window and the status line see it. Token counts are the real
 * counts the upstream reported; `costUsd` is null when no request in the group had a known
 * price (shown as "–", never as 0), and `unpricedRequests` says how many lacked one.
 */

export type UsageDimension = 'day' | 'provider' | 'model';
export const USAGE_DIMENSIONS: readonly UsageDimension[] = ['day', 'provider', 'model'];

export interface UsageTotals {
  requests: number;
  /** Input tokens billed at the input price (cache reads and writes counted apart). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  unpricedRequests: number;
  errors: number;
  /** Requests that needed more than one attempt (failover or retry across backends). */
  failovers: number;
}

export interface UsageGroupRow extends UsageTotals {
  /** Local date YYYY-MM-DD, when grouped by day. */
  day?: string;
  provider?: string | null;
  /** The upstream model that answered, when grouped by model. */
  model?: string | null;
}

export interface UsageQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  groupBy: UsageDimension[];
}

export interface UsageSummary {
  from: number;
  to: number;
  groupBy: UsageDimension[];
  totals: UsageTotals;
  rows: UsageGroupRow[];
}

export interface LatencyDay {
  day: string;
  p50: number | null;
  p95: number | null;
  ttftP50: number | null;
  ttftP95: number | null;
}

/** Everything the Usage window draws for one range. */
export interface UsageReport {
  from: number;
  to: number;
  totals: UsageTotals;
  /** Per day and provider and model: the window splits days by either. */
  daily: UsageGroupRow[];
  byModel: UsageGroupRow[];
  latency: LatencyDay[];
  overall: Omit<LatencyDay, 'day'>;
  /** False when the store is off (TURNOUT_USAGE=off) or could not be opened. */
  enabled: boolean;
}

export interface LastRequest {
  at: number;
  provider: string | null;
  model: string | null;
  latencyMs: number | null;
  status: number | null;
  state: string;
}

/** `GET /api/status`. */
export interface ApiStatus {
  name: 'turnout';
  version: string;
  proxy: string;
  activeProvider: string;
  activeProviderLabel: string;
  /** Filled once routing profiles exist; null until then. */
  profile: string | null;
  health: 'ok' | 'paused' | 'degraded';
  usageEnabled: boolean;
  today: UsageTotals | null;
  last: LastRequest | null;
}

export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: null,
    unpricedRequests: 0,
    errors: 0,
    failovers: 0,
  };
}

/** "$1.23", "$0.0042", or "–" when unknown. */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return '–';
  if (cost === 0) return '$0.00';
  if (Math.abs(cost) < 0.01) return `$${cost.toFixed(4)}`;
  return `$${cost.toFixed(2)}`;
}

/** 1234 → "1.2k", 3456789 → "3.5M". */
export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

/** Local midnight of the day holding `at`. */
export function startOfDay(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
