import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Payload } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { nativeBindingPath } from '../state/native-binding';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';

// Numbers reach Kafka as the model holds them: integers past 2^53 from a SQLite model file and numbers
// past a double's range from an NDJSON file, through real runs to a real broker, read back with kcat.

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

let topics = 0;
/** A fresh engine with the source and model `setupModel` puts, a Kafka destination, and one sync per payload (each to a topic of its own). */
async function setup(
  setupModel: (engine: Engine, dir: string) => void,
  payloads: Record<string, Payload>,
): Promise<{ engine: Engine; dir: string; topicOf: Record<string, string> }> {
  const t = await openTestEngine();
  closers.push(t.close);
  setupModel(t.engine, t.dir);
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic: 'unused' });
  const topicOf: Record<string, string> = {};
  for (const [name, payload] of Object.entries(payloads)) {
    topicOf[name] = `exact-numbers-${++topics}`;
    await kafka.createTopic(topicOf[name], 1);
    t.engine.catalog.putSync({
      name,
      model: 'm',
      destination: 'kafka',
      triggers: ['added', 'changed', 'removed'],
      payload,
      kafka: { topic: { kind: 'fixed', value: topicOf[name] } },
    });
  }
  return { engine: t.engine, dir: t.dir, topicOf };
}

/** The values on the topic, in order, byte for byte as the broker has them. */
function values(topic: string): string[] {
  return kafka.kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\\n']).split('\n').filter(Boolean);
}

/** The bytes the run recorded in its ledger for each record, in key order. */
function ledgerValues(engine: Engine, runId: number): string[] {
  const { entries } = engine.ledger.search({ runId, limit: 100 });
  return entries.map((e) => engine.ledger.data(e.id)!.toString('utf8')).sort();
}

function sqliteModel(engine: Engine, dir: string): void {
  const file = path.join(dir, 'accounts.sqlite');
  const db = new BetterSqlite3(file, { nativeBinding: nativeBindingPath() });
  db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, external_id TEXT, balance BIGINT, label TEXT);
    INSERT INTO accounts VALUES (12345678901234567, '12345678901234567890', 9223372036854775807, 'a'),
                                (2, '9007199254740993', -9223372036854775808, 'b'),
                                (3, NULL, 5, NULL);`);
  db.close();
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  // balance + 0 is an expression: SQLite gives it no declared type; its values are INTEGERs, so it holds numbers
  // (it was sent as a string past 2^53 and a number within: one field, two JSON types).
  engine.catalog.putModel({
    name: 'm',
    source: 'db',
    query: 'SELECT id, external_id, balance, label, balance + 0 AS expr FROM accounts ORDER BY id',
    primaryKey: ['id'],
  });
}

const MAPPING: Payload = {
  mode: 'mapping',
  fields: [
    { column: 'id', key: 'id' },
    { column: 'external_id', key: 'external.id' },
    { column: 'balance', key: 'balance' },
    { column: 'label', key: 'label' },
    { column: 'expr', key: 'expr' },
  ],
};
// An INTEGER or BIGINT column's value (an expression's INTEGER too) is a number with every digit; a TEXT column's digits stay a string.
const SQLITE_SENT = [
  '{"id":2,"external":{"id":"9007199254740993"},"balance":-9223372036854775808,"label":"b","expr":-9223372036854775808}',
  '{"id":3,"external":{"id":null},"balance":5,"label":null,"expr":5}',
  '{"id":12345678901234567,"external":{"id":"12345678901234567890"},"balance":9223372036854775807,"label":"a","expr":9223372036854775807}',
];

describe('numbers reach the destination as the model holds them', () => {
  it('a mapping payload of a SQLite model sends an INTEGER column past 2^53 as the number, a TEXT column of digits as a string: inline, on render threads, in the preview and as a test record', async () => {
    const { engine, dir, topicOf } = await setup(sqliteModel, { inline: MAPPING, pooled: MAPPING });
    const run = await engine.runSync('inline');
    expect(run).toMatchObject({ status: 'succeeded', counts: { read: 3, acknowledged: 3 } });
    expect(values(topicOf.inline!)).toEqual(SQLITE_SENT);
    expect(ledgerValues(engine, run.id)).toEqual([...SQLITE_SENT].sort());

    const pooled = await engine.runSync('pooled', { renderPoolThreshold: 1 });
    expect(pooled).toMatchObject({ status: 'succeeded', counts: { acknowledged: 3 } });
    expect(fs.readFileSync(path.join(dir, 'logs', 'sluice.log'), 'utf8')).toMatch(new RegExp(`"event":"run.render-pool","runId":${pooled.id},"threads":[1-9]`));
    expect(values(topicOf.pooled!)).toEqual(SQLITE_SENT);

    // Nothing changed: the staged rows are as before (nothing is sent again).
    expect((await engine.runSync('inline')).counts).toMatchObject({ unchanged: 3, acknowledged: 0 });

    const preview = await callChannel(engine, 'previewPayload', { model: 'm', payload: MAPPING, rows: { mode: 'first', count: 3 } });
    expect(preview.items.map((i) => i.data)).toEqual(SQLITE_SENT);
    const { kafka: message } = engine.catalog.getSync('inline').definition;
    await callChannel(engine, 'sendTestRecord', { sync: 'inline', payload: MAPPING, kafka: message, key: '12345678901234567' });
    expect(values(topicOf.inline!).at(-1)).toBe(SQLITE_SENT[2]);
  });

  it('Liquid math on an integer past 2^53 keeps every digit (plus: 1 gave …992 for …993): inline, on render threads and in the preview', async () => {
    const template =
      '{"id": {{ row.id | plus: 1 }}, "next": {{ row.balance | plus: 1 }}, "double": {{ row.balance | times: 2 }}, "abs": {{ row.balance | abs }}}';
    const payload: Payload = { mode: 'template', template };
    const { engine, topicOf } = await setup(sqliteModel, { inline: payload, pooled: payload });
    const sent = [
      '{"id":3,"next":-9223372036854775807,"double":-18446744073709551616,"abs":9223372036854775808}',
      '{"id":4,"next":6,"double":10,"abs":5}',
      '{"id":12345678901234568,"next":9223372036854775808,"double":18446744073709551614,"abs":9223372036854775807}',
    ];
    expect(await engine.runSync('inline')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 3 } });
    expect(values(topicOf.inline!).sort()).toEqual([...sent].sort());
    expect(await engine.runSync('pooled', { renderPoolThreshold: 1 })).toMatchObject({ status: 'succeeded', counts: { acknowledged: 3 } });
    expect(values(topicOf.pooled!).sort()).toEqual([...sent].sort());
    const preview = await callChannel(engine, 'previewPayload', { model: 'm', payload, rows: { mode: 'first', count: 3 } });
    expect(preview.items.map((i) => i.data).sort()).toEqual([...sent].sort());
  });

  it('an NDJSON number past a double (1e400, 1e-400) is sent as written, not as null or 0; integers past 2^53 keep every digit', async () => {
    const lines = [
      '{"id":1,"x":1e400,"big":12345678901234567890,"s":"12345678901234567890"}',
      '{"id":2,"x":-1E+400,"big":1,"s":"a"}',
      '{"id":3,"x":1e-400,"big":-9007199254740993,"s":"b"}',
      '{"id":4,"x":2.5,"big":7,"s":"c"}',
    ];
    const ndjsonModel = (engine: Engine, dir: string) => {
      const file = path.join(dir, 'events.ndjson');
      fs.writeFileSync(file, lines.join('\n') + '\n');
      engine.catalog.putSource({ kind: 'ndjson', name: 'file', path: file });
      engine.catalog.putModel({ name: 'm', source: 'file', primaryKey: ['id'] });
    };
    const { engine, topicOf } = await setup(ndjsonModel, {
      mapped: { mode: 'mapping', fields: ['id', 'x', 'big', 's'].map((c) => ({ column: c, key: c })) },
      templated: { mode: 'template', template: '{"id": {{ row.id }}, "x": {{ row.x }}, "big": {{ row.big }}, "s": {{ row.s | json }}}' },
    });
    for (const sync of ['mapped', 'templated']) {
      const run = await engine.runSync(sync);
      expect(run).toMatchObject({ status: 'succeeded', counts: { read: 4, acknowledged: 4 } });
      // Byte for byte the lines themselves: numbers as written, the string of digits a string.
      expect(values(topicOf[sync]!)).toEqual(lines);
      expect(ledgerValues(engine, run.id)).toEqual([...lines].sort());
      expect((await engine.runSync(sync)).counts).toMatchObject({ unchanged: 4, acknowledged: 0 });
    }
    const model = await callChannel(engine, 'previewModelDraft', { source: 'file' });
    expect(model.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'x', type: 'number' },
      { name: 'big', type: 'integer' },
      { name: 's', type: 'text' },
    ]);
  });

  it('an NDJSON field with a number past 2^53 in one line and a string in another sends the number as a number (it was a string), a string of digits as a string', async () => {
    const lines = [
      '{"id":1,"v":12345678901234567890123,"both":12345678901234567890}',
      '{"id":2,"v":"n/a","both":"12345678901234567890"}',
      '{"id":3,"v":7,"both":null}',
    ];
    // A field holding the number and a string of its digits cannot tell one from the other: both stay strings, as before.
    const sent = [
      '{"id":1,"v":12345678901234567890123,"both":"12345678901234567890"}',
      '{"id":2,"v":"n/a","both":"12345678901234567890"}',
      '{"id":3,"v":7,"both":null}',
    ];
    const payload: Payload = { mode: 'mapping', fields: ['id', 'v', 'both'].map((c) => ({ column: c, key: c })) };
    const { engine, topicOf } = await setup(
      (e, dir) => {
        const file = path.join(dir, 'mixed.ndjson');
        fs.writeFileSync(file, lines.join('\n') + '\n');
        e.catalog.putSource({ kind: 'ndjson', name: 'file', path: file });
        e.catalog.putModel({ name: 'm', source: 'file', primaryKey: ['id'] });
      },
      { inline: payload, pooled: payload },
    );
    expect(await engine.runSync('inline')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 3 } });
    expect(values(topicOf.inline!)).toEqual(sent);
    expect(await engine.runSync('pooled', { renderPoolThreshold: 1 })).toMatchObject({ status: 'succeeded', counts: { acknowledged: 3 } });
    expect(values(topicOf.pooled!)).toEqual(sent);
    const preview = await callChannel(engine, 'previewPayload', { model: 'm', payload, rows: { mode: 'first', count: 3 } });
    expect(preview.items.map((i) => i.data)).toEqual(sent);
  });

  describe('a PostgreSQL model', () => {
    let pg: PostgresPeer;
    const PASSWORD_ENV = 'SLUICE_TEST_EXACT_NUMBERS_PG_PASSWORD';
    beforeAll(async () => {
      pg = await startPostgres();
      process.env[PASSWORD_ENV] = pg.password;
      await pg.query(`CREATE TABLE exact_numbers (id int8 PRIMARY KEY, amount numeric, code text, n int4)`);
      await pg.query(
        `INSERT INTO exact_numbers VALUES (9223372036854775807, 12345678901234567890, '12345678901234567890', 1), (2, 1.50, '9007199254740993', -2)`,
      );
      await pg.query(`CREATE TABLE exact_json (id int4 PRIMARY KEY, doc jsonb, raw json, docs jsonb[])`);
      await pg.query(
        `INSERT INTO exact_json VALUES (1, '{"big": 12345678901234567890, "n": 1, "f": 1.5, "list": [9007199254740993, 2], "s": "12345678901234567890"}',
           '{"huge": 1e400, "tiny": 1e-400, "big": -9007199254740993, "ok": 9007199254740991}',
           ARRAY['{"a": 9007199254740993}', '{"a": 1}']::jsonb[]),
         (2, '{"n": 2}', '[1, 2.5]', NULL)`,
      );
    }, 300_000);
    afterAll(async () => {
      delete process.env[PASSWORD_ENV];
      await pg?.stop();
    });

    it('a mapping sends an int8 past 2^53 as the number, diffed locally or in the database; numeric stays its exact text, text a string', async () => {
      const { engine, topicOf } = await setup(
        (e) => {
          const { host, port, database, user } = pg;
          e.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database, user, password: { env: PASSWORD_ENV }, ssl: false });
          e.catalog.putModel({ name: 'm', source: 'pg', query: 'SELECT id, amount, code, n FROM exact_numbers ORDER BY id', primaryKey: ['id'] });
          e.catalog.putModel({
            name: 'm-in-db',
            source: 'pg',
            query: 'SELECT id, amount, code, n FROM exact_numbers',
            primaryKey: ['id'],
            diff: 'in-database',
          });
        },
        { local: { mode: 'mapping', fields: ['id', 'amount', 'code', 'n'].map((c) => ({ column: c, key: c })) } },
      );
      engine.catalog.putSync({ ...engine.catalog.getSync('local').definition, name: 'in-db', model: 'm-in-db' });
      const sent = [
        '{"id":2,"amount":"1.50","code":"9007199254740993","n":-2}',
        '{"id":9223372036854775807,"amount":"12345678901234567890","code":"12345678901234567890","n":1}',
      ];
      const local = await engine.runSync('local');
      expect(local).toMatchObject({ status: 'succeeded', counts: { acknowledged: 2 } });
      expect(ledgerValues(engine, local.id)).toEqual(sent);
      const inDb = await engine.runSync('in-db');
      expect(inDb).toMatchObject({ status: 'succeeded', counts: { acknowledged: 2 } });
      expect(ledgerValues(engine, inDb.id)).toEqual(sent);
      // Both syncs send to the one topic: each run's records, byte for byte.
      expect(values(topicOf.local!).sort()).toEqual([...sent, ...sent].sort());
    });

    it('a json or jsonb value keeps a number past 2^53 or a double as its exact text (the driver rounded it), diffed locally or in the database', async () => {
      const { engine, topicOf } = await setup(
        (e) => {
          const { host, port, database, user } = pg;
          e.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database, user, password: { env: PASSWORD_ENV }, ssl: false });
          e.catalog.putModel({ name: 'm', source: 'pg', query: 'SELECT id, doc, raw, docs FROM exact_json ORDER BY id', primaryKey: ['id'] });
          e.catalog.putModel({ name: 'm-in-db', source: 'pg', query: 'SELECT id, doc, raw, docs FROM exact_json', primaryKey: ['id'], diff: 'in-database' });
        },
        {
          local: {
            mode: 'template',
            template: '{"id": {{ row.id }}, "doc": {{ row.doc | json }}, "raw": {{ row.raw | json }}, "docs": {{ row.docs | json }}}',
          },
        },
      );
      engine.catalog.putSync({ ...engine.catalog.getSync('local').definition, name: 'in-db', model: 'm-in-db' });
      // (jsonb orders its keys by length, then bytes; json keeps the text's order)
      const sent = [
        '{"id":1,"doc":{"f":1.5,"n":1,"s":"12345678901234567890","big":"12345678901234567890","list":["9007199254740993",2]},"raw":{"huge":"1e400","tiny":"1e-400","big":"-9007199254740993","ok":9007199254740991},"docs":[{"a":"9007199254740993"},{"a":1}]}',
        '{"id":2,"doc":{"n":2},"raw":[1,2.5],"docs":null}',
      ];
      for (const sync of ['local', 'in-db']) {
        const run = await engine.runSync(sync);
        expect(run, sync).toMatchObject({ status: 'succeeded', counts: { acknowledged: 2 } });
        expect(ledgerValues(engine, run.id), sync).toEqual(sent);
        expect(await engine.runSync(sync), sync).toMatchObject({ status: 'succeeded', counts: { unchanged: 2, acknowledged: 0 } });
      }
      expect(values(topicOf.local!).sort()).toEqual([...sent, ...sent].sort());
    });
  });
});
