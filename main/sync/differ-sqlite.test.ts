import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { SqliteReader } from '../sources/sqlite-reader';
import { DATABASE_FILE, openDatabase } from '../state/database';
import { tempWorkspace } from '../testing/temp';
import { Differ } from './differ';

// A SQLite model staged inside SQLite (Differ.stageSqlite) must give each row the JSON the JavaScript
// path (SqliteReader + jsonSafeRow, Differ.stage) gives, whatever the model's column and table names.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A model file made by `sql`, and a state file (the workspace's database) beside it. */
function files(sql: string): { model: string; state: string } {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const model = path.join(ws.dir, 'model.sqlite');
  const db = new BetterSqlite3(model);
  db.exec(sql);
  db.close();
  openDatabase(ws.dir).close();
  return { model, state: path.join(ws.dir, DATABASE_FILE) };
}

type Staged = { key: string; row: string }[];

/** The work list of a first run, keys and row JSON in order. */
function workList(differ: Differ, read: number): Staged {
  differ.classify(new Set(['added', 'changed', 'removed']), false, read);
  return differ.page(0, 1000).map((w) => ({ key: w.key, row: w.row }));
}

/** Stages `query` as a run does (validated by SqliteReader, then inside SQLite). */
async function stagedInSqlite(f: { model: string; state: string }, query: string, primaryKey: string[]): Promise<Staged> {
  const reader = new SqliteReader(f.model, query);
  const columns = await reader.columns();
  await reader.close();
  const differ = new Differ(f.state, 1);
  try {
    return workList(differ, (await differ.stageSqlite(f.model, query, columns, primaryKey, () => undefined)).read);
  } finally {
    differ.dispose();
  }
}

/** Stages `query` through JavaScript (the path of every other source). */
async function stagedInJs(f: { model: string; state: string }, query: string, primaryKey: string[]): Promise<Staged> {
  const reader = new SqliteReader(f.model, query);
  const differ = new Differ(f.state, 1);
  try {
    return workList(differ, (await differ.stage(reader, primaryKey, () => undefined)).read);
  } finally {
    await reader.close();
    differ.dispose();
  }
}

async function bothPaths(sql: string, query: string, primaryKey: string[]): Promise<Staged> {
  const f = files(sql);
  const inSqlite = await stagedInSqlite(f, query, primaryKey);
  expect(inSqlite).toEqual(await stagedInJs(f, query, primaryKey));
  return inSqlite;
}

describe('SQLite model staged inside SQLite', () => {
  it("gives a first run's items their event, no previous row and their row's number in the model", async () => {
    // (a first run reads only key and row per item: the rest is the same for each and is filled in)
    const f = files(`CREATE TABLE t (id INTEGER, v TEXT);
      INSERT INTO t VALUES (1, 'a'), (2, 'b'), (NULL, 'c'), (2, 'd'), (3, 'e'), (4, 'f');`);
    const query = 'SELECT id, v FROM t ORDER BY rowid';
    const reader = new SqliteReader(f.model, query);
    const columns = await reader.columns();
    await reader.close();
    const differ = new Differ(f.state, 1);
    try {
      const read = (await differ.stageSqlite(f.model, query, columns, ['id'], () => undefined)).read;
      expect(differ.classify(new Set(['added', 'changed', 'removed']), false, read).toSend).toBe(3);
      const items = [...differ.page(0, 2), ...differ.page(5, 2), ...differ.page(6, 2)];
      expect(items.map(({ key, event, previous, rowNumber, row }) => ({ key, event, previous, rowNumber, row }))).toEqual([
        { key: '1', event: 'added', previous: null, rowNumber: 1, row: '{"id":1,"v":"a"}' },
        { key: '3', event: 'added', previous: null, rowNumber: 5, row: '{"id":3,"v":"e"}' },
        { key: '4', event: 'added', previous: null, rowNumber: 6, row: '{"id":4,"v":"f"}' },
      ]);
      expect(items.map((w) => w.seq)).toEqual([1, 5, 6]);
    } finally {
      differ.dispose();
    }
  });

  it('sends the value of each column when names differ only in case', async () => {
    const staged = await bothPaths(
      `CREATE TABLE t ("my id" INT, "Name" TEXT, "ünï" TEXT); INSERT INTO t VALUES (1, 'A', 'u1'), (2, 'B', 'u2');`,
      'SELECT "my id" AS id, Name AS v, "ünï" AS V FROM t',
      ['id'],
    );
    expect(staged).toEqual([
      { key: '1', row: '{"id":1,"v":"A","V":"u1"}' },
      { key: '2', row: '{"id":2,"v":"B","V":"u2"}' },
    ]);
  });

  it("sends a column named __proto__ by both paths (read row by row, it was lost: taken for the row object's prototype)", async () => {
    const staged = await bothPaths(`CREATE TABLE t (id INT, p TEXT); INSERT INTO t VALUES (1, 'x');`, 'SELECT id, p AS __proto__, p AS constructor FROM t', [
      'id',
    ]);
    expect(staged).toEqual([{ key: '1', row: '{"id":1,"__proto__":"x","constructor":"x"}' }]);
  });

  it('keys rows by the primary-key column of that exact name', async () => {
    const single = await bothPaths(`CREATE TABLE k (a INT, b TEXT); INSERT INTO k VALUES (1, 'x'), (1, 'y');`, 'SELECT a AS ID, b AS id FROM k', ['id']);
    expect(single).toEqual([
      { key: 'x', row: '{"ID":1,"id":"x"}' },
      { key: 'y', row: '{"ID":1,"id":"y"}' },
    ]);
    const composite = await bothPaths(
      `CREATE TABLE k (a INT, b TEXT, c INT); INSERT INTO k VALUES (1, 'x', 7), (1, 'y', 7);`,
      'SELECT a AS ID, b AS id, c FROM k',
      ['id', 'c'],
    );
    expect(composite.map((s) => s.key)).toEqual(['["x",7]', '["y",7]']);
  });

  it('gives a name used twice the value the JavaScript path gives (the last), where the name first appears', async () => {
    const staged = await bothPaths(
      `CREATE TABLE t (a INT, b TEXT, c TEXT); INSERT INTO t VALUES (1, 'first', 'c1');`,
      'SELECT a AS id, b AS v, c AS w, upper(b) AS v FROM t',
      ['id'],
    );
    expect(staged).toEqual([{ key: '1', row: '{"id":1,"v":"FIRST","w":"c1"}' }]);
  });

  it('stages a model of 700 columns as the JavaScript path does (json_object takes at most so many arguments)', async () => {
    const columns = Array.from({ length: 700 }, (_, i) => `c${i}`);
    const staged = await bothPaths(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, ${columns.map((c) => `${c} TEXT`).join(', ')});
       INSERT INTO t VALUES (1, ${columns.map((_, i) => (i % 3 === 0 ? 'NULL' : i % 3 === 1 ? `'v${i}}'` : String(i))).join(', ')});`,
      'SELECT * FROM t',
      ['id'],
    );
    // Before: "Reading the model failed: too many arguments on function json_object", every run.
    expect(Object.keys(JSON.parse(staged[0]!.row) as object)).toHaveLength(701);
  });

  it('stages a REAL infinity as "Infinity" or "-Infinity", in the row and in its key (json_object wrote 9.0e+999, a key "Inf")', async () => {
    const sql = `CREATE TABLE t (id REAL, r REAL, n NUMERIC, s TEXT); INSERT INTO t VALUES (9e999, -9e999, 9e999, 'Infinity'), (-9e999, 0.5, 7, 'x');`;
    expect(await bothPaths(sql, 'SELECT id, r, n, s FROM t ORDER BY rowid', ['id'])).toEqual([
      { key: 'Infinity', row: '{"id":"Infinity","r":"-Infinity","n":"Infinity","s":"Infinity"}' },
      { key: '-Infinity', row: '{"id":"-Infinity","r":0.5,"n":7,"s":"x"}' },
    ]);
    expect((await bothPaths(sql, 'SELECT id, r, s FROM t ORDER BY rowid', ['r', 's'])).map((s) => s.key)).toEqual(['["-Infinity","Infinity"]', '[0.5,"x"]']);
  });

  it('keys a row by a REAL as the JavaScript path does (1.0 as 1, 1e17 as 100000000000000000), alone or in a composite key', async () => {
    // The key is the Kinesis partition key, `{{ key }}` and what the routing preview shows (read through
    // JavaScript): SQLite's own text of a REAL (1.0, 1.0e+17, 0.33333333333333332) put records elsewhere.
    const f = files(
      `CREATE TABLE t (id REAL, s TEXT); INSERT INTO t VALUES (1.0, 'a'), (1e17, 'b'), (1.0 / 3, 'c'), (-0.0, 'd'), (1e21, 'e'), (5e-324, 'f'), (9e999, 'g'), (2.5, 'h');`,
    );
    const keys = async (query: string, primaryKey: string[]) => {
      const inSqlite = (await stagedInSqlite(f, query, primaryKey)).map((s) => s.key);
      expect(inSqlite, query).toEqual((await stagedInJs(f, query, primaryKey)).map((s) => s.key));
      return inSqlite;
    };
    expect(await keys('SELECT id, s FROM t ORDER BY rowid', ['id'])).toEqual([
      '1',
      '100000000000000000',
      '0.3333333333333333',
      '0',
      '1e+21',
      '5e-324',
      'Infinity',
      '2.5',
    ]);
    expect(await keys('SELECT id, s FROM t ORDER BY rowid', ['s', 'id'])).toEqual([
      '["a",1]',
      '["b",100000000000000000]',
      '["c",0.3333333333333333]',
      '["d",0]',
      '["e",1e+21]',
      '["f",5e-324]',
      '["g","Infinity"]',
      '["h",2.5]',
    ]);
  });

  it('stages every kind of value as the JavaScript path does, whatever the column’s affinity', async () => {
    // One column of each affinity holding each value, and a compound column (m) whose first term is text.
    const values = [
      '0',
      '9007199254740991',
      '-9007199254740991',
      '9007199254740992',
      '-9007199254740992',
      '100000000000000000',
      '9223372036854775807',
      '-9223372036854775808',
      '1.5',
      '-0.0',
      '1e300',
      '9e999',
      '-9e999',
      "''",
      "'5'",
      "'9007199254740993'",
      "'x'",
      "X''",
      "X'00ff'",
      'NULL',
    ];
    const rows = values.map((v, i) => `(${i + 1}, ${v}, ${v}, ${v}, ${v}, ${v}, ${v})`).join(', ');
    const f = files(`CREATE TABLE t (id INTEGER, i INTEGER, r REAL, s TEXT, b BLOB, n NUMERIC, u); INSERT INTO t VALUES ${rows};`);
    const query = 'SELECT id, i, r, s, b, n, u, s AS m FROM t WHERE id = 1 UNION ALL SELECT id, i, r, s, b, n, u, u FROM t WHERE id > 1 ORDER BY 1';
    const inSqlite = await stagedInSqlite(f, query, ['id']);
    // (a REAL's text differs, 1.0e+17 against 100000000000000000, as it always has: the same number)
    const parsed = (staged: Staged) => staged.map((s) => ({ key: s.key, row: JSON.parse(s.row) as unknown }));
    expect(parsed(inSqlite)).toEqual(parsed(await stagedInJs(f, query, ['id'])));
    const row = (n: number) => JSON.parse(inSqlite[n - 1]!.row) as Record<string, unknown>;
    expect(row(6)).toMatchObject({ i: '100000000000000000', n: '100000000000000000', u: '100000000000000000', m: '100000000000000000' });
    expect(row(8)).toMatchObject({ i: '-9223372036854775808', m: '-9223372036854775808' });
    expect(row(2)).toMatchObject({ i: 9007199254740991, m: 9007199254740991 });
    expect(row(13)).toMatchObject({ r: '-Infinity', m: '-Infinity' });
    expect(row(15)).toMatchObject({ i: 5, s: '5', b: '5', m: '5' });
    expect(row(19)).toMatchObject({ i: 'AP8=', b: 'AP8=', m: 'AP8=' });
    expect(row(18)).toMatchObject({ b: '', m: '' });
    expect(row(20)).toMatchObject({ i: null, m: null });
  });

  it('stages a query that starts with WITH, or reads a table named q', async () => {
    const sql = `CREATE TABLE q (id INT, v TEXT); INSERT INTO q VALUES (1, 'a'), (2, 'b');`;
    expect(await bothPaths(sql, 'WITH x AS (SELECT id, v FROM q WHERE id > 1) SELECT id, v FROM x;', ['id'])).toEqual([{ key: '2', row: '{"id":2,"v":"b"}' }]);
    expect(await bothPaths(sql, 'SELECT q.id, q.v FROM q AS q ORDER BY id DESC -- newest first', ['id'])).toEqual([
      { key: '2', row: '{"id":2,"v":"b"}' },
      { key: '1', row: '{"id":1,"v":"a"}' },
    ]);
  });

  it.each(['stage', 'work', 'dups'])('reads a user table named %s', async (table) => {
    const staged = await bothPaths(
      `CREATE TABLE "${table}" (id INT, name TEXT); INSERT INTO "${table}" VALUES (1, 'one'), (2, 'two'), (2, 'again');`,
      `SELECT id, name FROM "${table}"`,
      ['id'],
    );
    expect(staged).toEqual([{ key: '1', row: '{"id":1,"name":"one"}' }]);
  });

  it('says which file is locked, or is no longer a database, when that happens after the query was checked', async () => {
    const f = files(`CREATE TABLE t (id INT, v TEXT); INSERT INTO t VALUES (1, 'a');`);
    const reader = new SqliteReader(f.model, 'SELECT id, v FROM t');
    const columns = await reader.columns();
    await reader.close();
    const stage = async () => {
      const differ = new Differ(f.state, 1);
      try {
        await differ.stageSqlite(f.model, 'SELECT id, v FROM t', columns, ['id'], () => undefined);
        return expect.fail('staged a model it could not read');
      } catch (err) {
        return err as SluiceError;
      } finally {
        differ.dispose();
      }
    };
    // Another program's write holds the file (a rollback journal's exclusive lock) past the busy timeout.
    const writer = new BetterSqlite3(f.model);
    writer.exec("BEGIN EXCLUSIVE; UPDATE t SET v = 'b'");
    try {
      const locked = await stage();
      // Before: "Reading the model failed: database is locked", no file named.
      expect(locked.message).toContain(`The SQLite file ${f.model} is locked by another process that is writing to it`);
      expect(locked.code).toBe('conflict');
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    fs.writeFileSync(f.model, 'id,v\n1,a\n'.repeat(400));
    expect((await stage()).message).toContain(`${f.model} is damaged or is not a SQLite database`);
  }, 20_000);

  it('refuses a table written as main.<table> with a message that says to drop main.', async () => {
    const f = files(`CREATE TABLE t (id INT, v TEXT); INSERT INTO t VALUES (1, 'a');`);
    for (const query of ['SELECT * FROM main.t', 'SELECT main.t.id, v FROM t', 'SELECT id, v FROM "main"."t"']) {
      const error = await stagedInSqlite(f, query, ['id']).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error, query).toBeInstanceOf(SluiceError);
      expect((error as Error).message, query).toMatch(/main\.t/);
      expect((error as Error).message, query).toMatch(/without "main\."/);
    }
  });
});
