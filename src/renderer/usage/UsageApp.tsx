/**
 * The Usage window: what the requests through Turnout cost and how the backends behaved, for a
 * range of days. It renders the report the main process builds from the usage store and
 * refetches it when new requests finish; it computes nothing but chart shapes.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { UsageReport } from '../../shared/usage';
import {
  presetRange,
  localDay,
  type RangePreset,
  type UsageMetric,
  type UsageSplit,
} from '../../shared/usageSeries';
import { api } from '../common/api';
import { ErrorChart, LatencyChart, SpendChart } from './UsageCharts';
import { ModelTable } from './ModelTable';
import { SummaryCards } from './SummaryCards';

const PRESETS: { value: RangePreset; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: 'custom', label: 'Custom' },
];

/** "2025-11-28" (local) → epoch ms of that local midnight. */
function parseDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

function nextDay(at: number): number {
  const d = new Date(at);
  d.setDate(d.getDate() + 1);
  return d.getTime();
}

export function UsageApp() {
  const [preset, setPreset] = useState<RangePreset>('7d');
  const initial = presetRange('7d');
  const [customFrom, setCustomFrom] = useState(localDay(initial.from));
  const [customTo, setCustomTo] = useState(localDay(initial.to - 1));
  const [split, setSplit] = useState<UsageSplit>('provider');
  const [metric, setMetric] = useState<UsageMetric>('cost');
  const [report, setReport] = useState<UsageReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  const range = useMemo(() => {
    if (preset !== 'custom') return presetRange(preset);
    const from = parseDay(customFrom);
    const to = nextDay(parseDay(customTo));
    return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : null;
    // `tick` (new requests finished) recomputes the range, which moves "today" past midnight
    // and makes `load` below fetch again.
  }, [preset, customFrom, customTo, tick]);

  const load = useCallback(() => {
    if (!range) return;
    if (range.from >= range.to) {
      setError('The start date must not be after the end date.');
      return;
    }
    api.getUsage(range.from, range.to).then(
      (next) => {
        setReport(next);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [range]);

  useEffect(load, [load]);

  // New requests finish → refresh, at most every two seconds.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = api.onLog(() => {
      timer ??= setTimeout(() => {
        timer = null;
        setTick((t) => t + 1);
      }, 2000);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const exportCsv = async () => {
    if (!range) return;
    try {
      const path = await api.exportUsageCsv(range.from, range.to);
      setExported(path ? `Saved to ${path}` : null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <main className="usage">
      <header className="usage-header">
        <h1>Usage</h1>
        <div className="row" role="group" aria-label="Range">
          {PRESETS.map((p) => (
            <button
              key={p.value}
              type="button"
              className={preset === p.value ? 'primary' : undefined}
              aria-pressed={preset === p.value}
              onClick={() => setPreset(p.value)}
            >
              {p.label}
            </button>
          ))}
          {preset === 'custom' && (
            <>
              <label>
                From <input type="date" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} />
              </label>
              <label>
                To <input type="date" value={customTo} onChange={(e) => setCustomTo(e.target.value)} />
              </label>
            </>
          )}
          <span className="push-right" />
          <button type="button" onClick={() => void exportCsv()} disabled={!report?.enabled}>
            Export CSV
          </button>
        </div>
      </header>
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}
      {exported && <p className="notice">{exported}</p>}
      {report && !report.enabled && (
        <p className="notice warn">Usage history is off, so there is nothing to show.</p>
      )}
      {!report && !error && <p className="loading">Loading…</p>}
      {report && report.enabled && (
        <>
          <SummaryCards report={report} />
          <section className="usage-panel">
            <div className="row">
              <h2>{metric === 'cost' ? 'Cost' : 'Tokens'} per day</h2>
              <span className="push-right" />
              <div className="row" role="group" aria-label="Measure">
                <Toggle
                  value={metric}
                  options={[
                    ['cost', 'Cost'],
                    ['tokens', 'Tokens'],
                  ]}
                  onChange={setMetric}
                />
              </div>
              <div className="row" role="group" aria-label="Split by">
                <Toggle
                  value={split}
                  options={[
                    ['provider', 'By provider'],
                    ['model', 'By model'],
                  ]}
                  onChange={setSplit}
                />
              </div>
            </div>
            <SpendChart report={report} split={split} metric={metric} />
          </section>
          <div className="usage-pair">
            <section className="usage-panel">
              <h2>Latency per day</h2>
              <LatencyChart report={report} />
            </section>
            <section className="usage-panel">
              <h2>Errors and failovers</h2>
              <ErrorChart report={report} />
            </section>
          </div>
          <section className="usage-panel">
            <h2>Per model</h2>
            <ModelTable rows={report.byModel} />
          </section>
        </>
      )}
    </main>
  );
}

function Toggle<T extends string>(props: { value: T; options: [T, string][]; onChange: (value: T) => void }) {
  return (
    <>
      {props.options.map(([value, label]) => (
        <button
          key={value}
          type="button"
          className={props.value === value ? 'primary' : undefined}
          aria-pressed={props.value === value}
          onClick={() => props.onChange(value)}
        >
          {label}
        </button>
      ))}
    </>
  );
}
