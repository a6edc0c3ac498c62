/**
 * The Usage window's charts, drawn with Recharts (SVG; its accessibility layer lets keyboard
 * users step through the points with the arrow keys and hear each tooltip). Each chart has a
 * caption in words; the numbers are also in the summary and the per-model table.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCost, formatTokens, type UsageReport } from '../../shared/usage';
import { dailyErrors, dailySeries, type UsageMetric, type UsageSplit } from '../../shared/usageSeries';
import { formatMs } from './format';

/** Distinguishable in light and dark themes and for common colour-vision deficiencies (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];
const AXIS = { fontSize: 11, fill: 'var(--muted)' };
const MARGIN = { top: 8, right: 8, bottom: 0, left: 8 };
const KEYS = 'Use the left and right arrow keys to read each day.';

export function SpendChart(props: { report: UsageReport; split: UsageSplit; metric: UsageMetric }) {
  const { points, series } = dailySeries(props.report, props.split, props.metric);
  const format = (v: unknown) =>
    props.metric === 'cost' ? formatCost(typeof v === 'number' ? v : null) : formatTokens(Number(v ?? 0));
  const title = `${props.metric === 'cost' ? 'Cost' : 'Tokens'} per day by ${props.split}`;
  return (
    <figure className="usage-chart">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={points} margin={MARGIN} accessibilityLayer title={title} desc={KEYS}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: 'var(--border)' }} />
          <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={format} width={64} />
          <Tooltip
            formatter={format}
            contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((name, i) => (
            <Bar
              key={name}
              dataKey={name}
              stackId="day"
              fill={PALETTE[i % PALETTE.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function LatencyChart({ report }: { report: UsageReport }) {
  const byDay = new Map(report.latency.map((l) => [l.day, l]));
  const points = dailyErrors(report).map((p) => {
    const l = byDay.get(p.day);
    return { label: p.label, p50: l?.p50 ?? null, p95: l?.p95 ?? null, ttft: l?.ttftP50 ?? null };
  });
  const format = (v: unknown) => formatMs(typeof v === 'number' ? v : null);
  return (
    <figure className="usage-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart
          data={points}
          margin={MARGIN}
          accessibilityLayer
          title="Latency p50 and p95 and time to first token p50 per day"
          desc={KEYS}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: 'var(--border)' }} />
          <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={format} width={56} />
          <Tooltip
            formatter={format}
            contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line
            dataKey="p50"
            name="p50"
            stroke={PALETTE[0]}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="p95"
            name="p95"
            stroke={PALETTE[5]}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="ttft"
            name="first token p50"
            stroke={PALETTE[2]}
            strokeDasharray="4 3"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function ErrorChart({ report }: { report: UsageReport }) {
  return (
    <figure className="usage-chart">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart
          data={dailyErrors(report)}
          margin={MARGIN}
          accessibilityLayer
          title="Errors and failovers per day"
          desc={KEYS}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: 'var(--border)' }} />
          <YAxis tick={AXIS} tickLine={false} axisLine={false} allowDecimals={false} width={40} />
          <Tooltip contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="errors" name="errors" fill="#D55E00" isAnimationActive={false} />
          <Bar dataKey="failovers" name="failovers" fill="#56B4E9" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
