/**
 * The request-log window: a live table of requests with pause, filters, clear and a detail
 * pane. It keeps at most the log's capacity of records, however long it runs.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { statusClass, type StatusClass } from '../../shared/requestFormat';
import type { RequestRecord } from '../../shared/requestRecord';
import { api } from '../common/api';
import { applyBatch } from '../../shared/logBatch';
import { LogTable } from './LogTable';
import { RecordDetail } from './RecordDetail';

type StatusFilter = 'all' | StatusClass | 'errors';

const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'ok', label: 'Succeeded' },
  { value: 'errors', label: 'Any error' },
  { value: 'client-error', label: '4xx' },
  { value: 'server-error', label: '5xx' },
  { value: 'failed', label: 'Failed or aborted' },
  { value: 'pending', label: 'In progress' },
];

function matchesStatus(record: RequestRecord, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  const cls = statusClass(record);
  if (filter === 'errors') return cls === 'client-error' || cls === 'server-error' || cls === 'failed';
  return cls === filter;
}

export function LogApp() {
  const [records, setRecords] = useState<RequestRecord[]>([]);
  const capacity = useRef(1000);
  const [paused, setPaused] = useState(false);
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [providerFilter, setProviderFilter] = useState('all');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // While paused the table stands still; resuming reloads the whole (bounded) log.
  useEffect(() => {
    if (paused) return;
    let live = true;
    const unsubscribe = api.onLog(
      (batch) => live && setRecords((current) => applyBatch(current, batch, capacity.current)),
    );
    api.getLog().then(
      (snapshot) => {
        if (!live) return;
        capacity.current = snapshot.capacity;
        setRecords(snapshot.records.slice().reverse());
      },
      (e: Error) => setError(e.message),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [paused]);

  useEffect(() => api.onFocusRecord((id) => setSelectedId(id)), []);

  const providers = useMemo(
    () => [...new Set(records.map((r) => r.provider).filter((p): p is string => Boolean(p)))].sort(),
    [records],
  );
  const visible = records.filter(
    (r) => matchesStatus(r, statusFilter) && (providerFilter === 'all' || r.provider === providerFilter),
  );
  const selected = selectedId ? (records.find((r) => r.id === selectedId) ?? null) : null;

  return (
    <main className={`log${selected ? ' with-detail' : ''}`}>
      <div className="toolbar">
        <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <select
          aria-label="Filter by status"
          value={statusFilter}
          onChange={(e) => setStatusFilter(e.target.value as StatusFilter)}
        >
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter by provider"
          value={providerFilter}
          onChange={(e) => setProviderFilter(e.target.value)}
        >
          <option value="all">All providers</option>
          {providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() =>
            api.clearLog().then(
              () => {
                setRecords([]);
                setSelectedId(null);
              },
              (e: Error) => setError(e.message),
            )
          }
        >
          Clear
        </button>
        <span className="muted push-right" data-testid="log-count">
          {paused ? 'Paused · ' : ''}
          {visible.length} of {records.length} requests
        </span>
      </div>
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}
      <div className="log-body">
        <LogTable records={visible} selectedId={selectedId} onSelect={setSelectedId} />
        {selected && <RecordDetail record={selected} onClose={() => setSelectedId(null)} />}
      </div>
    </main>
  );
}
