// A destination saved pointing at another stream or topic (or of another kind): the syncs sending to it
// start over, since their snapshots say what the old one got. Kept, a run sent nothing ("unchanged") and the
// new stream never got those rows. Another address for the same stream does not.
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { applyConfig } from './config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ROWS = 5;

async function setup() {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, ROWS);
  db.close();
  const yaml = (destination: string, sync = '') => `version: 1
sources:
  - { kind: sqlite, name: db, path: ${JSON.stringify(file)} }
models:
  - { name: people, source: db, query: 'SELECT id, name FROM people', primaryKey: [id] }
destinations:
  - ${destination}
syncs:
  - name: out
    model: people
    destination: out
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
${sync}`;
  const apply = (text: string) => applyConfig(t.engine.db, t.engine.catalog, text, 'x.yaml');
  return { ...t, yaml, apply, file };
}

describe('a destination pointed elsewhere', () => {
  it('by sluice apply: its syncs start over and send every row to the new stream; the same stream again changes nothing', async () => {
    const { engine, yaml, apply } = await setup();
    expect(apply(yaml('{ kind: sandbox-kinesis, name: out, stream: first, shards: 1 }')).startedOver).toEqual([]);
    expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { acknowledged: ROWS } });
    // Another stream: before, the run said "unchanged 5, sent 0", and the new stream stayed empty.
    expect(apply(yaml('{ kind: sandbox-kinesis, name: out, stream: second, shards: 1 }')).startedOver).toEqual(['out']);
    expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { added: ROWS, acknowledged: ROWS } });
    const read = await engine.dispatcher.dispatch('inspectRead', { destination: 'out', limit: 50 } as never, trusted);
    expect(read.ok && (read.value as { records: unknown[] }).records).toHaveLength(ROWS);
    // The same stream (its shard count is no target): nothing starts over, nothing is sent again.
    expect(apply(yaml('{ kind: sandbox-kinesis, name: out, stream: second, shards: 2 }')).startedOver).toEqual([]);
    expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { unchanged: ROWS, acknowledged: 0 } });
  });

  it("by the app's wizard: its syncs start over too", async () => {
    const { engine, yaml, apply } = await setup();
    apply(yaml('{ kind: kafka, name: out, brokers: ["127.0.0.1:9"], topic: first }'));
    engine.db
      .prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')")
      .run(engine.catalog.getSync('out').id);
    const other = { kind: 'kafka', name: 'out', brokers: ['127.0.0.1:10'], topic: 'first' };
    expect((await engine.dispatcher.dispatch('saveDestination', { destination: other, mode: 'update' } as never, trusted)).ok).toBe(true);
    const kept = engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get() as { n: number };
    expect(kept.n).toBe(1); // other brokers, the same topic: the same place
    const moved = { ...other, topic: 'second' };
    expect((await engine.dispatcher.dispatch('saveDestination', { destination: moved, mode: 'update' } as never, trusted)).ok).toBe(true);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 0 });
  });

  it("another default topic: a Kafka sync with a topic of its own (or one per trigger it sends) keeps its snapshot; one sending to the destination's topic starts over", async () => {
    const { engine, apply, file } = await setup();
    const yaml = (topic: string) => `version: 1
sources:
  - { kind: sqlite, name: db, path: ${JSON.stringify(file)} }
models:
  - { name: people, source: db, query: 'SELECT id, name FROM people', primaryKey: [id] }
destinations:
  - { kind: kafka, name: out, brokers: ["127.0.0.1:9"], topic: ${topic} }
syncs:
${[
  ['default', ''],
  ['own', 'kafka: { topic: { kind: fixed, value: mine } }'],
  ['per-trigger', 'kafka: { topicByTrigger: { added: a, changed: c } }'],
  ['per-trigger-short', 'kafka: { topicByTrigger: { added: a } }'],
]
  .map(
    ([name, kafka]) => `  - name: ${name}
    model: people
    destination: out
    triggers: [added, changed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
${kafka ? `    ${kafka}\n` : ''}`,
  )
  .join('')}`;
    expect(apply(yaml('first')).startedOver).toEqual([]);
    const snapshot = engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '1', '{}', '2026-01-01T00:00:00Z')");
    for (const name of ['default', 'own', 'per-trigger', 'per-trigger-short']) snapshot.run(engine.catalog.getSync(name).id);
    const save = await engine.dispatcher.dispatch(
      'previewDestinationSave',
      { destination: { kind: 'kafka', name: 'out', brokers: ['127.0.0.1:9'], topic: 'second' } } as never,
      trusted,
    );
    expect(save.ok && JSON.stringify(save.value)).toContain('"default"');
    expect(apply(yaml('second')).startedOver).toEqual(['default', 'per-trigger-short']);
    const kept = engine.db.prepare('SELECT s.name FROM snapshot p JOIN syncs s ON s.id = p.sync_id ORDER BY s.name').all();
    expect(kept).toEqual([{ name: 'own' }, { name: 'per-trigger' }]);
    // Sending removals too, to the destination's topic: what it sent before went where it did, so it keeps its snapshot.
    const withRemovals = apply(
      yaml('second').replace(
        'triggers: [added, changed]\n    payload: { mode: template, template: \'{"id": {{ row.id }}}\' }\n    kafka: { topicByTrigger: { added: a, changed: c } }',
        'triggers: [added, changed, removed]\n    payload: { mode: template, template: \'{"id": {{ row.id }}}\' }\n    kafka: { topicByTrigger: { added: a, changed: c } }',
      ),
    );
    expect(withRemovals.startedOver).toEqual([]);
    expect(engine.catalog.getSync('per-trigger').definition.triggers).toEqual(['added', 'changed', 'removed']);
  });

  it('a Kinesis stream given by its ARN where it was given by name (or the other way): the same stream, nothing starts over; an ARN of another account does', async () => {
    const { yaml, apply } = await setup();
    const kinesis = (stream: string) => `{ kind: kinesis, name: out, stream: "${stream}", region: eu-west-1, auth: { kind: default-chain } }`;
    apply(yaml(kinesis('orders')));
    expect(apply(yaml(kinesis('arn:aws:kinesis:eu-west-1:123456789012:stream/orders'))).startedOver).toEqual([]);
    expect(apply(yaml(kinesis('orders'))).startedOver).toEqual([]);
    expect(apply(yaml(kinesis('arn:aws:kinesis:eu-west-1:123456789012:stream/orders'))).startedOver).toEqual([]);
    expect(apply(yaml(kinesis('arn:aws:kinesis:eu-west-1:210987654321:stream/orders'))).startedOver).toEqual(['out']);
    expect(apply(yaml(kinesis('orders-2'))).startedOver).toEqual(['out']);
  });

  it('of another kind, under a stored sync with settings of the old kind: refused naming the sync, and nothing applied', async () => {
    const { engine, yaml, apply } = await setup();
    apply(yaml('{ kind: kafka, name: out, brokers: ["127.0.0.1:9"], topic: t }', '    kafka: { tombstones: true }\n'));
    // A second sync with Kafka settings: both are named.
    engine.catalog.putSync({ ...engine.catalog.getSync('out').definition, name: 'out-2' });
    expect(() => apply(`version: 1\ndestinations:\n  - { kind: sandbox-kinesis, name: out, stream: s }\n`)).toThrow(
      'The syncs "out" (kafka settings), "out-2" (kafka settings) keep settings that do not apply to "out" as it is now (Sandbox stream s): remove them from those syncs in this file too',
    );
    engine.db.prepare("DELETE FROM syncs WHERE name = 'out-2'").run();
    const kindChange = `version: 1\ndestinations:\n  - { kind: sandbox-kinesis, name: out, stream: s }\n`;
    let error: unknown;
    try {
      apply(kindChange);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as Error).message).toBe(
      'x.yaml, destinations[0] (line 3): The sync "out" keeps kafka settings, which do not apply to "out" as it is now (Sandbox stream s): remove them from that sync in this file too',
    );
    expect(engine.catalog.getDestination('out').kind).toBe('kafka');
    // With the sync's Kafka settings gone in the same file, it applies, and the sync starts over.
    expect(apply(yaml('{ kind: sandbox-kinesis, name: out, stream: s }')).startedOver).toEqual(['out']);
  });

  it("moves only the Kafka syncs that take its topic; a sync's own topic changed starts that sync over", async () => {
    const { engine, yaml, apply } = await setup();
    const kafka = (topic: string, own = '') => yaml(`{ kind: kafka, name: out, brokers: ["127.0.0.1:9"], topic: ${topic} }`, own);
    const delivered = () => {
      const { id } = engine.catalog.getSync('out');
      engine.db.prepare("INSERT OR IGNORE INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')").run(id);
    };
    const kept = () => (engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get() as { n: number }).n;
    const byColumn = '    kafka: { topic: { kind: column, column: name } }\n';
    apply(kafka('first', byColumn));
    delivered();
    // Each row's topic comes from its column: another default topic moves none of its records.
    expect(apply(kafka('second', byColumn)).startedOver).toEqual([]);
    expect(kept()).toBe(1);
    // Its own topic now fixed: its records land in another topic, which never got its rows.
    expect(apply(kafka('second', '    kafka: { topic: { kind: fixed, value: third } }\n')).startedOver).toEqual(['out']);
    expect(kept()).toBe(0);
    delivered();
    // The destination's topic, written as the sync's own: the same place, nothing starts over.
    expect(apply(kafka('third')).startedOver).toEqual([]);
    expect(kept()).toBe(1);
    // One event to a topic of its own: the removals would never reach it.
    expect(apply(kafka('third', '    kafka: { topicByTrigger: { removed: gone } }\n')).startedOver).toEqual(['out']);
    expect(kept()).toBe(0);
    // While it runs, its records cannot be sent elsewhere: refused in words, nothing applied.
    engine.runs.create(engine.catalog.getSync('out').id, false);
    expect(() => apply(kafka('third', '    kafka: { topicByTrigger: { removed: elsewhere } }\n'))).toThrow(
      /The sync "out" is running \(run \d+\): it cannot change where its records go \(its topic or routes\) until the run ends/,
    );
    expect(engine.catalog.getSync('out').definition.kafka?.topicByTrigger).toEqual({ removed: 'gone' });
  });

  it('another default topic, the sync taking the old one as its own in the same file: it lands where it did, nothing starts over', async () => {
    const { engine, yaml, apply } = await setup();
    const kafka = (topic: string, own = '') => yaml(`{ kind: kafka, name: out, brokers: ["127.0.0.1:9"], topic: ${topic} }`, own);
    apply(kafka('first'));
    const { id } = engine.catalog.getSync('out');
    engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')").run(id);
    // Its records went to "first" and still go there: starting over would send every row to "first" again.
    expect(apply(kafka('second', '    kafka: { topic: { kind: fixed, value: first } }\n')).startedOver).toEqual([]);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 1 });
    // The other way round: its own topic "first" dropped as the default becomes "first" again: the same place.
    expect(apply(kafka('first')).startedOver).toEqual([]);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 1 });
    // Its own topic dropped while the default moves on: "third" never got its rows.
    apply(kafka('first', '    kafka: { topic: { kind: fixed, value: first } }\n'));
    expect(apply(kafka('third')).startedOver).toEqual(['out']);
  });

  it("by the app's sync settings: another topic of its own starts the sync over and says so; the same topic does not", async () => {
    const { engine, yaml, apply } = await setup();
    apply(yaml('{ kind: kafka, name: out, brokers: ["127.0.0.1:9"], topic: first }'));
    const { id } = engine.catalog.getSync('out');
    engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')").run(id);
    const save = async (topic: string) => {
      const settings = { model: 'people', destination: 'out', triggers: ['added', 'changed', 'removed'], initialSync: 'backfill', kafkaTopic: topic };
      const r = await engine.dispatcher.dispatch('updateSyncSettings', { name: 'out', settings } as never, trusted);
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { restarted: boolean }).restarted;
    };
    expect(await save('first')).toBe(false); // the destination's topic, written as the sync's own
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 1 });
    expect(await save('second')).toBe(true);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 0 });
  });

  it("Firehose: a sync that routes events starts over when its routes change, not when the destination's own delivery stream does", async () => {
    const { engine, yaml, apply } = await setup();
    const firehose = (stream: string, routes: string) =>
      yaml(`{ kind: firehose, name: out, deliveryStream: ${stream}, auth: { kind: default-chain } }`, `    firehose: { routes: [${routes}] }\n`);
    apply(firehose('lake', '{ match: "*", stream: all }'));
    const { id } = engine.catalog.getSync('out');
    engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')").run(id);
    // Its records go to the routes' delivery streams only: another default moves none of them.
    expect(apply(firehose('other-lake', '{ match: "*", stream: all }')).startedOver).toEqual([]);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 1 });
    // Routed elsewhere: "everything" never got the rows its snapshot says were delivered.
    expect(apply(firehose('other-lake', '{ match: "*", stream: everything }')).startedOver).toEqual(['out']);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 0 });
  });
});
