import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it } from 'vitest';
import { numberColumns } from '../../shared/config/number-columns';
import type { Payload } from '../../shared/config/sync';
import { mappingToTemplate } from '../../shared/payload/mapping-template';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

// The payload editor's "Turn into a Liquid template" writes the mapping as a template that sends the
// same bytes: it learns the model's number columns as the editor does (the model's columns from
// previewModel, its source's kind from the lists), and the preview renders both alike.

const closers = closeAfterEach();

/** The model's columns that hold numbers, asked the way the payload editor asks (use-model-columns.ts). */
async function editorNumberColumns(engine: Engine, model: string): Promise<string[]> {
  const { columns } = await callChannel(engine, 'previewModel', { model, limit: 1 });
  const source = (await callChannel(engine, 'listModels', {})).find((m) => m.name === model)!.source;
  const kind = (await callChannel(engine, 'listSources', {})).find((s) => s.name === source)!.kind;
  return numberColumns(kind, columns);
}

async function previewed(engine: Engine, payload: Payload): Promise<(string | null)[]> {
  const preview = await callChannel(engine, 'previewPayload', { model: 'm', payload, rows: { mode: 'first', count: 10 } });
  expect(preview.items.map((i) => i.error ?? null)).toEqual(preview.items.map(() => null));
  return preview.items.map((i) => i.data);
}

async function engineWith(setup: (engine: Engine, dir: string) => void): Promise<Engine> {
  const t = await openTestEngine();
  closers.push(t.close);
  setup(t.engine, t.dir);
  return t.engine;
}

it('the template made from a mapping of a SQLite model previews the bytes the mapping does: a BIGINT past 2^53 as the number (it sent the string), TEXT digits a string', async () => {
  const engine = await engineWith((e, dir) => {
    const file = path.join(dir, 'accounts.sqlite');
    const db = new BetterSqlite3(file);
    db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, external_id BIGINT, code TEXT, amount NUMERIC, rate REAL);
      INSERT INTO accounts VALUES (1, 1234567890123456789, '12345678901234567890', 1.5, 0.25),
                                  (2, -9007199254740993, '007', 2, NULL), (3, NULL, NULL, NULL, 1e300);`);
    db.close();
    e.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    e.catalog.putModel({ name: 'm', source: 'db', query: 'SELECT id, external_id, code, amount, rate FROM accounts ORDER BY id', primaryKey: ['id'] });
  });
  const fields = [
    { column: 'id', key: 'id' },
    { column: 'external_id', key: 'ids.external' },
    { column: 'code', key: 'ids.code' },
    { column: 'amount', key: 'amount' },
    { column: 'rate', key: 'rate' },
  ];
  const numbers = await editorNumberColumns(engine, 'm');
  expect(numbers).toEqual(['id', 'external_id', 'amount']);
  const mapped = await previewed(engine, { mode: 'mapping', fields });
  expect(mapped).toEqual([
    '{"id":1,"ids":{"external":1234567890123456789,"code":"12345678901234567890"},"amount":1.5,"rate":0.25}',
    '{"id":2,"ids":{"external":-9007199254740993,"code":"007"},"amount":2,"rate":null}',
    '{"id":3,"ids":{"external":null,"code":null},"amount":null,"rate":1e+300}',
  ]);
  expect(await previewed(engine, { mode: 'template', template: mappingToTemplate(fields, numbers) })).toEqual(mapped);
  // Without the number columns (what the button did), the BIGINT went out as a string.
  expect((await previewed(engine, { mode: 'template', template: mappingToTemplate(fields) }))[0]).toContain('"external":"1234567890123456789"');
});

it("the same for an NDJSON model, whose number columns are its first lines' number fields", async () => {
  const engine = await engineWith((e, dir) => {
    const file = path.join(dir, 'events.ndjson');
    fs.writeFileSync(file, '{"id":1,"n":12345678901234567890,"x":1e400,"s":"12345678901234567890"}\n{"id":2,"n":3,"x":0.5,"s":"b"}\n');
    e.catalog.putSource({ kind: 'ndjson', name: 'file', path: file });
    e.catalog.putModel({ name: 'm', source: 'file', primaryKey: ['id'] });
  });
  const fields = ['id', 'n', 'x', 's'].map((c) => ({ column: c, key: c }));
  const numbers = await editorNumberColumns(engine, 'm');
  expect(numbers).toEqual(['id', 'n', 'x']);
  const mapped = await previewed(engine, { mode: 'mapping', fields });
  expect(mapped).toEqual(['{"id":1,"n":12345678901234567890,"x":1e400,"s":"12345678901234567890"}', '{"id":2,"n":3,"x":0.5,"s":"b"}']);
  expect(await previewed(engine, { mode: 'template', template: mappingToTemplate(fields, numbers) })).toEqual(mapped);
});
