import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordedSnapshotTable, snapshotTableFor } from '../../sync/in-database/snapshot-table';
import { openUpgraded, workspaceAtVersion } from '../../testing/workspace-at-version';

// Migration 010: a sync's in-database snapshot table is recorded by name. A sync from before keeps
// the table it had (named by the state file and its id), so an upgrade sends nothing again.

describe('migration 010: the in-database snapshot table by name', () => {
  it('a sync of an in-database model from version 9 keeps its table; a sync made after the migration gets a new one, made once', () => {
    const { dir, db: old } = workspaceAtVersion(9);
    old.exec(`INSERT INTO sources (name, kind, definition, updated_at) VALUES ('pg', 'postgres', '{}', 'x');
      INSERT INTO models (name, source, definition, updated_at) VALUES ('m', 'pg', '{"diff":"in-database"}', 'x'), ('local', 'pg', '{}', 'x');
      INSERT INTO destinations (name, kind, definition, updated_at) VALUES ('d', 'kafka', '{}', 'x');
      INSERT INTO syncs (name, model, destination, definition, updated_at) VALUES ('before', 'm', 'd', '{}', 'x'), ('local', 'local', 'd', '{}', 'x');`);
    old.close();

    const db = openUpgraded(dir);
    const before = (db.prepare("SELECT id FROM syncs WHERE name = 'before'").get() as { id: number }).id;
    // As named before: a hash of the state file's real path and the sync's id.
    const named = `snapshot_${crypto
      .createHash('sha256')
      .update(`${fs.realpathSync(db.name)}\n${before}`)
      .digest('hex')
      .slice(0, 24)}`;
    expect(recordedSnapshotTable(db, before)).toBe(named);
    expect(snapshotTableFor(db, before)).toBe(named);
    // A sync of a local-diff model has no table in a source: none is named until it has one.
    const local = (db.prepare("SELECT id FROM syncs WHERE name = 'local'").get() as { id: number }).id;
    expect(recordedSnapshotTable(db, local)).toBeNull();

    db.exec(`INSERT INTO syncs (name, model, destination, definition, updated_at) VALUES ('after', 'm', 'd', '{}', 'x')`);
    const after = (db.prepare("SELECT id FROM syncs WHERE name = 'after'").get() as { id: number }).id;
    expect(recordedSnapshotTable(db, after)).toBeNull();
    const table = snapshotTableFor(db, after);
    expect(table).toMatch(/^snapshot_[0-9a-f]{24}$/);
    expect(snapshotTableFor(db, after)).toBe(table);
  });
});
