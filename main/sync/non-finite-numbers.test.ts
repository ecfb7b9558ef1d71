import { KinesisClient } from '@aws-sdk/client-kinesis';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it } from 'vitest';
import type { Payload } from '../../shared/config/sync';
import { awsClientConfig } from '../aws/client-config';
import type { Engine } from '../engine/engine';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../sandbox/sandbox-kinesis';
import { nativeBindingPath } from '../state/native-binding';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { readAllRecords } from '../testing/kinesis-read';
import { closeAfterEach } from '../testing/lifecycle';

// A SQLite REAL holding an infinity reaches the destination as the payload editor's preview shows it:
// the strings "Infinity" and "-Infinity", as every other source sends a float's infinities (PostgreSQL's
// float8, DuckDB's DOUBLE). A run stages a SQLite model inside SQLite, whose json_object wrote 9.0e+999,
// which the run then sent as null where the preview showed "Infinity".

const closers = closeAfterEach();

const MAPPING: Payload = { mode: 'mapping', fields: ['id', 'r', 'n', 'label'].map((c) => ({ column: c, key: c })) };
const TEMPLATE: Payload = {
  mode: 'template',
  template: '{"id": {{ row.id }}, "r": {{ row.r | json }}, "n": {{ row.n | json }}, "label": {{ row.label | json }}}',
};
// {{ row.r }} writes the value as it is: an infinity is no JSON, in the preview as in a run.
const RAW: Payload = { mode: 'template', template: '{"id": {{ row.id }}, "r": {{ row.r }}}' };

// REAL and NUMERIC (a column that holds numbers: an infinity in one is still no number JSON can write).
const SENT = [
  '{"id":1,"r":"Infinity","n":"-Infinity","label":"a"}',
  '{"id":2,"r":"-Infinity","n":"Infinity","label":"b"}',
  '{"id":3,"r":2.5,"n":0.1,"label":"c"}',
];

async function setup(payloads: Record<string, Payload>): Promise<{ engine: Engine; dir: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'readings.sqlite');
  const db = new BetterSqlite3(file, { nativeBinding: nativeBindingPath() });
  db.exec(`CREATE TABLE readings (id INTEGER PRIMARY KEY, r REAL, n NUMERIC, label TEXT);
    INSERT INTO readings VALUES (1, 9e999, -9e999, 'a'), (2, -9e999, 9e999, 'b'), (3, 2.5, 0.1, 'c');`);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'm', source: 'db', query: 'SELECT id, r, n, label FROM readings ORDER BY id', primaryKey: ['id'] });
  for (const [name, payload] of Object.entries(payloads)) {
    t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name, stream: name });
    t.engine.catalog.putSync({ name, model: 'm', destination: name, triggers: ['added', 'changed', 'removed'], payload });
  }
  return { engine: t.engine, dir: t.dir };
}

/** The records in the sandbox stream `stream`, byte for byte, in key order. */
async function streamData(engine: Engine, stream: string): Promise<string[]> {
  const client = new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint: await engine.sandbox.endpoint(), credentials: SANDBOX_CREDENTIALS }));
  try {
    const records = await readAllRecords(client, stream);
    return records.sort((a, b) => Number(a.partitionKey) - Number(b.partitionKey)).map((r) => r.data.toString('utf8'));
  } finally {
    client.destroy();
  }
}

it('a SQLite REAL or NUMERIC holding an infinity is sent as the preview shows it, "Infinity" or "-Infinity" (a run sent null): mapping, template, on render threads; a re-run sends nothing', async () => {
  const { engine, dir } = await setup({ mapped: MAPPING, templated: TEMPLATE, pooled: MAPPING });
  for (const payload of [MAPPING, TEMPLATE]) {
    const preview = await callChannel(engine, 'previewPayload', { model: 'm', payload, rows: { mode: 'first', count: 3 } });
    expect(preview.items.map((i) => i.error ?? null)).toEqual([null, null, null]);
    expect(preview.items.map((i) => i.data)).toEqual(SENT);
  }
  for (const sync of ['mapped', 'templated', 'pooled']) {
    const run = await engine.runSync(sync, sync === 'pooled' ? { renderPoolThreshold: 1 } : {});
    expect(run, sync).toMatchObject({ status: 'succeeded', counts: { read: 3, acknowledged: 3 } });
    if (sync === 'pooled')
      expect(fs.readFileSync(path.join(dir, 'logs', 'sluice.log'), 'utf8')).toMatch(new RegExp(`"event":"run.render-pool","runId":${run.id},"threads":[1-9]`));
    expect(await streamData(engine, sync), sync).toEqual(SENT);
    // Nothing changed: each row compares equal to the row as delivered, and nothing is sent again.
    expect((await engine.runSync(sync)).counts, sync).toMatchObject({ unchanged: 3, added: 0, changed: 0, acknowledged: 0 });
    expect(await streamData(engine, sync), sync).toHaveLength(3);
  }
});

it('a template that writes an infinity as it is ({{ row.r }}) is refused alike in the preview and in a run', async () => {
  const { engine } = await setup({ raw: RAW });
  const preview = await callChannel(engine, 'previewPayload', { model: 'm', payload: RAW, rows: { mode: 'first', count: 3 } });
  expect(preview.items.map((i) => [i.data ?? null, i.error === undefined || i.error === null ? null : 'error'])).toEqual([
    [null, 'error'],
    [null, 'error'],
    ['{"id":3,"r":2.5}', null],
  ]);
  const run = await engine.runSync('raw');
  expect(run.counts).toMatchObject({ read: 3, acknowledged: 1, refused: 2 });
  expect(await streamData(engine, 'raw')).toEqual(['{"id":3,"r":2.5}']);
});

it('a row delivered while infinities were staged as 9.0e+999 (sent as null) is sent once more, with "Infinity"', async () => {
  const { engine } = await setup({ mapped: MAPPING });
  await engine.runSync('mapped');
  const { id } = engine.catalog.getSync('mapped');
  engine.db.prepare("UPDATE snapshot SET row = ? WHERE sync_id = ? AND key = '1'").run('{"id":1,"r":9.0e+999,"n":-9.0e+999,"label":"a"}', id);
  expect((await engine.runSync('mapped')).counts).toMatchObject({ changed: 1, unchanged: 2, acknowledged: 1 });
  expect(await streamData(engine, 'mapped')).toEqual([SENT[0], ...SENT]);
  expect((await engine.runSync('mapped')).counts).toMatchObject({ unchanged: 3, acknowledged: 0 });
});
