/** The range's headline numbers: requests, tokens, cost, cache hits, latency, errors. */
import { formatCost, formatTokens, type UsageReport } from '../../shared/usage';
import { allTokens, cacheHitRatio } from '../../shared/usageSeries';
import { formatMs, formatPercent } from './format';

export function SummaryCards({ report }: { report: UsageReport }) {
  const t = report.totals;
  const hit = cacheHitRatio(t);
  const cards: { label: string; value: string; detail?: string; id: string }[] = [
    { id: 'requests', label: 'Requests', value: t.requests.toLocaleString('en-US') },
    {
      id: 'tokens',
      label: 'Tokens',
      value: formatTokens(allTokens(t)),
      detail: `${formatTokens(t.inputTokens)} in · ${formatTokens(t.outputTokens)} out`,
    },
    {
      id: 'cost',
      label: 'Cost',
      value: formatCost(t.costUsd) + (t.costUsd !== null && t.unpricedRequests > 0 ? '+' : ''),
      detail: t.unpricedRequests > 0 ? `${t.unpricedRequests} without a price` : 'all requests priced',
    },
    {
      id: 'cache',
      label: 'Cache hits',
      value: formatPercent(hit),
      detail: `${formatTokens(t.cacheReadTokens)} read · ${formatTokens(t.cacheWriteTokens)} written`,
    },
    {
      id: 'latency',
      label: 'Latency p50 / p95',
      value: `${formatMs(report.overall.p50)} / ${formatMs(report.overall.p95)}`,
      detail: `first token p50 ${formatMs(report.overall.ttftP50)}`,
    },
    {
      id: 'errors',
      label: 'Errors',
      value: t.errors.toLocaleString('en-US'),
      detail: `${t.failovers} failed over · ${formatPercent(t.requests ? t.errors / t.requests : null)}`,
    },
  ];
  return (
    <dl className="usage-cards">
      {cards.map((card) => (
        <div key={card.id} className="usage-card" data-testid={`usage-${card.id}`}>
          <dt>{card.label}</dt>
          <dd className="usage-value">{card.value}</dd>
          {card.detail && <dd className="muted small">{card.detail}</dd>}
        </div>
      ))}
    </dl>
  );
}
