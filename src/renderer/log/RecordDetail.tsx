/** The detail pane: every metadata field of one record, and the upstream's error body if any. */
import { formatClock } from '../../shared/requestFormat';
import type { RequestRecord } from '../../shared/requestRecord';

const FIELDS: { key: keyof RequestRecord; label: string }[] = [
  { key: 'id', label: 'Request id' },
  { key: 'method', label: 'Method' },
  { key: 'path', label: 'Path' },
  { key: 'clientModel', label: 'Client model' },
  { key: 'provider', label: 'Provider' },
  { key: 'upstreamModel', label: 'Upstream model' },
  { key: 'api', label: 'OpenAI API' },
  { key: 'stream', label: 'Streaming' },
  { key: 'status', label: 'Status' },
  { key: 'state', label: 'State' },
  { key: 'latencyMs', label: 'Latency (ms)' },
  { key: 'ttftMs', label: 'Time to first token (ms)' },
  { key: 'inputTokens', label: 'Input tokens' },
  { key: 'outputTokens', label: 'Output tokens' },
  { key: 'cacheReadTokens', label: 'Cache read tokens' },
  { key: 'stopReason', label: 'Stop reason' },
  { key: 'retries', label: 'Retries' },
  { key: 'profile', label: 'Came through' },
  { key: 'rule', label: 'Routing rule' },
];

export function RecordDetail({ record, onClose }: { record: RequestRecord; onClose: () => void }) {
  return (
    <aside className="detail" data-testid="record-detail">
      <div className="row">
        <h2>Request at {formatClock(record.startedAt)}</h2>
        <button type="button" className="push-right" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <dl>
        {FIELDS.filter(({ key }) => record[key] !== undefined).map(({ key, label }) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{key === 'profile' ? `/p/${String(record[key])}` : String(record[key])}</dd>
          </div>
        ))}
      </dl>
      {record.attempts && record.attempts.length > 0 && (
        <>
          <h3>Attempts</h3>
          <ol data-testid="record-attempts">
            {record.attempts.map((a, i) => (
              <li key={i}>
                {a.provider}
                {a.model ? `/${a.model}` : ''} ({a.why}): {a.outcome}
              </li>
            ))}
          </ol>
        </>
      )}
      {record.notes && record.notes.length > 0 && (
        <>
          <h3>Notes</h3>
          <ul>
            {record.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      )}
      {record.error && (
        <>
          <h3>Error</h3>
          <p className="bad">{record.error}</p>
        </>
      )}
      {record.errorDetail && (
        <>
          <h3>Upstream error body</h3>
          <pre>{record.errorDetail}</pre>
        </>
      )}
    </aside>
  );
}
