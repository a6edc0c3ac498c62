/**
 * Batches request-log changes for the windows: a busy proxy updates a record on every stream
 * chunk, so changes are collected by record id and sent at most every `intervalMs`. Memory is
 * bounded by the number of distinct records changed in one interval.
 */
import type { LogBatch } from '../../shared/ipc';
import type { RequestLog } from '../proxy/requestLog';
import type { RequestRecord } from '../../shared/requestRecord';

export function batchLogChanges(
  log: RequestLog,
  send: (batch: LogBatch) => void,
  intervalMs = 100,
  timers: { set: typeof setTimeout; clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
): () => void {
  let pending = new Map<string, RequestRecord>();
  let cleared = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = (): void => {
    timer = null;
    const batch: LogBatch = { cleared, records: [...pending.values()] };
    pending = new Map();
    cleared = false;
    send(batch);
  };

  const unsubscribe = log.subscribe((record, kind) => {
    if (kind === 'cleared') {
      pending.clear();
      cleared = true;
    } else {
      // Copy: the log mutates its records in place.
      pending.set(record.id, { ...record });
    }
    timer ??= timers.set(flush, intervalMs);
  });

  return () => {
    unsubscribe();
    if (timer) timers.clear(timer);
  };
}
