/**
 * A request log record ↔ a usage row. The record counts every prompt token in `inputTokens`
 * (cache reads and writes included, as the log shows them); the row keeps the three apart, as
 * prices do. Fields other helpers add to the record (profile, rule, failover attempts) are read
 * when present, whatever their exact shape.
 */
import type { RequestRecord } from '../../shared/requestRecord';
import type { TokenCounts } from '../../shared/providers/prices';

/** The cost of a finished request in dollars, and where it came from; null cost when unknown. */
export type CostLookup = (
  provider: string | undefined,
  model: string | undefined,
  tokens: TokenCounts,
) => number | null;

/** The columns a row is written with, in the writer's insert order. */
export const ROW_COLUMNS = [
  'id',
  'started_at',
  'profile',
  'rule',
  'client_model',
  'provider',
  'upstream_model',
  'stream',
  'status',
  'state',
  'latency_ms',
  'ttft_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_usd',
  'cost_source',
  'attempts',
  'error',
  'stop_reason',
] as const;

export type StoredRow = {
  id: string;
  started_at: number;
  profile: string | null;
  rule: string | null;
  client_model: string | null;
  provider: string | null;
  upstream_model: string | null;
  stream: number | null;
  status: number | null;
  state: string;
  latency_ms: number | null;
  ttft_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number | null;
  cost_source: string | null;
  attempts: number;
  error: string | null;
  stop_reason: string | null;
};

/** Routing fields as the routing work may add them to the record. */
type RoutedRecord = RequestRecord & {
  profile?: unknown;
  rule?: unknown;
  attempts?: unknown;
};

const whole = (n: unknown): number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
/** A rule or profile may arrive as a name or as an object with one. */
const nameOf = (v: unknown): string | null =>
  text(v) ??
  (v && typeof v === 'object'
    ? text((v as { name?: unknown; id?: unknown }).name ?? (v as { id?: unknown }).id)
    : null);

export function tokensOf(record: RequestRecord): TokenCounts {
  const cacheRead = whole(record.cacheReadTokens);
  const cacheWrite = whole(record.cacheWriteTokens);
  return {
    inputTokens: Math.max(0, whole(record.inputTokens) - cacheRead - cacheWrite),
    outputTokens: whole(record.outputTokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

export function rowFromRecord(record: RequestRecord, cost: CostLookup): StoredRow {
  const routed = record as RoutedRecord;
  const tokens = tokensOf(record);
  const reported = record.reportedCostUsd;
  const hasReported = typeof reported === 'number' && Number.isFinite(reported) && reported >= 0;
  const computed = hasReported ? null : cost(record.provider, record.upstreamModel, tokens);
  const attempts = Array.isArray(routed.attempts) ? routed.attempts.length : whole(routed.attempts);
  return {
    id: record.id,
    started_at: record.startedAt,
    profile: nameOf(routed.profile),
    rule: nameOf(routed.rule),
    client_model: record.clientModel ?? null,
    provider: record.provider ?? null,
    upstream_model: record.upstreamModel ?? null,
    stream: record.stream === undefined ? null : record.stream ? 1 : 0,
    status: record.status ?? null,
    state: record.state,
    latency_ms: record.latencyMs ?? null,
    ttft_ms: record.ttftMs ?? null,
    input_tokens: tokens.inputTokens,
    output_tokens: tokens.outputTokens,
    cache_read_tokens: tokens.cacheReadTokens,
    cache_write_tokens: tokens.cacheWriteTokens,
    cost_usd: hasReported ? reported : computed,
    cost_source: hasReported ? 'provider' : computed === null ? null : 'price-table',
    attempts: Math.max(1, attempts),
    // A short summary only: the detail (upstream body) stays in the live log.
    error: record.error ? record.error.slice(0, 300) : null,
    stop_reason: record.stopReason ?? null,
  };
}

export function recordFromRow(row: StoredRow): RequestRecord {
  const record: RequestRecord = {
    id: row.id,
    startedAt: row.started_at,
    method: 'POST',
    path: '/v1/messages',
    state: row.state as RequestRecord['state'],
  };
  if (row.client_model) record.clientModel = row.client_model;
  if (row.provider) record.provider = row.provider;
  if (row.upstream_model) record.upstreamModel = row.upstream_model;
  if (row.stream !== null) record.stream = row.stream === 1;
  if (row.status !== null) record.status = row.status;
  if (row.latency_ms !== null) record.latencyMs = row.latency_ms;
  if (row.ttft_ms !== null) record.ttftMs = row.ttft_ms;
  record.inputTokens = row.input_tokens + row.cache_read_tokens + row.cache_write_tokens;
  record.outputTokens = row.output_tokens;
  record.cacheReadTokens = row.cache_read_tokens;
  if (row.cache_write_tokens) record.cacheWriteTokens = row.cache_write_tokens;
  if (row.error) record.error = row.error;
  if (row.stop_reason) record.stopReason = row.stop_reason;
  return record;
}
