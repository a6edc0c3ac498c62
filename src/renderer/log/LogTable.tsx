/** The log's table: one row per request, newest first. */
import { formatClock, formatDuration, formatStatus, statusClass } from '../../shared/requestFormat';
import type { RequestRecord } from '../../shared/requestRecord';

function tokens(record: RequestRecord): string {
  if (record.inputTokens === undefined && record.outputTokens === undefined) return '';
  return `${record.inputTokens ?? '?'} → ${record.outputTokens ?? '?'}`;
}

export function LogTable({
  records,
  selectedId,
  onSelect,
}: {
  records: RequestRecord[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  if (records.length === 0) {
    return (
      <p className="empty">No requests yet. Point Claude Code at the proxy and they appear here live.</p>
    );
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Time</th>
            <th>Client model</th>
            <th>Provider / upstream model</th>
            <th>Status</th>
            <th className="num">Latency</th>
            <th className="num">TTFT</th>
            <th className="num">Tokens in → out</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr
              key={r.id}
              className={`row-${statusClass(r)}${r.id === selectedId ? ' selected' : ''}`}
              onClick={() => onSelect(r.id)}
              data-testid="log-row"
              aria-selected={r.id === selectedId}
            >
              <td>{formatClock(r.startedAt)}</td>
              <td>{r.clientModel ?? `${r.method} ${r.path}`}</td>
              <td>
                {r.provider ?? ''}
                {r.upstreamModel ? ` / ${r.upstreamModel}` : ''}
              </td>
              <td>
                <span className={`status ${statusClass(r)}`}>{formatStatus(r)}</span>
              </td>
              <td className="num">{r.latencyMs !== undefined ? formatDuration(r.latencyMs) : ''}</td>
              <td className="num">{r.ttftMs !== undefined ? formatDuration(r.ttftMs) : ''}</td>
              <td className="num">{tokens(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
