/**
 * Chart shapes for the Usage window: every day of the range present, an unknown cost kept
 * unknown (never drawn as $0), series ordered by size.
 */
import { describe, expect, it } from 'vitest';
import { emptyTotals, type UsageReport } from '../../src/shared/usage';
import {
  cacheHitRatio,
  dailyErrors,
  dailySeries,
  daysBetween,
  presetRange,
} from '../../src/shared/usageSeries';

const day = (y: number, m: number, d: number) => new Date(y, m - 1, d).getTime();

function report(rows: UsageReport['daily']): UsageReport {
  return {
    from: day(2025, 11, 26),
    to: day(2025, 11, 29),
    totals: emptyTotals(),
    daily: rows,
    byModel: [],
    latency: [],
    overall: { p50: null, p95: null, ttftP50: null, ttftP95: null },
    enabled: true,
  };
}

describe('usage series', () => {
  it('lists every local day of [from, to), across a month end', () => {
    expect(daysBetween(day(2025, 11, 29), day(2025, 12, 2))).toEqual([
      '2025-11-29',
      '2025-11-30',
      '2025-12-01',
    ]);
  });

  it('gives ranges that end with today: today is one day, 7 days are seven', () => {
    const now = day(2025, 12, 1) + 15 * 3_600_000;
    expect(daysBetween(presetRange('today', now).from, presetRange('today', now).to)).toEqual(['2025-12-01']);
    const week = presetRange('7d', now);
    expect(daysBetween(week.from, week.to)).toHaveLength(7);
    expect(daysBetween(week.from, week.to).at(-1)).toBe('2025-12-01');
  });

  it('fills days without requests with 0, and keeps a day of only unpriced requests unknown', () => {
    const { points, series } = dailySeries(
      report([
        {
          ...emptyTotals(),
          day: '2025-11-26',
          provider: 'openai',
          model: 'gpt-5.1',
          requests: 2,
          costUsd: 0.5,
        },
        {
          ...emptyTotals(),
          day: '2025-11-26',
          provider: 'ollama',
          model: 'qwen3-coder:30b',
          requests: 1,
          costUsd: null,
        },
        {
          ...emptyTotals(),
          day: '2025-11-28',
          provider: 'openai',
          model: 'gpt-5-mini',
          requests: 1,
          costUsd: 0.25,
        },
        {
          ...emptyTotals(),
          day: '2025-11-28',
          provider: 'openai',
          model: 'gpt-5.1',
          requests: 1,
          costUsd: 0.25,
        },
      ]),
      'provider',
      'cost',
    );
    expect(series).toEqual(['openai', 'ollama']);
    expect(points.map((p) => [p.day, p.openai, p.ollama])).toEqual([
      ['2025-11-26', 0.5, null],
      ['2025-11-27', 0, 0],
      ['2025-11-28', 0.5, 0],
    ]);
    expect(points[0].label).toBe('Nov 26');
  });

  it('counts all tokens per model, errors and failovers per day, and the cache hit ratio', () => {
    const r = report([
      {
        ...emptyTotals(),
        day: '2025-11-27',
        model: 'gpt-5.1',
        inputTokens: 100,
        outputTokens: 10,
        cacheReadTokens: 300,
        errors: 1,
        failovers: 2,
      },
    ]);
    expect(dailySeries(r, 'model', 'tokens').points[1]['gpt-5.1']).toBe(410);
    expect(dailyErrors(r).map((p) => [p.errors, p.failovers])).toEqual([
      [0, 0],
      [1, 2],
      [0, 0],
    ]);
    expect(cacheHitRatio({ ...emptyTotals(), inputTokens: 100, cacheReadTokens: 300 })).toBe(0.75);
    expect(cacheHitRatio(emptyTotals())).toBeNull();
  });
});
