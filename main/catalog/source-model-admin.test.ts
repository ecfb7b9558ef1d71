import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { describeError } from '../../shared/ipc/errors';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';

// The Sources and Models pages' engine channels, through the real dispatcher, with real files and a
// real PostgreSQL server.

let t: Awaited<ReturnType<typeof openTestEngine>>;
let pgPeer: PostgresPeer;
let files: string;
const events: string[] = [];

beforeAll(async () => {
  [t, pgPeer] = await Promise.all([openTestEngine(), startPostgres()]);
  t.engine.onEvent((event) => events.push(event));
  files = path.join(t.dir, 'files');
  fs.mkdirSync(files);
  fs.writeFileSync(path.join(files, 'people.csv'), 'id;name;city\n17;Ada;Zürich\n17;Bob;Bern\n;Cy;Basel\n4;Di;Genf\n');
  fs.writeFileSync(path.join(files, 'events.ndjson'), '{"id": 1, "kind": "signup"}\n{"id": 2, "kind": "login"}\n');
  fs.writeFileSync(path.join(files, 'not-a-db.sqlite'), 'hello, I am text and not a database at all; '.repeat(200));
  createPeopleDb(files, 3).db.close();
  await pgPeer.query('CREATE DATABASE crm');
  await pgPeer.query('CREATE TABLE customers (id bigint PRIMARY KEY, email text)');
  await pgPeer.query("INSERT INTO customers VALUES (1, 'ada@example.com'), (2, 'bob@example.com')");
  await t.engine.secrets.save('pg-password', pgPeer.password);
  await t.engine.secrets.save('pg-wrong', 'not-the-password');
}, 120_000);
afterAll(async () => {
  await t?.engine.secrets.delete('pg-password').catch(() => undefined);
  await t?.engine.secrets.delete('pg-wrong').catch(() => undefined);
  await Promise.all([pgPeer?.stop(), t?.close()]);
});

const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);
const csv = () => ({ kind: 'csv' as const, name: 'people-file', path: path.join(files, 'people.csv'), delimiter: ';' });
const pgSource = (over: Record<string, unknown> = {}) => ({
  kind: 'postgres' as const,
  name: 'crm',
  host: pgPeer.host,
  port: pgPeer.port,
  database: 'postgres',
  user: pgPeer.user,
  password: { keychain: 'pg-password' },
  ssl: false,
  ...over,
});

describe('sources', () => {
  it('tests a CSV file: its one table and columns; a missing file, a folder or a relative path says what to fix', async () => {
    const ok = await call('testSource', { draft: csv() });
    expect(ok).toMatchObject({ ok: true, tables: [{ name: 'people.csv', columns: [{ name: 'id' }, { name: 'name' }, { name: 'city' }] }] });
    const missing = await call('testSource', { draft: { ...csv(), path: path.join(files, 'nope.csv') } });
    expect(missing).toMatchObject({
      ok: false,
      detail: `Cannot read ${path.join(files, 'nope.csv')}: it does not exist`,
      hint: expect.stringContaining('Check the path') as unknown,
    });
    // A path pasted with a space at its end, the file there without it: the message has no quotes to see the space by.
    const spaced = `${csv().path} `;
    expect((await call('testSource', { draft: { ...csv(), path: spaced } })).detail).toBe(
      `Cannot read ${spaced}: it does not exist (its path ends with a space: ${JSON.stringify(spaced)})`,
    );
    expect((await call('testSource', { draft: { ...csv(), path: files } })).detail).toContain('it is a folder, not a file');
    // An empty file: its path is right, so the hint is not to check it.
    const emptyFile = path.join(files, 'empty.csv');
    fs.writeFileSync(emptyFile, '');
    expect(await call('testSource', { draft: { ...csv(), path: emptyFile } })).toMatchObject({
      ok: false,
      detail: `${emptyFile} is empty: a CSV file starts with a header line naming its columns`,
      hint: 'The file is there but holds nothing yet: write its rows into it (or choose the file that has them), then test again.',
    });
    const relative = await call('testSource', { draft: { ...csv(), path: 'data/people.csv' } });
    expect(relative.detail).toContain('The path "data/people.csv" is relative');
    const saveRelative = await failure(call('saveSource', { source: { ...csv(), path: 'people.csv' }, mode: 'create' }));
    expect(saveRelative.issues).toEqual([{ path: 'path', message: 'Use an absolute path' }]);
  });

  it('tests NDJSON and SQLite files; a file that is not a database is named', async () => {
    expect(await call('testSource', { draft: { kind: 'ndjson', name: 'ev', path: path.join(files, 'events.ndjson') } })).toMatchObject({
      ok: true,
      tables: [
        {
          name: 'events.ndjson',
          columns: [
            { name: 'id', type: 'integer' },
            { name: 'kind', type: 'text' },
          ],
        },
      ],
    });
    const sqlite = await call('testSource', { draft: { kind: 'sqlite', name: 'db', path: path.join(files, 'people.sqlite') } });
    expect(sqlite.ok).toBe(true);
    expect(sqlite.tables.map((x) => x.name)).toContain('people');
    const bad = await call('testSource', { draft: { kind: 'sqlite', name: 'db', path: path.join(files, 'not-a-db.sqlite') } });
    expect(bad.detail).toBe(`${path.join(files, 'not-a-db.sqlite')} is not a SQLite database (choose the .sqlite or .db file itself)`);
  });

  it('tests PostgreSQL: lists tables; a wrong password, a missing database, a closed port each say so, never the password', async () => {
    const ok = await call('testSource', { draft: pgSource() });
    expect(ok.ok).toBe(true);
    expect(ok.tables).toContainEqual({
      name: 'customers',
      columns: [
        { name: 'id', type: 'bigint' },
        { name: 'email', type: 'text' },
      ],
    });
    const wrong = await call('testSource', { draft: pgSource({ name: 'crm-wrong', password: { keychain: 'pg-wrong' } }) });
    expect(wrong).toMatchObject({
      ok: false,
      detail: expect.stringContaining('the password is wrong') as unknown,
      hint: expect.stringContaining('password') as unknown,
    });
    expect(JSON.stringify(wrong)).not.toContain('not-the-password');
    const db = await call('testSource', { draft: pgSource({ database: 'nowhere' }) });
    expect(db.detail).toContain('the database "nowhere" does not exist');
    const closed = await call('testSource', { draft: pgSource({ port: 9 }) });
    expect(closed.detail).toContain('the connection was refused');
  });

  it('saves, refuses a duplicate name and bad input by field, renames (models follow) and refuses to delete a source in use', async () => {
    events.length = 0;
    await call('saveSource', { source: pgSource(), mode: 'create' });
    expect(events).toContain('catalogChanged');
    expect((await failure(call('saveSource', { source: pgSource(), mode: 'create' }))).issues).toEqual([
      { path: 'name', message: 'Choose another name, or edit the existing source' },
    ]);
    const bad = await t.engine.dispatcher.dispatch('saveSource', { source: { ...pgSource(), port: 70000 }, mode: 'create' } as never, trusted);
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('source.port');
    // The password is a keychain reference: its value is nowhere in the database.
    const stored = t.engine.db.prepare("SELECT definition FROM sources WHERE name = 'crm'").get() as { definition: string };
    expect(stored.definition).not.toContain(pgPeer.password);
    expect(JSON.parse(stored.definition)).toMatchObject({ password: { keychain: 'pg-password' } });

    await call('saveModel', { model: { name: 'customers', source: 'crm', query: 'SELECT id, email FROM customers', primaryKey: ['id'] }, mode: 'create' });
    await call('saveSource', { source: { kind: 'csv', name: 'warehouse', path: path.join(files, 'people.csv') }, mode: 'create' });
    // A refused rename is one sentence per problem: no field of the request (`to`) is named.
    expect(describeError(await failure(call('renameSource', { from: 'crm', to: 'warehouse' })))).toBe(
      'A source named "warehouse" already exists: choose another name',
    );
    expect(describeError(await failure(call('renameSource', { from: 'crm', to: '_crm' })))).toBe(
      'Could not rename the source: the input is not valid — The new name starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)',
    );
    await call('deleteSource', { name: 'warehouse' });
    await call('renameSource', { from: 'crm', to: 'CRM database' });
    expect(await call('listModels', {})).toContainEqual(expect.objectContaining({ name: 'customers', source: 'CRM database' }));
    expect((await call('previewModel', { model: 'customers', limit: 5 })).rows).toHaveLength(2);
    const refused = await failure(call('deleteSource', { name: 'CRM database' }));
    expect(refused.message).toBe('The source "CRM database" cannot be deleted: the model "customers" reads it. Delete it or point it at another source first.');
    expect((await call('sourceSchema', { source: 'CRM database' })).tables.map((x) => x.name)).toContain('customers');
  });
});

describe('models', () => {
  it('previews a draft query; an empty query or a SQL error names the field and the place', async () => {
    await call('saveSource', { source: { kind: 'sqlite', name: 'people-db', path: path.join(files, 'people.sqlite') }, mode: 'create' });
    const preview = await call('previewModelDraft', { source: 'people-db', query: 'SELECT id, name FROM people ORDER BY id', limit: 2 });
    expect(preview).toMatchObject({ columns: [{ name: 'id' }, { name: 'name' }], truncated: true });
    expect((await failure(call('previewModelDraft', { source: 'people-db', query: '  ', limit: 2 }))).issues).toEqual([
      { path: 'query', message: 'The query is empty' },
    ]);
    expect((await failure(call('previewModelDraft', { source: 'people-db', query: 'SELECT nme FROM people', limit: 2 }))).message).toBe(
      'SQL error at line 1, column 8: no such column: nme',
    );
  });

  it('checks the whole model: duplicates and nulls with examples, and refuses to save until the key is unique', async () => {
    await call('saveSource', { source: csv(), mode: 'create' });
    const model = { name: 'people', source: 'people-file', primaryKey: ['id'] };
    const check = await call('checkModelKeys', { model });
    expect(check).toMatchObject({
      rows: 4,
      unique: false,
      nullRows: 1,
      duplicateKeys: 1,
      duplicateRows: 2,
      examples: ['2 rows have id 17', '1 row has a null id'],
    });
    const refused = await failure(call('saveModel', { model, mode: 'create' }));
    expect(refused.message).toContain('its primary key is not unique');
    expect(refused.message).toContain('2 rows have id 17; 1 row has a null id');
    expect((await call('listModels', {})).map((m) => m.name)).not.toContain('people');
    const fixed = await call('saveModel', { model: { ...model, primaryKey: ['name'] }, mode: 'create' });
    expect(fixed.keyCheck).toMatchObject({ rows: 4, unique: true, message: '4 rows, each with its own name: the key is unique' });
    expect((await failure(call('checkModelKeys', { model: { ...model, primaryKey: ['nope'] } }))).issues).toEqual([
      { path: 'primaryKey', message: 'Not a column of the model: nope' },
    ]);
  });

  it('renames a model: its syncs follow and keep their snapshot; deleting a model a sync sends is refused, naming the sync', async () => {
    t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 's', shards: 1 });
    const sync = t.engine.catalog.putSync({
      name: 'people out',
      model: 'people',
      destination: 'sandbox',
      triggers: ['added'],
      payload: { mode: 'mapping', fields: [{ column: 'name', key: 'name' }] },
    });
    t.engine.catalog.markInitialized(sync.id);
    t.engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, 'Ada', '{}', 'now')").run(sync.id);

    await call('renameModel', { from: 'people', to: 'people-file model' });
    const after = t.engine.catalog.getSync('people out');
    expect(after).toMatchObject({ id: sync.id, initialized: true, definition: { model: 'people-file model' } });
    expect(t.engine.db.prepare('SELECT count(*) AS n FROM snapshot WHERE sync_id = ?').get(sync.id)).toEqual({ n: 1 });
    expect((await failure(call('renameModel', { from: 'people-file model', to: 'customers' }))).message).toBe(
      'A model named "customers" already exists: choose another name',
    );

    const refused = await failure(call('deleteModel', { name: 'people-file model' }));
    expect(refused.message).toBe(
      'The model "people-file model" cannot be deleted: the sync "people out" sends it. Delete it or point it at another model first.',
    );
    await call('deleteModel', { name: 'customers' });
    expect((await call('listModels', {})).map((m) => m.name)).not.toContain('customers');
    await call('deleteSource', { name: 'CRM database' });
    expect((await call('listSources', {})).map((s) => s.name)).not.toContain('CRM database');
  });
});
