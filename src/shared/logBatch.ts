/**
 * Keeping a copy of the request log (the log window's) current and bounded from the batches the
 * main process sends.
 */
import type { LogBatch } from './ipc';
import type { RequestRecord } from './requestRecord';

/** Applies a batch to the newest-first list, keeping at most `capacity` records. */
export function applyBatch(records: RequestRecord[], batch: LogBatch, capacity: number): RequestRecord[] {
  let next = batch.cleared ? [] : records;
  if (batch.records.length === 0) return next;
  const updates = new Map(batch.records.map((r) => [r.id, r]));
  next = next.map((r) => {
    const updated = updates.get(r.id);
    if (!updated) return r;
    updates.delete(r.id);
    return updated;
  });
  const added = [...updates.values()].sort((a, b) => b.startedAt - a.startedAt);
  return [...added, ...next].slice(0, capacity);
}
