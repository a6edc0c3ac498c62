/**
 * How a request record reads in the tray and the log window, so both say the same thing.
 */
import type { RequestRecord } from './requestRecord';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time, e.g. 12:01:03. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "claude-sonnet-4-5-20250929" → "sonnet"; names without a Claude family stay as they are. */
export function shortClientModel(model: string | undefined): string {
  if (!model) return '?';
  const family = /haiku|sonnet|opus/i.exec(model);
  return family ? family[0].toLowerCase() : model;
}

/** 850 → "850 ms", 1234 → "1.2 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '…';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The status column: the HTTP status, or where the request is while it runs. */
export function formatStatus(record: RequestRecord): string {
  if (record.state === 'pending' || record.state === 'streaming') return record.state;
  if (record.state === 'aborted') return 'aborted';
  if (record.status !== undefined)
    return record.error && record.status < 400 ? `${record.status} ✕` : `${record.status}`;
  return record.state;
}

/** One line per request, e.g. "12:01:03 sonnet → gpt-5 · 200 · 1.2 s". */
export function recordSummary(record: RequestRecord): string {
  const target = record.upstreamModel ?? record.provider ?? '?';
  return `${formatClock(record.startedAt)} ${shortClientModel(record.clientModel)} → ${target} · ${formatStatus(record)} · ${formatDuration(record.latencyMs)}`;
}

export type StatusClass = 'ok' | 'client-error' | 'server-error' | 'pending' | 'failed';

/** A coarse class for filtering and colouring. */
export function statusClass(record: RequestRecord): StatusClass {
  if (record.state === 'pending' || record.state === 'streaming') return 'pending';
  if (record.status !== undefined && record.status >= 500) return 'server-error';
  if (record.status !== undefined && record.status >= 400) return 'client-error';
  if (record.error || record.state !== 'done' || record.status === undefined) return 'failed';
  return 'ok';
}
