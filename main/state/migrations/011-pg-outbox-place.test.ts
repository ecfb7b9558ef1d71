import { afterEach, describe, expect, it } from 'vitest';
import { PgOutbox } from '../../sync/in-database/pg-outbox';
import { IN_DATABASE_SYNC_ROWS } from '../../testing/pg-outbox';
import { tempWorkspace } from '../../testing/temp';
import { currentSchemaVersion, openDatabase } from '../database';
import { MIGRATIONS } from './index';

// Migration 011: an outbox entry keeps where its key's row was in the snapshot table. Entries a run
// left before it (a killed run's, written at version 10) are kept, without a place, and written back by key.

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

describe('migration 011: the place of an outbox entry', () => {
  it("keeps a version 10 outbox's entries, without a place; new entries keep theirs", () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const old = openDatabase(
      ws.dir,
      MIGRATIONS.filter((m) => m.version <= 10),
    );
    old.exec(IN_DATABASE_SYNC_ROWS);
    old.exec(`INSERT INTO pg_snapshot_outbox (sync_id, pk, key, fp, row) VALUES (1, '1', '1', '5', '{"id":1}');`);
    old.close();

    const db = openDatabase(ws.dir);
    cleanups.push(() => db.close());
    expect(currentSchemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const outbox = new PgOutbox(db, 1);
    outbox.put({ key: '2', event: 'changed', row: '{"id":2}', pg: { key: '2', fp: '7', at: '(3,4)' } });
    expect(JSON.parse(outbox.nextBatch(10)!.upserts)).toEqual([
      { pk: '1', key: '1', fp: '5', row: '{"id":1}', at: null },
      { pk: '2', key: '2', fp: '7', row: '{"id":2}', at: '(3,4)' },
    ]);
  });
});
