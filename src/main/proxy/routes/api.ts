/**
 * The local API, behind the same guard and token as the proxy:
 * - `GET /api/usage?from=&to=&groupBy=`: totals and grouped rows from the usage store.
 *   `from`/`to` are ISO dates or epoch milliseconds (default: the last 7 days up to now);
 *   `groupBy` is `day`, `provider` or `model`, or several joined by commas.
 * - `GET /api/status`: active provider, profile, health, today's totals and the last request.
 */
import type { Context } from 'koa';
import {
  USAGE_DIMENSIONS,
  type ApiStatus,
  type UsageDimension,
  type UsageQuery,
  type UsageSummary,
} from '../../../shared/usage';
import { ProxyError } from '../errors';

export interface UsageApi {
  /** Null when the usage store is off. */
  summary(query: UsageQuery): Promise<UsageSummary | null>;
  status(): Promise<ApiStatus>;
}

const DAY_MS = 86_400_000;

function timeParam(value: string | string[] | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (Array.isArray(value)) throw badRequest(`${name} may be given once.`);
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw badRequest(`${name} must be an ISO date or epoch milliseconds.`);
  return ms;
}

function badRequest(message: string): ProxyError {
  return new ProxyError(400, 'invalid_request_error', message);
}

export function parseUsageQuery(
  query: Record<string, string | string[] | undefined>,
  now = Date.now(),
): UsageQuery {
  const to = timeParam(query.to, 'to', now + 1);
  const from = timeParam(query.from, 'from', to - 7 * DAY_MS);
  if (from > to) throw badRequest('from must not be after to.');
  const raw = query.groupBy;
  if (Array.isArray(raw)) throw badRequest('groupBy may be given once (join several with commas).');
  const groupBy = raw ? raw.split(',').map((d) => d.trim()) : [];
  for (const d of groupBy) {
    if (!USAGE_DIMENSIONS.includes(d as UsageDimension)) {
      throw badRequest(`groupBy must be ${USAGE_DIMENSIONS.join(', ')} (or several, joined by commas).`);
    }
  }
  return { from, to, groupBy: [...new Set(groupBy)] as UsageDimension[] };
}

export function usageRoute(api: UsageApi) {
  return async function usage(ctx: Context): Promise<void> {
    const query = parseUsageQuery(ctx.query);
    const summary = await api.summary(query);
    if (!summary) {
      throw new ProxyError(404, 'not_found_error', 'Usage history is off (TURNOUT_USAGE=off).');
    }
    ctx.set('cache-control', 'no-store');
    ctx.body = {
      from: new Date(summary.from).toISOString(),
      to: new Date(summary.to).toISOString(),
      groupBy: summary.groupBy,
      totals: summary.totals,
      rows: summary.rows,
    };
  };
}

export function statusRoute(api: UsageApi) {
  return async function status(ctx: Context): Promise<void> {
    ctx.set('cache-control', 'no-store');
    ctx.body = await api.status();
  };
}
