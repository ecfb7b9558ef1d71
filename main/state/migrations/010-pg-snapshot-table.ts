import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Migration } from './migration';

export const m010PgSnapshotTable: Migration = {
  version: 10,
  name: 'pg snapshot table',
  up(db) {
    db.exec(`
      -- The in-database diff's snapshot table in the source (main/sync/in-database/snapshot-table.ts):
      -- named when a run first needs it and forgotten when the sync starts over (reset, another model
      -- or destination), so a new sync that gets a deleted one's id, or a reset one, never reads an old
      -- snapshot. A forgotten table waits in pg_snapshot_stale (a JSON array) for the next in-database
      -- run to drop it.
      ALTER TABLE syncs ADD COLUMN pg_snapshot TEXT;
      ALTER TABLE syncs ADD COLUMN pg_snapshot_stale TEXT;
    `);
    // Syncs of in-database models from before keep their table, named as it was then: a hash of the
    // state file's real path and the sync's id.
    let where = db.name;
    try {
      where = fs.realpathSync(db.name);
    } catch {
      // an in-memory or not-yet-written file: its name as given
    }
    const set = db.prepare('UPDATE syncs SET pg_snapshot = ? WHERE id = ?');
    const syncs = db
      .prepare(`SELECT id FROM syncs WHERE model IN (SELECT name FROM models WHERE json_extract(definition, '$.diff') = 'in-database')`)
      .all() as { id: number }[];
    for (const { id } of syncs) set.run(`snapshot_${crypto.createHash('sha256').update(`${where}\n${id}`).digest('hex').slice(0, 24)}`, id);
  },
};
