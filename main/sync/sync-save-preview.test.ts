// Before the app saves a sync (the payload editor's whole definition, or the settings form), it asks whether
// the save makes the sync start over (`previewSyncSave`, `previewSyncSettings`): the answer the save acts on
// (`syncRetargets`, `CatalogStore.putSync`), given without changing anything. And the payload editor's save
// of a running sync that would send its records elsewhere is refused, the sync and its snapshot left as they were.
import { afterEach, describe, expect, it } from 'vitest';
import type { Sync } from '../../shared/config/sync';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import type { SyncSettingsInput } from '../../shared/ipc/channels/sync-admin';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const settings = (over: Partial<SyncSettingsInput> = {}): SyncSettingsInput => ({
  model: 'people',
  destination: 'events',
  triggers: ['added', 'changed'],
  initialSync: 'backfill',
  ...over,
});

/** `k`: a Kafka sync to `events` (topic `first`) sending added and changed rows, which has delivered one row. */
async function setup() {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, 3);
  db.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  engine.catalog.putModel({ name: 'few people', source: 'db', query: 'SELECT id, name FROM people WHERE id < 2', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'kafka', name: 'events', brokers: ['127.0.0.1:9'], topic: 'first' });
  engine.catalog.putDestination({ kind: 'firehose', name: 'lake', deliveryStream: 'lake', auth: { kind: 'default-chain' } });
  const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(engine, channel, input);
  const delivered = (name: string) =>
    engine.db
      .prepare("INSERT OR IGNORE INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')")
      .run(engine.catalog.getSync(name).id);
  const kept = (name: string) =>
    (engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot WHERE sync_id = ?').get(engine.catalog.getSync(name).id) as { n: number }).n;
  await call('createSync', { name: 'k', settings: settings() });
  delivered('k');
  const stored = () => engine.catalog.getSync('k').definition;
  const withKafka = (kafka: Partial<NonNullable<Sync['kafka']>>): Sync => ({ ...stored(), kafka: { ...stored().kafka!, ...kafka } });
  return { ...t, call, delivered, kept, stored, withKafka };
}

const retargeted = { startsOver: 'retargeted', running: false, snapshotRows: 1 };
const nothing = { startsOver: null, running: false, snapshotRows: 1 };

describe('what saving a sync does, asked first', () => {
  it("the payload editor's save: another topic, or a topic for an event it sends, starts it over; the same place or an event it does not send does not", async () => {
    const { call, kept, stored, withKafka, delivered } = await setup();
    const before = stored();
    expect(await call('previewSyncSave', { sync: before })).toEqual(nothing);
    // The payload and the record key are no place.
    expect(await call('previewSyncSave', { sync: { ...before, payload: { mode: 'template', template: '{"x": 1}' } } })).toEqual(nothing);
    expect(await call('previewSyncSave', { sync: withKafka({ key: { kind: 'none' } }) })).toEqual(nothing);
    // The destination's topic written as the sync's own is the same place; a topic for removals it does not send goes nowhere.
    expect(await call('previewSyncSave', { sync: withKafka({ topic: { kind: 'fixed', value: 'first' } }) })).toEqual(nothing);
    expect(await call('previewSyncSave', { sync: withKafka({ topicByTrigger: { removed: 'gone' } }) })).toEqual(nothing);
    // Added rows to a topic of their own, or every row to another topic: elsewhere.
    expect(await call('previewSyncSave', { sync: withKafka({ topicByTrigger: { added: 'new-people' } }) })).toEqual(retargeted);
    expect(await call('previewSyncSave', { sync: withKafka({ topic: { kind: 'fixed', value: 'second' } }) })).toEqual(retargeted);
    // Asking changes nothing; the save does as it said.
    expect(stored()).toEqual(before);
    expect(kept('k')).toBe(1);
    await call('saveSync', withKafka({ topicByTrigger: { added: 'new-people' } }));
    expect(kept('k')).toBe(0);
    delivered('k');
    await call('saveSync', withKafka({ topicByTrigger: { added: 'new-people', removed: 'gone' } }));
    expect(kept('k')).toBe(1);
  });

  it("the payload editor's save of a running sync that would send its records elsewhere is refused, nothing saved; its payload still saves", async () => {
    const { engine, call, kept, stored, withKafka } = await setup();
    const before = stored();
    const runId = engine.runs.create(engine.catalog.getSync('k').id, false);
    expect(await call('previewSyncSave', { sync: withKafka({ topicByTrigger: { changed: 'people-changes' } }) })).toEqual({ ...retargeted, running: true });
    const refused = await failure(call('saveSync', withKafka({ topicByTrigger: { changed: 'people-changes' } })));
    expect(refused).toEqual({
      code: 'conflict',
      message: `The sync "k" is running (run ${runId}): it cannot change where its records go (its topic or routes) until the run ends (wait for it or cancel it, then save again)`,
    });
    expect(stored()).toEqual(before);
    expect(kept('k')).toBe(1);
    // What does not move its records applies from the next run, running or not.
    const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };
    expect((await call('saveSync', { ...before, payload })).payload).toEqual(payload);
    expect(kept('k')).toBe(1);
  });

  it("the settings form's save: another topic or other routes start it over, its triggers do not; another model moves it", async () => {
    const { call, kept, stored, delivered } = await setup();
    expect(await call('previewSyncSettings', { name: 'k', settings: settings() })).toEqual(nothing);
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ triggers: ['added'] }) })).toEqual(nothing);
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTopic: 'second' }) })).toEqual(retargeted);
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTopicFrom: { kind: 'column', column: 'name' } }) })).toEqual(retargeted);
    // Tombstones are no place; the destination's topic written as the sync's own is the same place.
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTombstones: true }) })).toEqual(nothing);
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTopic: ' first ' }) })).toEqual(nothing);
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ model: 'few people' }) })).toEqual({ ...nothing, startsOver: 'moved' });
    // Each event it sends has a topic of its own (the payload editor's topic per trigger): another topic for the rest moves none of its records.
    await call('saveSync', { ...stored(), kafka: { ...stored().kafka!, topicByTrigger: { added: 'a', changed: 'c' } } });
    delivered('k');
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTopic: 'second' }) })).toEqual(nothing);
    // Removals turned on with it: none were sent, so nothing it delivered is elsewhere.
    expect(await call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTopic: 'second', triggers: ['added', 'changed', 'removed'] }) })).toEqual(
      nothing,
    );
    expect(kept('k')).toBe(1);
    // Firehose: other routes are another place.
    const routes = (stream: string) => ({ routes: [{ match: '*', stream }] });
    await call('createSync', { name: 'f', settings: settings({ destination: 'lake', firehose: routes('a') }) });
    delivered('f');
    expect(await call('previewSyncSettings', { name: 'f', settings: settings({ destination: 'lake', firehose: routes('a') }) })).toEqual(nothing);
    expect(await call('previewSyncSettings', { name: 'f', settings: settings({ destination: 'lake', firehose: routes('b') }) })).toEqual(retargeted);
    expect(await call('previewSyncSettings', { name: 'f', settings: settings({ destination: 'lake', firehose: null }) })).toEqual(retargeted);
  });

  it('settings the save would refuse are refused as the save refuses them', async () => {
    const { call, stored } = await setup();
    const spaced = await failure(call('previewSyncSettings', { name: 'k', settings: settings({ kafkaTopic: 'a b' }) }));
    expect(spaced.message).toMatch(/^The topic "a b" is not a Kafka topic name/);
    expect(spaced.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopic']);
    const kind = await failure(call('previewSyncSave', { sync: { ...stored(), firehose: { routes: [{ match: '*', stream: 'x' }], unmatched: 'skip' } } }));
    expect(kind).toEqual(await failure(call('saveSync', { ...stored(), firehose: { routes: [{ match: '*', stream: 'x' }], unmatched: 'skip' } })));
    expect(kind.message).toBe('The sync "k" has settings that do not apply to its destination "events" (Kafka (127.0.0.1:9))');
  });
});
