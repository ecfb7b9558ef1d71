import type { Migration } from './migration';

export const m009PgSnapshotOutbox: Migration = {
  version: 9,
  name: 'pg snapshot outbox',
  up(db) {
    db.exec(`
      -- A PostgreSQL model diffed in its database (diff: in-database) keeps its snapshot there; a
      -- delivered record's key and fingerprint wait here, written with its ledger row, until
      -- main/sync/in-database moves them to PostgreSQL (a killed run's are moved by the next run).
      CREATE TABLE pg_snapshot_outbox (
        id      INTEGER PRIMARY KEY,
        sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        pk      TEXT NOT NULL,
        key     TEXT NOT NULL,
        fp      TEXT,
        row     TEXT
      ) STRICT;
      CREATE INDEX pg_snapshot_outbox_by_sync ON pg_snapshot_outbox (sync_id, id);
    `);
  },
};
