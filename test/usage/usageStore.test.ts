/**
 * The usage store against real SQLite files in a temporary folder: schema migrations, retention,
 * a damaged file, batching under load, and totals surviving a restart.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/shared/requestRecord';
import { migrate, SCHEMA_VERSION } from '../../src/main/usage/usageSchema';
import { UsageStore } from '../../src/main/usage/usageStore';

const DAY = 86_400_000;
let dir: string;
let file: string;
const open: UsageStore[] = [];

function openStore(options: Parameters<typeof UsageStore.open>[1] = {}): UsageStore {
  const store = UsageStore.open(file, options);
  open.push(store);
  return store;
}

let seq = 0;
function finished(patch: Partial<RequestRecord> = {}): RequestRecord {
  seq += 1;
  return {
    id: `req_${seq}`,
    startedAt: Date.now(),
    method: 'POST',
    path: '/v1/messages',
    provider: 'openai',
    clientModel: 'claude-sonnet-4-5',
    upstreamModel: 'gpt-5.1',
    stream: true,
    status: 200,
    latencyMs: 1200,
    ttftMs: 300,
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 400,
    state: 'done',
    ...patch,
  };
}

function rowCount(): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'turnout-usage-'));
  file = join(dir, 'usage.sqlite');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

describe('usage store', () => {
  it('creates the schema in a new file and upgrades a file written by the first version, keeping its rows', () => {
    const v1 = new DatabaseSync(file);
    migrate(v1, 1);
    v1.prepare(
      `INSERT INTO requests (id, started_at, provider, upstream_model, state, input_tokens, output_tokens)
       VALUES ('old', ?, 'groq', 'openai/gpt-oss-120b', 'done', 70, 30)`,
    ).run(Date.now() - 1000);
    v1.close();

    const store = openStore();
    const db = new DatabaseSync(file, { readOnly: true });
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    const columns = (db.prepare('PRAGMA table_info(requests)').all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    db.close();
    expect(version).toBe(SCHEMA_VERSION);
    expect(columns).toEqual(expect.arrayContaining(['profile', 'rule', 'attempts', 'cost_source']));
    const totals = store.summary({ from: 0, to: Date.now() + 1, groupBy: [] }).totals;
    expect(totals).toMatchObject({ requests: 1, inputTokens: 70, outputTokens: 30, failovers: 0 });
  });

  it('deletes rows older than the retention period, at start and when the setting changes', async () => {
    const now = Date.now();
    const store = openStore({ now: () => now });
    store.record(finished({ id: 'ancient', startedAt: now - 100 * DAY }));
    store.record(finished({ id: 'month', startedAt: now - 30 * DAY }));
    store.record(finished({ id: 'today', startedAt: now - 1000 }));
    await store.flush();
    // Written, then pruned by the 90-day default when the store next opens.
    await store.close();
    open.length = 0;
    const reopened = openStore({ now: () => now });
    expect(reopened.recent().map((r) => r.id)).toEqual(['month', 'today']);
    await reopened.setRetentionDays(7);
    expect(reopened.recent().map((r) => r.id)).toEqual(['today']);
  });

  it('moves a damaged file aside, reports where it went, and starts a new history', async () => {
    writeFileSync(file, 'this is not a database, just text that happens to be here '.repeat(200));
    const store = openStore();
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatch(
      /usage history file could not be read .*moved to .*usage\.sqlite\.corrupt-\d{8}-\d{6}/,
    );
    const backup = readdirSync(dir).find((f) => f.startsWith('usage.sqlite.corrupt-'));
    expect(backup).toBeDefined();
    store.record(finished());
    await store.flush();
    expect(store.summary({ from: 0, to: Date.now() + 1, groupBy: [] }).totals.requests).toBe(1);
  });

  it('keeps writes off the request path: record() only queues, the writer thread writes the batch', async () => {
    const store = openStore({ flushMs: 50, batchSize: 100_000 });
    const records = Array.from({ length: 20_000 }, () => finished());
    const started = performance.now();
    for (const record of records) store.record(record);
    const queueMs = performance.now() - started;
    // Nothing written yet: the requests did not wait for the disk.
    expect(rowCount()).toBe(0);
    expect(store.pending).toBe(20_000);
    // 20,000 queue inserts are far below a millisecond each even on a loaded machine.
    expect(queueMs / records.length).toBeLessThan(0.05);
    // The timer hands the batch to the writer thread, which writes it in one transaction.
    await expect.poll(() => rowCount(), { timeout: 15_000 }).toBe(20_000);
    expect(store.pending).toBe(0);
    expect(store.writeFailures).toBe(0);
  });

  it('writes a full batch without waiting for the timer, and a record finished twice once', async () => {
    const store = openStore({ flushMs: 60_000, batchSize: 50 });
    const twice = finished();
    store.record(twice);
    store.record({ ...twice, outputTokens: 999 });
    for (let i = 0; i < 49; i++) store.record(finished());
    // Written by the writer thread without anyone calling flush().
    await expect.poll(() => rowCount()).toBe(50);
    const totals = store.summary({ from: 0, to: Date.now() + 1, groupBy: [] }).totals;
    expect(totals.outputTokens).toBe(999 + 49 * 200);
  });

  it('writes the last batch when a process quits right after a request', () => {
    // Nothing else keeps this process alive: close() must still finish the write, not be cut off.
    const script = join(dir, 'quit.mts');
    const source = resolve(import.meta.dirname, '../../src/main/usage/usageStore.ts');
    writeFileSync(
      script,
      `import { UsageStore } from ${JSON.stringify(source)};
       const store = UsageStore.open(${JSON.stringify(file)});
       store.record({ id: 'last', startedAt: Date.now(), method: 'POST', path: '/v1/messages', state: 'done', outputTokens: 7 });
       await store.close();
       process.stdout.write('closed');`,
    );
    const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
    expect(execFileSync(tsx, [script], { encoding: 'utf8', timeout: 20_000 })).toBe('closed');
    expect(rowCount()).toBe(1);
  });

  it('ignores unfinished records and requests other than /v1/messages', async () => {
    const store = openStore();
    store.record(finished({ state: 'streaming' }));
    store.record(finished({ state: 'pending' }));
    store.record(finished({ path: '/v1/messages/count_tokens' }));
    await store.flush();
    expect(rowCount()).toBe(0);
  });

  it('keeps totals and the newest records across a restart', async () => {
    const store = openStore({ cost: () => 0.01 });
    for (let i = 0; i < 30; i++) store.record(finished({ outputTokens: i }));
    store.record(finished({ state: 'error', status: 502, error: 'upstream failed', outputTokens: 0 }));
    await store.close();
    open.length = 0;

    const again = openStore();
    const totals = again.summary({ from: 0, to: Date.now() + 1, groupBy: [] }).totals;
    expect(totals.requests).toBe(31);
    expect(totals.outputTokens).toBe((29 * 30) / 2);
    // input 1000 per record counts every prompt token; 400 of them were cache reads.
    expect(totals.inputTokens).toBe(31 * 600);
    expect(totals.cacheReadTokens).toBe(31 * 400);
    expect(totals.errors).toBe(1);
    expect(totals.costUsd).toBeCloseTo(0.31, 10);
    const recent = again.recent(5);
    expect(recent).toHaveLength(5);
    expect(recent.at(-1)).toMatchObject({
      state: 'error',
      status: 502,
      inputTokens: 1000,
      cacheReadTokens: 400,
    });
  });

  it('groups by day, provider and model', async () => {
    const store = openStore();
    const noon = new Date();
    noon.setHours(12, 0, 0, 0);
    const today = noon.getTime();
    store.record(finished({ startedAt: today, provider: 'openai', upstreamModel: 'gpt-5.1' }));
    store.record(finished({ startedAt: today, provider: 'openai', upstreamModel: 'gpt-5-mini' }));
    store.record(finished({ startedAt: today - DAY, provider: 'google', upstreamModel: 'gemini-2.5-pro' }));
    await store.flush();
    const byProvider = store.summary({ from: 0, to: today + DAY, groupBy: ['provider'] }).rows;
    expect(byProvider.map((r) => [r.provider, r.requests])).toEqual([
      ['google', 1],
      ['openai', 2],
    ]);
    const byDay = store.summary({ from: 0, to: today + DAY, groupBy: ['day'] }).rows;
    const iso = (ms: number) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    expect(byDay.map((r) => [r.day, r.requests])).toEqual([
      [iso(today - DAY), 1],
      [iso(today), 2],
    ]);
  });

  it('stores failover attempts and routing names when the record carries them', async () => {
    const store = openStore();
    const routed = { ...finished(), profile: 'work', rule: { name: 'haiku-to-groq' }, attempts: [{}, {}] };
    store.record(routed as unknown as RequestRecord);
    await store.flush();
    expect(store.summary({ from: 0, to: Date.now() + 1, groupBy: [] }).totals.failovers).toBe(1);
    const db = new DatabaseSync(file, { readOnly: true });
    const row = db.prepare('SELECT profile, rule, attempts FROM requests').get();
    db.close();
    expect(row).toEqual({ profile: 'work', rule: 'haiku-to-groq', attempts: 2 });
  });

  it('never stores prompt or answer text, only metadata', async () => {
    const store = openStore();
    store.record(finished({ error: 'x'.repeat(5000), notes: ['clamped max_tokens'] }));
    await store.close();
    open.length = 0;
    expect(existsSync(file)).toBe(true);
    const db = new DatabaseSync(file, { readOnly: true });
    const row = db.prepare('SELECT error FROM requests').get() as { error: string };
    db.close();
    expect(row.error.length).toBeLessThanOrEqual(300);
  });
});
