// Before the app saves a destination edit, it asks which syncs the save would make start over
// (`previewDestinationSave`): the same answer the save acts on (`syncsStartingOver`), given without
// changing anything, with whether each runs now (the save is refused then).
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { ZERO_COUNTS } from '../sync/run-store';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { applyConfig } from '../config/config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const kafka = (name: string, topic: string, brokers = ['127.0.0.1:9']) => ({ kind: 'kafka' as const, name, brokers, topic });

/** `events` (Kafka topic `first`) with the syncs orders-to-x and people-to-x, and `other` with other-sync. */
async function setup() {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, 3);
  db.close();
  const sync = (name: string, destination: string) => `  - name: ${name}
    model: people
    destination: ${destination}
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }`;
  applyConfig(
    t.engine.db,
    t.engine.catalog,
    `version: 1
sources:
  - { kind: sqlite, name: db, path: ${JSON.stringify(file)} }
models:
  - { name: people, source: db, query: 'SELECT id, name FROM people', primaryKey: [id] }
destinations:
  - { kind: kafka, name: events, brokers: ["127.0.0.1:9"], topic: first }
  - { kind: kafka, name: other, brokers: ["127.0.0.1:9"], topic: first }
syncs:
${sync('people-to-x', 'events')}
${sync('orders-to-x', 'events')}
${sync('other-sync', 'other')}
`,
    'x.yaml',
  );
  // Each sync has delivered a row: starting over drops it.
  for (const s of t.engine.catalog.listSyncs()) {
    t.engine.db.prepare("INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, '[1]', '{}', '2026-01-01T00:00:00Z')").run(s.id);
  }
  const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);
  const snapshots = () =>
    Object.fromEntries(
      t.engine.catalog
        .listSyncs()
        .map((s) => [s.definition.name, (t.engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot WHERE sync_id = ?').get(s.id) as { n: number }).n]),
    );
  return { ...t, call, snapshots };
}

describe('previewDestinationSave', () => {
  it('names the syncs another topic makes start over, changes nothing, and the save then starts over exactly those', async () => {
    const { engine, call, snapshots } = await setup();
    const moved = kafka('events', 'second');
    expect(await call('previewDestinationSave', { destination: moved })).toEqual({
      startsOver: [
        { sync: 'orders-to-x', running: false },
        { sync: 'people-to-x', running: false },
      ],
    });
    // Asking saved nothing and dropped no snapshot.
    expect(engine.catalog.getDestination('events')).toMatchObject({ topic: 'first' });
    expect(snapshots()).toEqual({ 'orders-to-x': 1, 'other-sync': 1, 'people-to-x': 1 });

    expect(await call('saveDestination', { destination: moved, mode: 'update' })).toMatchObject({
      destination: moved,
      startedOver: ['orders-to-x', 'people-to-x'],
    });
    expect(snapshots()).toEqual({ 'orders-to-x': 0, 'other-sync': 1, 'people-to-x': 0 });
    // Saved, the same topic again starts nothing over.
    expect(await call('previewDestinationSave', { destination: moved })).toEqual({ startsOver: [] });
  });

  it('names none for the same place at another address, and for a new destination', async () => {
    const { call, snapshots } = await setup();
    const otherBrokers = kafka('events', 'first', ['127.0.0.1:10', '127.0.0.1:11']);
    expect(await call('previewDestinationSave', { destination: otherBrokers })).toEqual({ startsOver: [] });
    expect(await call('saveDestination', { destination: otherBrokers, mode: 'update' })).toMatchObject({ startedOver: [] });
    expect(await call('previewDestinationSave', { destination: kafka('brand-new', 'second') })).toEqual({ startsOver: [] });
    expect(snapshots()).toEqual({ 'orders-to-x': 1, 'other-sync': 1, 'people-to-x': 1 });
  });

  it('names another kind too, and says which sync runs now; the save is then refused naming it', async () => {
    const { engine, call, snapshots } = await setup();
    const sandbox = { kind: 'sandbox-kinesis' as const, name: 'events', stream: 'events', shards: 1 };
    const syncId = engine.catalog.getSync('people-to-x').id;
    const runId = engine.runs.create(syncId, false);
    expect(await call('previewDestinationSave', { destination: sandbox })).toEqual({
      startsOver: [
        { sync: 'orders-to-x', running: false },
        { sync: 'people-to-x', running: true },
      ],
    });
    const refused = await failure(call('saveDestination', { destination: sandbox, mode: 'update' }));
    expect(refused).toMatchObject({
      code: 'conflict',
      message: `The sync "people-to-x" is running (run ${runId}): the destination "events" cannot point at another stream or topic until the run ends (wait for it or cancel it, then save again)`,
    });
    expect(engine.catalog.getDestination('events').kind).toBe('kafka');
    expect(snapshots()).toEqual({ 'orders-to-x': 1, 'other-sync': 1, 'people-to-x': 1 });

    engine.runs.finish(runId, 'cancelled', ZERO_COUNTS, null);
    expect(await call('previewDestinationSave', { destination: sandbox })).toEqual({
      startsOver: [
        { sync: 'orders-to-x', running: false },
        { sync: 'people-to-x', running: false },
      ],
    });
  });

  it('refuses input that is not a destination, naming the field', async () => {
    const { call } = await setup();
    const refused = await failure(call('previewDestinationSave', { destination: { kind: 'kafka', name: 'events', brokers: [] } } as never));
    expect(refused.code).toBe('invalid-input');
    expect(refused.issues?.map((i) => i.path)).toContain('destination.brokers');
  });
});
