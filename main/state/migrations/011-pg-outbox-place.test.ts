import { describe, expect, it } from 'vitest';
import { PgOutbox } from '../../sync/in-database/pg-outbox';
import { IN_DATABASE_SYNC_ROWS } from '../../testing/pg-outbox';
import { openUpgraded, workspaceAtVersion } from '../../testing/workspace-at-version';

// Migration 011: an outbox entry keeps where its key's row was in the snapshot table. Entries a run
// left before it (a killed run's, written at version 10) are kept, without a place, and written back by key.

describe('migration 011: the place of an outbox entry', () => {
  it("keeps a version 10 outbox's entries, without a place; new entries keep theirs", () => {
    const { dir, db: old } = workspaceAtVersion(10);
    old.exec(IN_DATABASE_SYNC_ROWS);
    old.exec(`INSERT INTO pg_snapshot_outbox (sync_id, pk, key, fp, row) VALUES (1, '1', '1', '5', '{"id":1}');`);
    old.close();

    const db = openUpgraded(dir);
    const outbox = new PgOutbox(db, 1);
    outbox.put({ key: '2', event: 'changed', row: '{"id":2}', pg: { key: '2', fp: '7', at: '(3,4)' } });
    expect(JSON.parse(outbox.nextBatch(10)!.upserts)).toEqual([
      { pk: '1', key: '1', fp: '5', row: '{"id":1}', at: null },
      { pk: '2', key: '2', fp: '7', row: '{"id":2}', at: '(3,4)' },
    ]);
  });
});
