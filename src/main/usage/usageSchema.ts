/**
 * The usage database's schema, as numbered migrations. `PRAGMA user_version` holds the number of
 * migrations applied; opening a file runs the missing ones in one transaction each. Never edit a
 * migration that has shipped: add the next one.
 */
import type { DatabaseSync } from 'node:sqlite';

export const MIGRATIONS: readonly string[] = [
  // 1: one row per finished request, metadata only (no prompt or answer text).
  `CREATE TABLE requests (
     id TEXT PRIMARY KEY,
     started_at INTEGER NOT NULL,
     client_model TEXT,
     provider TEXT,
     upstream_model TEXT,
     stream INTEGER,
     status INTEGER,
     state TEXT NOT NULL,
     latency_ms INTEGER,
     ttft_ms INTEGER,
     input_tokens INTEGER NOT NULL DEFAULT 0,
     output_tokens INTEGER NOT NULL DEFAULT 0,
     cache_read_tokens INTEGER NOT NULL DEFAULT 0,
     cache_write_tokens INTEGER NOT NULL DEFAULT 0,
     cost_usd REAL,
     error TEXT
   );
   CREATE INDEX requests_started_at ON requests (started_at);`,
  // 2: routing (profiles, rules, failover) and where a cost came from.
  `ALTER TABLE requests ADD COLUMN profile TEXT;
   ALTER TABLE requests ADD COLUMN rule TEXT;
   ALTER TABLE requests ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE requests ADD COLUMN cost_source TEXT;
   ALTER TABLE requests ADD COLUMN stop_reason TEXT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/** Applies the migrations this file has not seen; each one commits with its version number. */
export function migrate(db: DatabaseSync, upTo = SCHEMA_VERSION): void {
  for (let version = schemaVersion(db); version < upTo; version++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[version]);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
