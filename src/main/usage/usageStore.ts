/**
 * The usage history: one SQLite row per finished request (metadata only), through Node's
 * built-in `node:sqlite`, so there is no native module to rebuild per platform or per Electron.
 *
 * Writes never happen on the request path, nor on its thread: `record()` copies the finished
 * record into a queue (a map keyed by request id, so a record finished twice is written once);
 * once a second, or sooner when 500 wait, the queue is priced (from the real token counts) and
 * handed to a writer thread with its own connection, which writes each batch in one transaction.
 * Reads (totals for the API, the window, the tray) use this thread's connection: in WAL mode
 * they never wait for the writer.
 *
 * A file SQLite cannot read is moved aside (kept, never deleted) and a fresh one started, with
 * a notice for the user, as the settings file does.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ModelPrice } from '../../shared/providers/prices';
import type { RequestRecord } from '../../shared/requestRecord';
import {
  emptyTotals,
  type LastRequest,
  type UsageDimension,
  type UsageGroupRow,
  type UsageQuery,
  type UsageSummary,
  type UsageTotals,
} from '../../shared/usage';
import { fileTimestamp } from '../app/settingsFile';
import { migrate, SCHEMA_VERSION, schemaVersion } from './usageSchema';
import { ROW_COLUMNS, rowFromRecord, recordFromRow, type CostLookup, type StoredRow } from './usageRow';
import { UsageWriter } from './usageWriter';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface UsageStoreOptions {
  /** Works out a finished record's cost; returns null when unknown. */
  cost?: CostLookup;
  retentionDays?: number;
  /** How long a finished record may wait in memory before it is written. */
  flushMs?: number;
  /** A batch this large is written at once, without waiting for the timer. */
  batchSize?: number;
  now?: () => number;
}

const UNFINISHED = new Set(['pending', 'streaming']);

export class UsageStore {
  /** Notes for the user from opening the file (a damaged file moved aside). */
  readonly notices: string[] = [];
  private readonly db: DatabaseSync;
  private readonly queue = new Map<string, RequestRecord>();
  private readonly writer: UsageWriter;
  private readonly written = new Set<() => void>();
  private lastWrite: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private retentionDays: number;
  private cost: CostLookup;
  private readonly flushMs: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  private lastPrune = 0;
  private closed = false;
  /** Batches that failed to write (disk full, file locked too long); their rows are lost. */
  writeFailures = 0;

  private constructor(db: DatabaseSync, path: string, options: UsageStoreOptions, notices: string[]) {
    this.db = db;
    this.notices.push(...notices);
    this.cost = options.cost ?? (() => null);
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.flushMs = options.flushMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.now = options.now ?? Date.now;
    // Old rows go before anything reads them (synchronously, once, at start).
    this.lastPrune = this.now();
    this.db.prepare('DELETE FROM requests WHERE started_at < ?').run(this.cutoff());
    this.writer = new UsageWriter(path, ROW_COLUMNS);
  }

  /**
   * Opens (or creates) the database at `path`. A damaged file is moved to
   * `<path>.corrupt-<timestamp>` and a new one started; the notice says so.
   */
  static open(path: string, options: UsageStoreOptions = {}): UsageStore {
    mkdirSync(dirname(path), { recursive: true });
    const notices: string[] = [];
    let db: DatabaseSync;
    try {
      db = openChecked(path);
    } catch (error) {
      const backup = `${path}.corrupt-${fileTimestamp(new Date())}`;
      renameSync(path, backup);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, backup + suffix);
      }
      notices.push(
        `The usage history file could not be read (${(error as Error).message}); it was moved to ${backup} and a new one was started.`,
      );
      db = openChecked(path);
    }
    return new UsageStore(db, path, options, notices);
  }

  // ---- writing -------------------------------------------------------------------------

  /** Queues a finished record for the next batch. Cheap: a copy and a map insert. */
  record(record: RequestRecord): void {
    if (this.closed || UNFINISHED.has(record.state) || record.path !== '/v1/messages') return;
    this.queue.set(record.id, { ...record });
    if (this.queue.size >= this.batchSize) {
      this.schedule(0);
    } else {
      this.schedule(this.flushMs);
    }
  }

  /** Hands everything queued to the writer; resolves when it (and every earlier batch) is written. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.size === 0 || this.closed) return this.lastWrite;
    const rows = [...this.queue.values()].map((record) => rowFromRecord(record, this.cost));
    this.queue.clear();
    this.lastWrite = this.writer.send({ kind: 'rows', rows }).then((reply) => {
      if (!reply.ok) this.writeFailures++;
      for (const listener of this.written) listener();
    });
    if (this.now() - this.lastPrune > DAY_MS / 4) void this.prune();
    return this.lastWrite;
  }

  /**
   * Prices a model's stored requests again (all but those whose provider reported the cost),
   * after the user set or removed their price for it: `priceFor` gives the price per provider,
   * null for unknown. Reads wait for it, like for a batch.
   */
  async reprice(
    model: string,
    priceFor: (provider: string | null) => ModelPrice | null,
    source: string,
  ): Promise<void> {
    if (this.closed) return;
    const providers = this.db
      .prepare('SELECT DISTINCT provider FROM requests WHERE upstream_model = ?')
      .all(model) as Array<{ provider: string | null }>;
    const writes = providers.map(({ provider }) => {
      const price = priceFor(provider);
      return this.writer.send({
        kind: 'reprice',
        model,
        provider,
        price: price && {
          input: price.input,
          output: price.output,
          cacheRead: price.cacheRead ?? price.input,
          cacheWrite: price.cacheWrite ?? price.input,
        },
        source: price ? source : null,
      });
    });
    const done = Promise.all([this.lastWrite, ...writes]).then(() => {
      for (const listener of this.written) listener();
    });
    this.lastWrite = done;
    await done;
  }

  /** Called after each batch is written (the tray refreshes today's totals). */
  onWritten(listener: () => void): () => void {
    this.written.add(listener);
    return () => this.written.delete(listener);
  }

  get pending(): number {
    return this.queue.size;
  }

  setCostLookup(cost: CostLookup): void {
    this.cost = cost;
  }

  setRetentionDays(days: number): Promise<number> {
    if (days === this.retentionDays) return Promise.resolve(0);
    this.retentionDays = days;
    return this.prune();
  }

  /** Deletes rows older than the retention period (on the writer); resolves with how many. */
  async prune(): Promise<number> {
    this.lastPrune = this.now();
    if (this.closed) return 0;
    const reply = await this.writer.send({ kind: 'prune', before: this.cutoff() });
    return reply.changes ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.writer.close();
    this.db.close();
  }

  private cutoff(): number {
    return this.now() - this.retentionDays * DAY_MS;
  }

  // ---- reading -------------------------------------------------------------------------

  /** Totals for the range and one row per group (dimensions in the order given). */
  summary(query: UsageQuery): UsageSummary {
    const totals = this.aggregate(query.from, query.to, [])[0] ?? emptyTotals();
    const rows = query.groupBy.length > 0 ? this.aggregate(query.from, query.to, query.groupBy) : [];
    return { from: query.from, to: query.to, groupBy: query.groupBy, totals, rows };
  }

  /** Latency and time-to-first-token samples of successful requests, for percentiles. */
  latencies(from: number, to: number): Array<{ day: string; latency: number | null; ttft: number | null }> {
    return this.db
      .prepare(
        `SELECT ${DAY} AS day, latency_ms AS latency, ttft_ms AS ttft FROM requests
         WHERE started_at >= ? AND started_at < ? AND state = 'done' ORDER BY started_at`,
      )
      .all(from, to) as Array<{ day: string; latency: number | null; ttft: number | null }>;
  }

  /** The newest records, oldest first, for the live log at start-up. */
  recent(limit = 1000): RequestRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM requests ORDER BY started_at DESC LIMIT ?')
      .all(limit) as unknown as StoredRow[];
    return rows.reverse().map(recordFromRow);
  }

  last(): LastRequest | null {
    const row = this.db
      .prepare(
        `SELECT started_at, provider, upstream_model, latency_ms, status, state FROM requests
         ORDER BY started_at DESC LIMIT 1`,
      )
      .get() as
      | {
          started_at: number;
          provider: string | null;
          upstream_model: string | null;
          latency_ms: number | null;
          status: number | null;
          state: string;
        }
      | undefined;
    if (!row) return null;
    return {
      at: row.started_at,
      provider: row.provider,
      model: row.upstream_model,
      latencyMs: row.latency_ms,
      status: row.status,
      state: row.state,
    };
  }

  private aggregate(from: number, to: number, groupBy: UsageDimension[]): UsageGroupRow[] {
    const columns = groupBy.map((d) => `${DIMENSION_SQL[d]} AS ${d}`);
    const group = groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')} ORDER BY ${groupBy.join(', ')}` : '';
    const rows = this.db
      .prepare(
        `SELECT ${[...columns, TOTALS_SQL].join(', ')} FROM requests
         WHERE started_at >= ? AND started_at < ? ${group}`,
      )
      .all(from, to) as Array<Record<string, unknown>>;
    return rows.map((row) => {
      const out: UsageGroupRow = totalsFromRow(row);
      for (const d of groupBy) (out as unknown as Record<string, unknown>)[d] = row[d];
      return out;
    });
  }

  private schedule(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    // A pending batch must not keep a headless process alive; close() flushes it.
    this.timer.unref();
  }
}

const DAY = `strftime('%Y-%m-%d', started_at / 1000, 'unixepoch', 'localtime')`;
const DIMENSION_SQL: Record<UsageDimension, string> = {
  day: DAY,
  provider: 'provider',
  model: 'upstream_model',
};
const TOTALS_SQL = `COUNT(*) AS requests,
  COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens,
  COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
  COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens,
  SUM(cost_usd) AS cost_usd,
  COALESCE(SUM(cost_usd IS NULL), 0) AS unpriced,
  COALESCE(SUM(state = 'error' OR status >= 400), 0) AS errors,
  COALESCE(SUM(attempts > 1), 0) AS failovers`;

function totalsFromRow(row: Record<string, unknown>): UsageTotals {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    requests: n(row.requests),
    inputTokens: n(row.input_tokens),
    outputTokens: n(row.output_tokens),
    cacheReadTokens: n(row.cache_read_tokens),
    cacheWriteTokens: n(row.cache_write_tokens),
    // Sums of binary fractions: rounded to a billionth of a cent so $0.00675 is not 0.006750000000000001.
    costUsd:
      row.cost_usd === null || row.cost_usd === undefined
        ? null
        : Math.round(Number(row.cost_usd) * 1e11) / 1e11,
    unpricedRequests: n(row.unpriced),
    errors: n(row.errors),
    failovers: n(row.failovers),
  };
}

/** Opens the file and proves SQLite can read it, bringing the schema up to date. */
function openChecked(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    // Another process (desktop and headless share the folder) may hold the write lock briefly.
    db.exec('PRAGMA busy_timeout = 2000');
    const check = db.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
    if (check?.quick_check !== 'ok') throw new Error(`integrity check failed: ${check?.quick_check}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    if (schemaVersion(db) > SCHEMA_VERSION) {
      throw new Error(`it was written by a newer Turnout (schema ${schemaVersion(db)})`);
    }
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
