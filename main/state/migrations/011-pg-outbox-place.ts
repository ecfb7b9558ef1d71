import type { Migration } from './migration';

export const m011PgOutboxPlace: Migration = {
  version: 11,
  name: 'pg outbox place',
  up(db) {
    db.exec(`
      -- Where the delivered row's key had its row in the snapshot table when the run diffed (its ctid,
      -- as text): the write-back updates the row there, with its key checked, instead of looking the key
      -- up (main/sync/in-database/pg-snapshot-writes.ts). NULL: an added key, or an entry from before.
      ALTER TABLE pg_snapshot_outbox ADD COLUMN at TEXT;
    `);
  },
};
