/**
 * The request log: one record per request in a bounded ring, with change events for whoever
 * renders it (tray, log window, headless stdout). Records hold metadata only.
 */
import type { RequestRecord } from '../../shared/requestRecord';
import { logField } from './logText';

/** Longest value kept per text field; client- and upstream-chosen values are cut to these. */
const FIELD_LIMITS: Partial<Record<keyof RequestRecord, number>> = {
  method: 16,
  path: 200,
  clientModel: 200,
  provider: 100,
  upstreamModel: 200,
  stopReason: 40,
  error: 1000,
  errorDetail: 4000,
};
const NOTE_LIMIT = 300;
const MAX_NOTES = 20;

/**
 * A patch with every text escaped and cut: records reach stdout, the log window and support
 * pastes, and their model names, notes and errors carry client- and upstream-chosen text.
 */
function cleaned<T extends Partial<RequestRecord>>(patch: T): T {
  const out = patch as Record<string, unknown>;
  for (const key in out) {
    const value = out[key];
    if (typeof value === 'string') {
      const limit = FIELD_LIMITS[key as keyof RequestRecord];
      if (limit !== undefined) out[key] = logField(value, limit);
    } else if (key === 'notes' && Array.isArray(value)) {
      out[key] = value.slice(0, MAX_NOTES).map((note) => logField(String(note), NOTE_LIMIT));
    }
  }
  return patch;
}

export type RequestLogListener = (record: RequestRecord, kind: 'added' | 'updated' | 'cleared') => void;

export class RequestLog {
  private readonly ring: RequestRecord[] = [];
  private readonly listeners = new Set<RequestLogListener>();

  constructor(readonly capacity = 1000) {}

  /** Start a record; returns it so the pipeline can fill it in and call `update`. */
  add(record: RequestRecord): RequestRecord {
    cleaned(record);
    this.ring.push(record);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    this.emit(record, 'added');
    return record;
  }

  /** Fills the ring with records from an earlier run (no events: nobody is listening yet). */
  seed(records: RequestRecord[]): void {
    this.ring.unshift(...records.slice(-this.capacity));
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }

  update(record: RequestRecord, patch: Partial<RequestRecord>): void {
    Object.assign(record, cleaned(patch));
    this.emit(record, 'updated');
  }

  /** Newest last. A copy, so callers cannot disturb the ring. */
  records(limit = this.capacity): RequestRecord[] {
    return this.ring.slice(-limit).map((r) => ({ ...r }));
  }

  find(id: string): RequestRecord | undefined {
    const record = this.ring.find((r) => r.id === id);
    return record && { ...record };
  }

  clear(): void {
    this.ring.length = 0;
    this.emit({ id: '', startedAt: Date.now(), method: '', path: '', state: 'done' }, 'cleared');
  }

  subscribe(listener: RequestLogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(record: RequestRecord, kind: 'added' | 'updated' | 'cleared'): void {
    for (const listener of this.listeners) {
      try {
        listener(record, kind);
      } catch {
        // A broken listener must not break the request that triggered it.
      }
    }
  }
}
