// A sync's settings of another destination kind than its own (Kafka's on a Kinesis stream, Firehose routes
// or an explicit hash key on Kafka…): runs never read them, so `sluice apply` and the app's save refuse them,
// naming the field and the destination's kind. A sync saved with them before still opens and runs; export
// leaves them out, saying so, and what it writes applies again.
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KafkaMessage, Sync } from '../../shared/config/sync';
import { SluiceError, type WireError } from '../../shared/ipc/errors';
import type { Engine } from '../engine/engine';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { applyConfig, exportConfig } from './config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const HEAD = `version: 1
sources:
  - { kind: sqlite, name: warehouse, path: /data/warehouse.sqlite }
models:
  - { name: customers, source: warehouse, query: SELECT * FROM customers, primaryKey: [id] }
destinations:
  - { kind: kinesis, name: orders, stream: orders-stream, region: eu-west-1, auth: { kind: default-chain } }
  - { kind: kafka, name: bus, brokers: ["kafka.internal:9092"], topic: customers }
  - { kind: firehose, name: lake, deliveryStream: lake, auth: { kind: default-chain } }
syncs:
  - name: s
    model: customers
    triggers: [added]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`;

/** What applying `yaml` to the engine's workspace is refused with. */
function refusal({ engine }: { engine: Engine }, yaml: string): SluiceError {
  try {
    applyConfig(engine.db, engine.catalog, yaml, 'x.yaml');
  } catch (err) {
    if (err instanceof SluiceError) return err;
    throw err;
  }
  throw new Error('the file was applied');
}

describe('settings of another destination kind', () => {
  it('are refused by apply, naming each field, the destination and its kind, and nothing is applied; settings of its own kind apply', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const cases = [
      ['orders', '    kafka: { key: { kind: column, column: email } }', ['kafka'], 'Kinesis stream orders-stream', 'explicitHashKey'],
      [
        'bus',
        '    firehose: { routes: [{ match: "*", stream: x }] }\n    explicitHashKey: { kind: column, column: h }',
        ['firehose', 'explicitHashKey'],
        'Kafka (kafka.internal:9092)',
        'kafka',
      ],
      ['lake', '    kafka: { tombstones: true }', ['kafka'], 'Firehose delivery stream lake', 'firehose'],
    ] as const;
    for (const [destination, extra, fields, label, own] of cases) {
      const err = refusal(t, `${HEAD}    destination: ${destination}\n${extra}\n`);
      expect(err.message).toBe(`x.yaml, syncs[0] (line 11): The sync "s" has settings that do not apply to its destination "${destination}" (${label})`);
      expect(err.issues.map((i) => i.path)).toEqual(fields.map((f) => `syncs.0.${f}`));
      for (const issue of err.issues)
        expect(issue.message).toMatch(`, and "${destination}" is ${label}: its runs would ignore this field. Remove it (the settings of its kind: ${own})`);
      expect(t.engine.catalog.listSyncs()).toEqual([]);
      expect(t.engine.catalog.listDestinations()).toEqual([]);
    }
    expect(refusal(t, `${HEAD}    destination: orders\n    kafka: {}\n`).issues[0]!.message).toMatch(
      /^Kafka settings are for Kafka destinations, and "orders" is Kinesis stream/,
    );

    // A partition key other than the primary key: a Kafka record's key is kafka.key, and its runs never read this one.
    const partitionKey = refusal(t, `${HEAD}    destination: bus\n    partitionKey: { kind: column, column: email }\n`);
    expect(partitionKey.issues.map((i) => [i.path, i.message])).toEqual([
      [
        'syncs.0.partitionKey',
        `A partition key other than the primary key is for Kinesis streams and Firehose (a Kafka record's key is kafka.key), and "bus" is Kafka (kafka.internal:9092): its runs would ignore this field. Remove it (the settings of its kind: kafka)`,
      ],
    ]);
    expect(t.engine.catalog.listSyncs()).toEqual([]);
    expect(applyConfig(t.engine.db, t.engine.catalog, `${HEAD}    destination: bus\n    partitionKey: { kind: primary-key }\n`)).toMatchObject({ syncs: 1 });

    const fitting = `${HEAD}    destination: orders\n    explicitHashKey: { kind: column, column: h }
  - { name: k, model: customers, destination: bus, triggers: [added], payload: { mode: template, template: '{}' }, kafka: { tombstones: true } }
  - { name: f, model: customers, destination: lake, triggers: [added], payload: { mode: template, template: '{}' }, firehose: { routes: [{ match: "*", stream: x }] }, partitionKey: { kind: message-id } }
`;
    expect(applyConfig(t.engine.db, t.engine.catalog, fitting)).toMatchObject({ syncs: 3 });
  });

  it('saved before, still open and run; export leaves them out with a note, and the export applies', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { file, db } = createPeopleDb(t.dir, 5);
    db.close();
    const { catalog } = t.engine;
    catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'other-kind', shards: 1 });
    // As an earlier Sluice saved it: Kafka settings and Firehose routes on a sync to a Kinesis stream.
    catalog.putSync({
      name: 'people-out',
      model: 'people',
      destination: 'sandbox',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      kafka: { key: { kind: 'column', column: 'name' } },
      firehose: { routes: [{ match: '*', stream: 'x' }] },
    });
    expect(catalog.getSync('people-out').definition.kafka).toBeDefined();
    expect(await t.engine.runSync('people-out')).toMatchObject({ status: 'succeeded', counts: { sent: 5 } });

    const exported = exportConfig(catalog, t.engine.db);
    expect(exported.split('\n').slice(1, 3)).toEqual([
      '# Left out syncs[0].kafka (saved before Sluice refused it; its runs ignored it): Kafka settings are for Kafka destinations, and "sandbox" is Sandbox stream other-kind.',
      '# Left out syncs[0].firehose (saved before Sluice refused it; its runs ignored it): Firehose routes are for Firehose destinations, and "sandbox" is Sandbox stream other-kind.',
    ]);
    const [sync] = (parse(exported) as { syncs: Sync[] }).syncs;
    expect(sync).not.toHaveProperty('kafka');
    expect(sync).not.toHaveProperty('firehose');
    expect(catalog.getSync('people-out').definition.kafka).toBeDefined(); // exporting changes nothing stored

    const other = await openTestEngine();
    closers.push(other.close);
    expect(applyConfig(other.engine.db, other.engine.catalog, exported)).toMatchObject({ syncs: 1 });
  });

  it("are refused by the app's save, naming the field; ones the sync held unchanged are dropped, so its payload still saves", async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { catalog } = t.engine;
    catalog.putSource({ kind: 'sqlite', name: 'db', path: '/data/people.sqlite' });
    catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id FROM people', primaryKey: ['id'] });
    catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox' });
    const base: Sync = catalog.putSync({
      name: 's',
      model: 'people',
      destination: 'sandbox',
      triggers: ['added'],
      payload: { mode: 'template', template: '{}' },
    }).definition;
    const save = async (sync: Sync): Promise<{ ok: true; value: Sync } | { ok: false; error: WireError }> =>
      (await t.engine.dispatcher.dispatch('saveSync', sync, trusted)) as { ok: true; value: Sync } | { ok: false; error: WireError };

    const kafka: KafkaMessage = { key: { kind: 'column', column: 'id' }, headers: [], tombstones: false };
    const refused = await save({ ...base, kafka });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!refused.ok && refused.error.issues).toEqual([
      {
        path: 'kafka',
        message:
          'Kafka settings are for Kafka destinations, and "sandbox" is Sandbox stream sluice-sandbox: its runs would ignore this field. Remove it (the settings of its kind: explicitHashKey)',
      },
    ]);
    expect(catalog.getSync('s').definition.kafka).toBeUndefined();

    // Saved so before: the payload editor sends them back as they are, with a new payload.
    const stale = catalog.putSync({ ...base, kafka }).definition;
    const saved = await save({ ...stale, payload: { mode: 'template', template: '{"id": {{ row.id }}}' } });
    expect(saved).toMatchObject({ ok: true, value: { payload: { template: '{"id": {{ row.id }}}' } } });
    expect(catalog.getSync('s').definition).not.toHaveProperty('kafka');
    // Changed, they are new input, and refused.
    catalog.putSync({ ...base, kafka });
    expect(await save({ ...stale, kafka: { ...kafka, tombstones: true } })).toMatchObject({ ok: false, error: { issues: [{ path: 'kafka' }] } });
  });
});
