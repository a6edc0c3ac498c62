/** Per provider and model: requests, tokens, cache hits, cost, errors. */
import { formatCost, formatTokens, type UsageGroupRow } from '../../shared/usage';
import { cacheHitRatio } from '../../shared/usageSeries';
import { formatPercent } from './format';

export function ModelTable({ rows }: { rows: UsageGroupRow[] }) {
  if (rows.length === 0) return <p className="empty">No requests in this range.</p>;
  return (
    <table className="usage-table" data-testid="usage-models">
      <thead>
        <tr>
          <th scope="col">Provider</th>
          <th scope="col">Model</th>
          <th scope="col" className="num">
            Requests
          </th>
          <th scope="col" className="num">
            Input
          </th>
          <th scope="col" className="num">
            Output
          </th>
          <th scope="col" className="num">
            Cache read
          </th>
          <th scope="col" className="num">
            Cache write
          </th>
          <th scope="col" className="num">
            Cache hits
          </th>
          <th scope="col" className="num">
            Cost
          </th>
          <th scope="col" className="num">
            Errors
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.provider}/${row.model}`}>
            <td>{row.provider ?? '–'}</td>
            <td>
              <code>{row.model ?? '–'}</code>
            </td>
            <td className="num">{row.requests.toLocaleString('en-US')}</td>
            <td className="num">{formatTokens(row.inputTokens)}</td>
            <td className="num">{formatTokens(row.outputTokens)}</td>
            <td className="num">{formatTokens(row.cacheReadTokens)}</td>
            <td className="num">{formatTokens(row.cacheWriteTokens)}</td>
            <td className="num">{formatPercent(cacheHitRatio(row))}</td>
            <td
              className="num"
              title={row.unpricedRequests > 0 ? `${row.unpricedRequests} without a price` : undefined}
            >
              {formatCost(row.costUsd)}
              {row.costUsd !== null && row.unpricedRequests > 0 ? '+' : ''}
            </td>
            <td className="num">{row.errors}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
