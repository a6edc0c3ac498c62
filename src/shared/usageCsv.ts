/**
 * Usage rows as CSV (RFC 4180: comma-separated, fields with commas, quotes or line breaks
 * quoted, quotes doubled). An unknown cost is an empty field, never 0.
 */
import type { UsageGroupRow } from './usage';

const COLUMNS: Array<[header: string, value: (row: UsageGroupRow) => string | number | null | undefined]> = [
  ['day', (r) => r.day],
  ['provider', (r) => r.provider],
  ['model', (r) => r.model],
  ['requests', (r) => r.requests],
  ['input_tokens', (r) => r.inputTokens],
  ['output_tokens', (r) => r.outputTokens],
  ['cache_read_tokens', (r) => r.cacheReadTokens],
  ['cache_write_tokens', (r) => r.cacheWriteTokens],
  ['cost_usd', (r) => (r.costUsd === null ? null : Number(r.costUsd.toFixed(6)))],
  ['unpriced_requests', (r) => r.unpricedRequests],
  ['errors', (r) => r.errors],
  ['failovers', (r) => r.failovers],
];

function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function usageCsv(rows: UsageGroupRow[]): string {
  const lines = [COLUMNS.map(([header]) => header).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, value]) => field(value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
