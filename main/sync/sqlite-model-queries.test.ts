import { execFileSync } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { putSandboxSync } from '../testing/sandbox-sync';

// SQLite model queries as users write them, run by a sync to the sandbox: what the preview reads, a run
// sends, and a run with nothing changed sends nothing.

const closers = closeAfterEach();

async function setup(query: string, primaryKey: string[], extra = '') {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'shop.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'pen'), (2, 'ink'); ${extra}`);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'shop', path: file });
  t.engine.catalog.putModel({ name: 'items', source: 'shop', query, primaryKey });
  putSandboxSync(t.engine, { model: 'items', stream: 'items', template: '{"event": {{ event | json }}, "row": {{ row | json }}}' });
  const read = async () => {
    const { records } = await callChannel(t.engine, 'inspectRead', { destination: 'sandbox', from: { at: 'earliest' }, limit: 100 });
    return records.map((r) => (r.kind === 'kinesis' ? r.data.text! : ''));
  };
  return { engine: t.engine, file, read };
}

describe('a SQLite model query', () => {
  it.each([
    ['a PRAGMA', 'PRAGMA table_info(items)', ['cid'], ['{"event":"added","row":{"cid":0,"name":"id","type":"INTEGER","notnull":0,"dflt_value":null,"pk":1}}']],
    ['one ending in an unclosed comment', 'SELECT id, name FROM items; /* the shop’s items', ['id'], ['{"event":"added","row":{"id":1,"name":"pen"}}']],
  ])('that SQLite cannot read as a subquery (%s) syncs as its preview reads it, then sends nothing more', async (_, query, primaryKey, first) => {
    const s = await setup(query, primaryKey);
    expect((await callChannel(s.engine, 'previewModel', { model: 'items', limit: 10 })).rows).toHaveLength(2);
    // Before: "Reading the model failed: near "PRAGMA": syntax error" / "incomplete input", every run.
    const run = await s.engine.runSync('out');
    expect(run.error).toBeNull();
    expect(run.counts).toMatchObject({ read: 2, added: 2, acknowledged: 2 });
    expect((await s.read())[0]).toBe(first[0]);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
  });

  it("over the file's own schema (sqlite_schema, dbstat) syncs the file's tables, not Sluice's", async () => {
    const s = await setup("SELECT m.name AS tbl, p.name AS col FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2", [
      'tbl',
      'col',
    ]);
    // Before: the rows of the differ's own scratch tables (sluice_stage, sluice_work…) were sent.
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, added: 2, acknowledged: 2 });
    expect(await s.read()).toEqual(['{"event":"added","row":{"tbl":"items","col":"id"}}', '{"event":"added","row":{"tbl":"items","col":"name"}}']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
  });

  it('in a file with a view that names main.<table> syncs', async () => {
    // SQLite refuses such a view's schema in a file attached to another connection, as the run reads it.
    const s = await setup('SELECT id, name FROM items', ['id'], 'CREATE VIEW cheap AS SELECT id FROM main.items;');
    const run = await s.engine.runSync('out');
    // Before: "Reading the model failed: malformed database schema (cheap) - view cheap cannot reference objects in database main".
    expect(run.error).toBeNull();
    expect(run.counts).toMatchObject({ read: 2, added: 2, acknowledged: 2 });
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
  });

  it('with text that is not valid UTF-8 (Latin-1 bytes an old app stored) sends it once, then nothing', async () => {
    const s = await setup(
      'SELECT id, name FROM notes',
      ['id'],
      "CREATE TABLE notes (id TEXT, name TEXT); INSERT INTO notes VALUES ('1', CAST(X'636166E9' AS TEXT)), (CAST(X'E9' AS TEXT), 'key');",
    );
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, added: 2, acknowledged: 2 });
    expect(await s.read()).toEqual(['{"event":"added","row":{"id":"1","name":"caf\uFFFD"}}', '{"event":"added","row":{"id":"\uFFFD","name":"key"}}']);
    // Before: the row and the key, staged as SQLite's bytes, never matched what was delivered: sent again every run.
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
    const db = new BetterSqlite3(s.file);
    db.exec("UPDATE notes SET name = CAST(X'6E6FEF' AS TEXT) WHERE id = '1'");
    db.close();
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, changed: 1, unchanged: 1, acknowledged: 1 });
    expect((await s.read()).slice(2)).toEqual(['{"event":"changed","row":{"id":"1","name":"no\uFFFD"}}']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
  });

  it('with two keys that are not UTF-8 and read as one text: the first run refuses both as one key, as later runs would, and sends neither', async () => {
    const s = await setup(
      'SELECT id, name FROM notes',
      ['id'],
      "CREATE TABLE notes (id TEXT, name TEXT); INSERT INTO notes VALUES ('1', 'ok'), (CAST(X'E9' AS TEXT), 'first'), (CAST(X'FF' AS TEXT), 'second');",
    );
    const run = await s.engine.runSync('out');
    // Before: both sent on a first run, as two records of the one key "\uFFFD" (SQLite told the bytes apart).
    expect(run.counts).toMatchObject({ read: 3, added: 1, acknowledged: 1 });
    expect(await s.read()).toEqual(['{"event":"added","row":{"id":"1","name":"ok"}}']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ acknowledged: 0 });
  });

  it('in a file a program left mid-write (its journal still there) says so and how to finish it, then syncs once it is', async () => {
    const s = await setup('SELECT id, name FROM items', ['id']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 2, acknowledged: 2 });
    // A program killed while it wrote: its rollback journal stays "hot" beside the file.
    const killed = `const db = new (require('better-sqlite3'))(${JSON.stringify(s.file)}); db.pragma('cache_size = 1');
      db.exec("BEGIN; INSERT INTO items (name) SELECT hex(randomblob(500)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i FROM n); UPDATE items SET name = 'half'");
      process.exit(1);`;
    expect(() => execFileSync(process.execPath, ['-e', killed], { stdio: 'ignore' })).toThrow();
    const run = await s.engine.runSync('out');
    expect(run.status).toBe('failed');
    // Before: "SQL error: attempt to write a readonly database", every run.
    expect(run.error).toContain(`${s.file} holds a write a program left unfinished (it stopped while writing; ${s.file}-journal is still there)`);
    // Opened once by a program that may write to it (as the advice says), the unfinished write is rolled back.
    const fixer = new BetterSqlite3(s.file);
    expect(fixer.pragma('quick_check', { simple: true })).toBe('ok');
    fixer.close();
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
    expect(await s.read()).toHaveLength(2);
  });

  it('with a parameter (?, :name) says Sluice has no value for it, in the preview and in a run', async () => {
    for (const query of ['SELECT id, name FROM items WHERE id > ?', 'SELECT id, name FROM items WHERE id > :since']) {
      const s = await setup(query, ['id']);
      const err = await callChannel(s.engine, 'previewModel', { model: 'items', limit: 10 }).then(
        () => expect.fail('the preview read a query with a parameter'),
        (e: unknown) => e as SluiceError,
      );
      // Before: "Too few parameter values were provided" / "Missing named parameters".
      expect(err.message, query).toMatch(
        /The model query has a parameter \(\?, :name, @name or \$name\), which Sluice has no value for: write the value into the query/,
      );
      const run = await s.engine.runSync('out');
      expect(run.status).toBe('failed');
      expect(run.error, query).toContain('The model query has a parameter');
      expect(await s.read()).toEqual([]);
    }
  });
});
