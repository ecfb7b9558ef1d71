import type { Migration } from './migration';

export const m010PgSnapshotTable: Migration = {
  version: 10,
  name: 'pg snapshot table',
  up(db) {
    db.exec(`
      -- The in-database diff's snapshot table in the source (main/sync/in-database): named when a run
      -- first needs it and forgotten when the sync starts over (reset, another model or destination),
      -- so a new sync that gets a deleted one's id, or a reset one, never reads an old snapshot. Syncs
      -- of in-database models from before keep the table named by their id alone ('by-id').
      ALTER TABLE syncs ADD COLUMN pg_snapshot TEXT;
      UPDATE syncs SET pg_snapshot = 'by-id'
        WHERE model IN (SELECT name FROM models WHERE json_extract(definition, '$.diff') = 'in-database');
    `);
  },
};
