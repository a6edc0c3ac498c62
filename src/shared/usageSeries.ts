/**
 * Shapes a usage report for charts: one point per local day of the range (days without requests
 * included, so the axis has no gaps) with one value per provider or model, plus the ranges the
 * Usage window offers. Pure, so it is tested without a browser.
 */
import { startOfDay, type UsageGroupRow, type UsageReport, type UsageTotals } from './usage';

export type UsageSplit = 'provider' | 'model';
export type UsageMetric = 'cost' | 'tokens';
export type RangePreset = 'today' | '7d' | '30d' | 'custom';

export interface DayPoint {
  day: string;
  /** Short label for the axis, e.g. "Nov 28". */
  label: string;
  [series: string]: number | string | null;
}

export function localDay(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local days from `from` up to (not including) `to`. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  const cursor = new Date(startOfDay(from));
  while (cursor.getTime() < to && days.length < 3700) {
    days.push(localDay(cursor.getTime()));
    cursor.setDate(cursor.getDate() + 1);
  }
  return days;
}

/** [from, to) for a preset, ending with today. */
export function presetRange(
  preset: Exclude<RangePreset, 'custom'>,
  now = Date.now(),
): { from: number; to: number } {
  const today = startOfDay(now);
  const tomorrow = new Date(today);
  tomorrow.setDate(tomorrow.getDate() + 1);
  const start = new Date(today);
  if (preset === '7d') start.setDate(start.getDate() - 6);
  if (preset === '30d') start.setDate(start.getDate() - 29);
  return { from: start.getTime(), to: tomorrow.getTime() };
}

export function allTokens(t: UsageTotals): number {
  return t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheWriteTokens;
}

/** Share of prompt tokens served from the provider's cache; null with no prompt tokens. */
export function cacheHitRatio(t: UsageTotals): number | null {
  const prompt = t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens;
  return prompt > 0 ? t.cacheReadTokens / prompt : null;
}

function seriesName(row: UsageGroupRow, split: UsageSplit): string {
  return (split === 'provider' ? row.provider : row.model) ?? 'unknown';
}

const LABEL = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });

/**
 * Per-day points with one key per series. A cost is null only when every request of that
 * series on that day had an unknown price, so an unknown never draws as $0.
 */
export function dailySeries(
  report: UsageReport,
  split: UsageSplit,
  metric: UsageMetric,
): { points: DayPoint[]; series: string[] } {
  const series = new Map<string, number>();
  const byDay = new Map<string, Map<string, number | null>>();
  for (const row of report.daily) {
    const name = seriesName(row, split);
    const value = metric === 'cost' ? row.costUsd : allTokens(row);
    series.set(name, (series.get(name) ?? 0) + (value ?? 0));
    let day = byDay.get(row.day ?? '');
    if (!day) byDay.set(row.day ?? '', (day = new Map()));
    const before = day.get(name);
    day.set(name, before === undefined || before === null ? value : value === null ? before : before + value);
  }
  // Biggest series first, so the stack order and the legend read the same way.
  const names = [...series].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const points = daysBetween(report.from, report.to).map((day) => {
    const [y, m, d] = day.split('-').map(Number);
    const point: DayPoint = { day, label: LABEL.format(new Date(y, m - 1, d)) };
    const values = byDay.get(day);
    for (const name of names) point[name] = values?.has(name) ? (values.get(name) ?? null) : 0;
    return point;
  });
  return { points, series: names };
}

/** Errors and failovers per day. */
export function dailyErrors(report: UsageReport): DayPoint[] {
  const byDay = new Map<string, { errors: number; failovers: number; requests: number }>();
  for (const row of report.daily) {
    const day = byDay.get(row.day ?? '') ?? { errors: 0, failovers: 0, requests: 0 };
    day.errors += row.errors;
    day.failovers += row.failovers;
    day.requests += row.requests;
    byDay.set(row.day ?? '', day);
  }
  return daysBetween(report.from, report.to).map((day) => {
    const [y, m, d] = day.split('-').map(Number);
    const values = byDay.get(day);
    return {
      day,
      label: LABEL.format(new Date(y, m - 1, d)),
      errors: values?.errors ?? 0,
      failovers: values?.failovers ?? 0,
    };
  });
}
