import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../shared/config/sync';
import { SqliteReader } from '../sources/sqlite-reader';
import { DATABASE_FILE, openDatabase } from '../state/database';
import { tempWorkspace } from '../testing/temp';
import { Differ } from './differ';

// A re-run of a SQLite model compares each row with its snapshot row while staging it (a row as
// delivered is staged as its key alone). Whatever the model query's shape, its work list must be the
// one the JavaScript path gives (every row staged, compared after): the same events, rows, previous
// rows, row numbers in the model's order, counts and refused rows.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

type Files = { model: string; state: string };

function files(sql: string): Files {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const model = path.join(ws.dir, 'model.sqlite');
  const db = new BetterSqlite3(model);
  db.exec(sql);
  db.close();
  openDatabase(ws.dir).close();
  return { model, state: path.join(ws.dir, DATABASE_FILE) };
}

function exec(file: string, sql: string): void {
  const db = new BetterSqlite3(file);
  db.pragma('foreign_keys = OFF'); // snapshot rows of syncs this test does not define
  db.exec(sql);
  db.close();
}

const ALL = new Set<SyncEvent>(['added', 'changed', 'removed']);

/** One diff of sync `syncId`, staged inside SQLite (`js`: through JavaScript), nothing recorded. */
async function diff(f: Files, query: string, primaryKey: string[], options: { js?: boolean; syncId?: number } = {}) {
  const reader = new SqliteReader(f.model, query);
  const differ = new Differ(f.state, options.syncId ?? 1);
  try {
    const read = options.js
      ? (await differ.stage(reader, primaryKey, () => undefined)).read
      : (await differ.stageSqlite(f.model, query, await reader.columns(), primaryKey, () => undefined)).read;
    const counts = differ.classify(ALL, false, read);
    const items = differ.page(0, 100_000).map(({ key, event, row, previous, rowNumber }) => ({ key, event, row, previous, rowNumber }));
    return { counts, items, rejects: differ.listedRejects() };
  } finally {
    await reader.close();
    differ.dispose();
  }
}

type Diff = Awaited<ReturnType<typeof diff>>;

/** The snapshot after every item of `d` was acknowledged, as the ledger writes it. */
function deliver(f: Files, d: Diff, syncId = 1): void {
  const db = new BetterSqlite3(f.state);
  db.pragma('foreign_keys = OFF');
  const upsert = db.prepare(
    "INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, ?, ?, 'then') ON CONFLICT (sync_id, key) DO UPDATE SET row = excluded.row",
  );
  const remove = db.prepare('DELETE FROM snapshot WHERE sync_id = ? AND key = ?');
  for (const w of d.items) {
    if (w.event === 'removed') remove.run(syncId, w.key);
    else upsert.run(syncId, w.key, w.row);
  }
  db.close();
}

/** The diff staged inside SQLite, checked against the JavaScript path's. */
async function bothPaths(f: Files, query: string, primaryKey: string[]): Promise<Diff> {
  const inSqlite = await diff(f, query, primaryKey);
  expect(inSqlite).toEqual(await diff(f, query, primaryKey, { js: true }));
  return inSqlite;
}

const TABLES = `CREATE TABLE t (id INTEGER, v TEXT, w INTEGER); CREATE TABLE u (id INTEGER, x TEXT);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
  INSERT INTO t SELECT i, char(64 + (i * 7) % 13), (i * 5) % 4 FROM n;
  INSERT INTO u SELECT id, lower(v) FROM t;`;
// Changed (3, 6, 9, 12 and the u rows of 1, 5, 9), removed (4), added (13, 14) and a key twice (7).
const CHANGES = `UPDATE t SET v = v || '!' WHERE id % 3 = 0; DELETE FROM t WHERE id = 4;
  INSERT INTO t VALUES (13, 'Z', 1), (14, 'A', 0), (7, 'again', 3); UPDATE u SET x = upper(x) WHERE id % 4 = 1;`;

describe('a re-run staged inside SQLite against the snapshot', () => {
  it.each([
    'SELECT id, v, w FROM t ORDER BY v DESC, id',
    'SELECT id, v, w FROM t ORDER BY w, id DESC LIMIT 7 OFFSET 2',
    'SELECT DISTINCT id, v, w FROM t ORDER BY w DESC, id',
    'SELECT id, max(v) AS v, count(*) AS w FROM t GROUP BY id ORDER BY count(*) DESC, id DESC',
    'SELECT id, v, row_number() OVER (ORDER BY v DESC, id) AS w FROM t ORDER BY w DESC',
    'WITH x AS (SELECT id, v, w FROM t WHERE id > 2 ORDER BY v) SELECT * FROM x ORDER BY w, id',
    'SELECT id, v, w FROM t WHERE id <= 5 UNION SELECT id + 100, v, w FROM t ORDER BY 2 DESC, 1',
    'SELECT id, v, w FROM t WHERE id <= 5 UNION ALL SELECT id + 100, v, w FROM t ORDER BY 3, 1 DESC',
    'SELECT t.id, u.x AS v, t.w FROM t JOIN u ON u.id = t.id ORDER BY u.x DESC, t.id',
    'SELECT t.id, u.x AS v, t.w FROM t LEFT JOIN u ON u.id = t.id ORDER BY t.w DESC, t.id',
    'SELECT id, v, w FROM (SELECT * FROM t ORDER BY w DESC, id) LIMIT 9',
    'SELECT id, v, (SELECT count(*) FROM u WHERE u.id <= t.id) AS w FROM t ORDER BY w DESC, id',
  ])('gives the work list of the JavaScript path in the model order: %s', async (query) => {
    const f = files(TABLES);
    deliver(f, await bothPaths(f, query, ['id']));
    exec(f.model, CHANGES);
    const rerun = await bothPaths(f, query, ['id']);
    expect(rerun.items.length).toBeGreaterThan(0);
    deliver(f, rerun);
    const third = await bothPaths(f, query, ['id']);
    expect(third.items).toEqual([]);
    expect(third.counts.unchanged).toBe(third.counts.read - third.counts.rejectedRows);
  });

  it('refuses a key on two rows, one as delivered and one changed, in the model order, and keeps its snapshot row', async () => {
    const f = files(`CREATE TABLE t (a INT, b INT, v TEXT); INSERT INTO t VALUES (1, 1, 'x'), (1, 2, 'y'), (2, 1, 'z'), (3, 1, 'w');`);
    const query = 'SELECT a, b, v FROM t ORDER BY v DESC';
    deliver(f, await diff(f, query, ['a', 'b']));
    // Rows by v descending: z, y, x2, x, w, w, n, m.
    exec(f.model, `INSERT INTO t VALUES (1, 1, 'x2'), (NULL, 1, 'n'), (2, NULL, 'm'), (3, 1, 'w');`);
    const rerun = await bothPaths(f, query, ['a', 'b']);
    expect(rerun.items).toEqual([]);
    expect(rerun.counts).toMatchObject({ read: 8, added: 0, changed: 0, removed: 0, unchanged: 2, rejectedRows: 6 });
    expect(rerun.rejects.map((r) => [r.reason, r.key, r.rowNumber])).toEqual([
      ['null-key', null, 7],
      ['null-key', null, 8],
      ['duplicate-key', '[1,1]', 3],
      ['duplicate-key', '[3,1]', 5],
    ]);
    // The copy as delivered goes: the other is a change from the row the snapshot kept.
    exec(f.model, `DELETE FROM t WHERE v = 'x'; DELETE FROM t WHERE v IN ('n', 'm') OR rowid = (SELECT max(rowid) FROM t WHERE v = 'w');`);
    const fixed = await bothPaths(f, query, ['a', 'b']);
    expect(fixed.items).toEqual([{ key: '[1,1]', event: 'changed', row: '{"a":1,"b":1,"v":"x2"}', previous: '{"a":1,"b":1,"v":"x"}', rowNumber: 3 }]);
    expect(fixed.counts).toMatchObject({ unchanged: 3, rejectedRows: 0 });
  });

  it('finds a change of type alone (1, 1.0, "1"), of a blob, or past 2^53, and a key removed as another is added', async () => {
    const f = files(`CREATE TABLE t (id, v); INSERT INTO t VALUES (1, 1), (2, 1), (3, 1.0), (4, X'00'), (5, 9007199254740993), (6, 'same'), (7, X'00');`);
    const query = 'SELECT id, v FROM t';
    deliver(f, await diff(f, query, ['id']));
    exec(
      f.model,
      `UPDATE t SET v = 1.0 WHERE id = 1; UPDATE t SET v = '1' WHERE id = 2; UPDATE t SET v = 1 WHERE id = 3; UPDATE t SET v = X'01' WHERE id = 4;
       UPDATE t SET v = 9007199254740992 WHERE id = 5; DELETE FROM t WHERE id = 6; INSERT INTO t VALUES (8, 'same');`,
    );
    const rerun = await diff(f, query, ['id']);
    expect(rerun.items.map((w) => [w.event, w.key, w.previous, w.row, w.rowNumber])).toEqual([
      ['changed', '1', '{"id":1,"v":1}', '{"id":1,"v":1.0}', 1],
      ['changed', '2', '{"id":2,"v":1}', '{"id":2,"v":"1"}', 2],
      ['changed', '3', '{"id":3,"v":1.0}', '{"id":3,"v":1}', 3],
      ['changed', '4', '{"id":4,"v":"AA=="}', '{"id":4,"v":"AQ=="}', 4],
      ['changed', '5', '{"id":5,"v":"9007199254740993"}', '{"id":5,"v":"9007199254740992"}', 5],
      ['added', '8', null, '{"id":8,"v":"same"}', 7],
      ['removed', '6', '{"id":6,"v":"same"}', '{"id":6,"v":"same"}', null],
    ]);
    expect(rerun.counts).toMatchObject({ read: 7, added: 1, changed: 5, removed: 1, unchanged: 1 });
  });

  it('compares each row with its own sync’s snapshot, not another sync’s of the same model', async () => {
    const f = files(`CREATE TABLE t (id INT, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');`);
    const query = 'SELECT id, v FROM t';
    deliver(f, await diff(f, query, ['id'], { syncId: 2 }), 2);
    exec(f.model, `UPDATE t SET v = 'b2' WHERE id = 2`);
    deliver(f, await diff(f, query, ['id'], { syncId: 1 }), 1);
    // Sync 1 delivered row 2 as it is now; sync 2 has not.
    const two = await diff(f, query, ['id'], { syncId: 2 });
    expect(two.items.map((w) => [w.event, w.key, w.previous])).toEqual([['changed', '2', '{"id":2,"v":"b"}']]);
    expect(two.counts).toMatchObject({ changed: 1, unchanged: 1 });
    expect((await diff(f, query, ['id'], { syncId: 1 })).items).toEqual([]);
  });

  it.each([
    ['SELECT * FROM p', ['sluice_k']],
    ['SELECT sluice_r AS sluice_k, sluice_k AS sluice_r, key, row, seq, p FROM p ORDER BY sluice_r DESC', ['sluice_r']],
    ['SELECT key AS k2, row, seq, p, sluice_k AS key, c0 FROM p ORDER BY seq DESC', ['key', 'p']],
    ['SELECT p.p, p.key, p.sluice_k AS row, p.c0 FROM p AS p ORDER BY row DESC', ['row']],
    ['SELECT key, row, sync_id, delivered_at FROM snapshot ORDER BY row DESC', ['key']],
  ])('reads a model whose names are the differ’s own: %s', async (query, primaryKey) => {
    const f = files(`CREATE TABLE p (sluice_k, sluice_r, key, row, seq, p, c0, sync_id);
      INSERT INTO p VALUES (1, 11, 'k1', 'r1', 3, 'p1', 0, 1), (2, 12, 'k2', 'r2', 2, 'p2', 0, 1), (3, 13, 'k3', 'r3', 1, 'p3', 0, 1);
      CREATE TABLE snapshot (sync_id, key, row, delivered_at); INSERT INTO snapshot VALUES (1, '1', 'x', 't'), (1, '2', 'y', 't');`);
    deliver(f, await bothPaths(f, query, primaryKey));
    exec(f.model, `UPDATE p SET key = key || '!' WHERE sluice_k = 2; UPDATE snapshot SET delivered_at = 'later' WHERE key = '2'`);
    const rerun = await bothPaths(f, query, primaryKey);
    expect(rerun.items.map((w) => w.event)).toEqual(['changed']);
    expect(rerun.counts).toMatchObject({ changed: 1, unchanged: rerun.counts.read - 1 });
  });
});
