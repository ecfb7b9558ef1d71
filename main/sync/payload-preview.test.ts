import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { minifyJson } from '../../shared/json/minify';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

const closers = closeAfterEach();

/** An engine with the model "m": `query` over a SQLite file made by `sql`. */
async function sqliteModel(sql: string, query: string) {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'model.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(sql);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'm', source: 'db', query, primaryKey: ['id'] });
  return t;
}

it("the editor's pretty preview shows numbers as they are sent (it showed integers past 2^53 and long decimals rounded)", async () => {
  const t = await sqliteModel(
    'CREATE TABLE t (id INTEGER PRIMARY KEY, big INTEGER); INSERT INTO t VALUES (1, 9007199254740995), (2, -9223372036854775808)',
    'SELECT id, big FROM t',
  );
  const template = '{"id": {{ row.id }}, "big": {{ row.big }}, "fine": 1.000000000000000000001, "huge": 12345678901234567890123, "nested": {"a": [], "b": {}}}';
  const preview = await callChannel(t.engine, 'previewPayload', { model: 'm', payload: { mode: 'template', template } });
  const [first, second] = preview.items;
  expect(first!.data).toBe('{"id":1,"big":9007199254740995,"fine":1.000000000000000000001,"huge":12345678901234567890123,"nested":{"a":[],"b":{}}}');
  expect(first!.pretty).toBe(
    '{\n  "id": 1,\n  "big": 9007199254740995,\n  "fine": 1.000000000000000000001,\n  "huge": 12345678901234567890123,\n  "nested": {\n    "a": [],\n    "b": {}\n  }\n}',
  );
  expect(minifyJson(second!.pretty!)).toBe(second!.data);
  expect(second!.pretty).toContain('"big": -9223372036854775808');
});

it('mapping keys that overlap show as a problem of the preview (the editor stays usable to mend them), not as a failed preview', async () => {
  const t = await sqliteModel("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO t VALUES (1, 'x')", 'SELECT id, a FROM t');
  const fields = [
    { column: 'id', key: 'x' },
    { column: 'a', key: 'x.y' },
  ];
  const preview = await callChannel(t.engine, 'previewPayload', { model: 'm', payload: { mode: 'mapping', fields } });
  expect(preview.problems).toEqual([
    {
      where: '',
      message: 'The mapping\'s key "x" (field 1) and "x.y" (field 2) overlap: one value would replace the other',
      line: null,
      column: null,
    },
  ]);
});

it('an NDJSON row as last delivered gets the columns its line left out as null, as a run renders it (the preview of a change failed)', async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'events.ndjson');
  fs.writeFileSync(file, '{"id": 1, "email": "a@x"}\n{"id": 2}\n');
  t.engine.catalog.putSource({ kind: 'ndjson', name: 'f', path: file });
  t.engine.catalog.putModel({ name: 'm', source: 'f', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'prev' });
  const template = '{"id": {{ row.id }}, "email": {{ row.email | json }}, "was": {{ previous.email | json }}}';
  t.engine.catalog.putSync({ name: 's', model: 'm', destination: 'sb', triggers: ['added', 'changed'], payload: { mode: 'template', template } });
  const sync = t.engine.catalog.getSync('s');
  t.engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '2', '{\"id\":2}', '2026-01-01T00:00:00Z')").run(sync.id);
  const preview = await callChannel(t.engine, 'previewPayload', { model: 'm', sync: 's', event: 'changed', payload: { mode: 'template', template } });
  expect(preview.items.map((i) => [i.key, i.data, i.error ?? null])).toEqual([
    ['1', '{"id":1,"email":"a@x","was":"a@x"}', null],
    ['2', '{"id":2,"email":null,"was":null}', null],
  ]);
  // A file's rows are placed by their lines (what an editor shows), a query's by their rows.
  expect(preview.items.map((i) => [i.rowNumber, i.rowUnit])).toEqual([
    [1, 'line'],
    [2, 'line'],
  ]);
});
