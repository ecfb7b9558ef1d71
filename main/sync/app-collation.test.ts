import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { putSandboxSync, sandboxReader } from '../testing/sandbox-sync';

// A SQLite file made by an app that registers collations of its own (Android's contacts and media
// databases declare text columns COLLATE LOCALIZED or UNICODE). Sluice's SQLite does not have them: it
// reads such columns, but any subquery over them, or a comparison or sort of them, is refused.

const closers = closeAfterEach();

/** people(id, name) with rows 1…3, both columns declared with collations only their app has. */
function appFile(dir: string): string {
  const file = path.join(dir, 'contacts2.db');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE people (id TEXT COLLATE NOCASE, name TEXT COLLATE RTRIM);
    INSERT INTO people VALUES ('1', 'Ada'), ('2', 'Grace'), ('3', 'Edsger');`);
  // The app's schema, as it wrote it (SQLite refuses to create a column of a collation it lacks).
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.exec("UPDATE sqlite_schema SET sql = replace(replace(sql, 'NOCASE', 'LOCALIZED'), 'RTRIM', 'UNICODE') WHERE name = 'people'");
  db.close();
  return file;
}

async function setup(query = 'SELECT id, name FROM people') {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = appFile(t.dir);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'phone', path: file });
  t.engine.catalog.putModel({ name: 'contacts', source: 'phone', query, primaryKey: ['id'] });
  putSandboxSync(t.engine, {
    model: 'contacts',
    stream: 'contacts',
    template: '{"event": {{ event | json }}, "id": {{ row.id | json }}, "name": {{ row.name | json }}}',
  });
  const read = sandboxReader(t.engine);
  return { engine: t.engine, file, read };
}

describe("a SQLite model whose columns are declared with an app's own collation", () => {
  it('previews, syncs every row, then only what changed, then nothing', async () => {
    const s = await setup();
    const preview = await callChannel(s.engine, 'previewModel', { model: 'contacts', limit: 10 });
    expect(preview.rows.map((r) => r.name)).toEqual(['Ada', 'Grace', 'Edsger']);
    // Before: "Reading the model failed: no such collation sequence: LOCALIZED", every run.
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 3, added: 3, acknowledged: 3 });
    expect(await s.read()).toEqual([
      '{"event":"added","id":"1","name":"Ada"}',
      '{"event":"added","id":"2","name":"Grace"}',
      '{"event":"added","id":"3","name":"Edsger"}',
    ]);
    const db = new BetterSqlite3(s.file);
    db.exec("UPDATE people SET name = 'Grace Hopper' WHERE rowid = 2; DELETE FROM people WHERE rowid = 3");
    db.close();
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, changed: 1, removed: 1, unchanged: 1, acknowledged: 2 });
    expect(await s.read()).toEqual(['{"event":"changed","id":"2","name":"Grace Hopper"}', '{"event":"removed","id":"3","name":"Edsger"}']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ read: 2, unchanged: 2, acknowledged: 0 });
  });

  it('a query that sorts by such a column says which collation and how to write the sort', async () => {
    const s = await setup('SELECT id, name FROM people\nORDER BY name');
    const err = await callChannel(s.engine, 'previewModel', { model: 'contacts', limit: 10 }).then(
      () => expect.fail('the preview sorted by a collation SQLite does not have'),
      (e: unknown) => e as SluiceError,
    );
    expect(err.message).toContain(
      `SQL error: the query compares or sorts a column declared with the collation UNICODE, which belongs to the app that made ${s.file} and which Sluice does not have. Write COLLATE NOCASE or COLLATE BINARY after that column where the query compares or sorts it (ORDER BY name COLLATE NOCASE). (no such collation sequence: UNICODE)`,
    );
    const run = await s.engine.runSync('out');
    expect(run.status).toBe('failed');
    expect(run.error).toContain('the collation UNICODE');
  });
});
