/**
 * The usage store's writer: a worker thread with its own SQLite connection, so inserting a batch
 * (and deleting old rows) never blocks the proxy's event loop. It receives rows already
 * converted and priced, writes each batch in one transaction and acknowledges it by number.
 *
 * The worker's code is a plain-JavaScript string run with `eval: true`, so it works the same
 * under tsx, Vitest, the esbuild bundle of headless mode and Electron's main process (a separate
 * worker file would need a build step and path handling for each of them).
 */
import { Worker } from 'node:worker_threads';

export type WriterRequest =
  | { kind: 'rows'; rows: Array<Record<string, unknown>> }
  | { kind: 'prune'; before: number }
  /** Sets the cost of a model's stored rows (except provider-reported ones) from a new price. */
  | {
      kind: 'reprice';
      model: string;
      provider: string | null;
      price: { input: number; output: number; cacheRead: number; cacheWrite: number } | null;
      source: string | null;
    }
  | { kind: 'close' };

export type WriterReply = { seq: number; ok: boolean; error?: string; changes?: number };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 5000');
db.exec('PRAGMA synchronous = NORMAL');
const columns = workerData.columns;
const insert = db.prepare(
  'INSERT OR REPLACE INTO requests (' + columns.join(', ') + ') VALUES (' + columns.map(() => '?').join(', ') + ')'
);
const prune = db.prepare('DELETE FROM requests WHERE started_at < ?');
const reprice = db.prepare(
  "UPDATE requests SET cost_usd = (input_tokens * ? + output_tokens * ? + cache_read_tokens * ? + cache_write_tokens * ?) / 1000000.0, cost_source = ? " +
  "WHERE upstream_model = ? AND provider IS ? AND (cost_source IS NULL OR cost_source != 'provider')"
);
const unprice = db.prepare(
  "UPDATE requests SET cost_usd = NULL, cost_source = NULL " +
  "WHERE upstream_model = ? AND provider IS ? AND (cost_source IS NULL OR cost_source != 'provider')"
);
parentPort.on('message', (message) => {
  try {
    if (message.kind === 'rows') {
      db.exec('BEGIN');
      try {
        for (const row of message.rows) insert.run(...columns.map((c) => row[c] ?? null));
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
      parentPort.postMessage({ seq: message.seq, ok: true });
    } else if (message.kind === 'prune') {
      const result = prune.run(message.before);
      parentPort.postMessage({ seq: message.seq, ok: true, changes: Number(result.changes) });
    } else if (message.kind === 'reprice') {
      const p = message.price;
      const result = p
        ? reprice.run(p.input, p.output, p.cacheRead, p.cacheWrite, message.source, message.model, message.provider)
        : unprice.run(message.model, message.provider);
      parentPort.postMessage({ seq: message.seq, ok: true, changes: Number(result.changes) });
    } else if (message.kind === 'close') {
      db.close();
      parentPort.postMessage({ seq: message.seq, ok: true });
      parentPort.close();
    }
  } catch (error) {
    parentPort.postMessage({ seq: message.seq, ok: false, error: String(error && error.message || error) });
  }
});
`;

/** Sends messages to the writer and resolves each when the writer has done it. */
export class UsageWriter {
  private readonly worker: Worker;
  private seq = 0;
  private readonly waiting = new Map<number, (reply: WriterReply) => void>();
  private exited = false;

  constructor(path: string, columns: readonly string[]) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, columns } });
    // An idle writer must not keep a process alive; one with work in hand must (the last
    // batch at quit), so it is referenced only while replies are awaited.
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => {
      this.waiting.get(reply.seq)?.(reply);
      this.waiting.delete(reply.seq);
      if (this.waiting.size === 0) this.worker.unref();
    });
    const fail = (error: string) => {
      this.exited = true;
      for (const resolve of this.waiting.values()) resolve({ seq: -1, ok: false, error });
      this.waiting.clear();
    };
    this.worker.on('error', (error) => fail(error.message));
    this.worker.on('exit', () => fail('the usage writer stopped'));
  }

  send(message: WriterRequest): Promise<WriterReply> {
    if (this.exited) return Promise.resolve({ seq: -1, ok: false, error: 'the usage writer stopped' });
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.worker.ref();
      this.worker.postMessage({ ...message, seq });
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await this.send({ kind: 'close' });
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      this.worker.ref();
      this.worker.once('exit', () => resolve());
    });
  }
}
