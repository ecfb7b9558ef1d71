// A Kafka sync that sends removed rows as tombstones with a key that is never there: every removed row of its
// runs was refused ("a tombstone needs a key"). `sluice apply`, the sync settings' save and the payload editor's
// save refuse it up front, naming the sync and the two fields.
import { afterEach, describe, expect, it } from 'vitest';
import type { Sync } from '../../shared/config/sync';
import { SluiceError, type WireError } from '../../shared/ipc/errors';
import type { Engine } from '../engine/engine';
import { openTestEngine, trusted } from '../testing/engine';
import { applyConfig } from './config-file';

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
  - { kind: kafka, name: bus, brokers: ["kafka.internal:9092"], topic: customers }
syncs:
  - name: gone
    model: customers
    destination: bus
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`;

function refusal(engine: Engine, yaml: string): SluiceError {
  try {
    applyConfig(engine.db, engine.catalog, yaml, 'x.yaml');
  } catch (err) {
    if (err instanceof SluiceError) return err;
    throw err;
  }
  throw new Error('the file was applied');
}

describe('tombstones with no key', () => {
  it('sluice apply refuses them, naming the sync, its line and both fields; nothing is applied', async () => {
    const { engine, close } = await openTestEngine();
    closers.push(close);
    const keyless = refusal(engine, `${HEAD}    triggers: [added, removed]\n    kafka: { key: { kind: none }, tombstones: true }\n`);
    expect(keyless.message).toBe(
      'x.yaml, syncs[0] (line 9): The sync "gone" sends removed rows as Kafka tombstones (kafka.tombstones: true), and a tombstone needs a key, ' +
        'but the sync sends its records without one (kafka.key: none): every removed row would be refused. Choose a key, or turn tombstones off',
    );
    expect(keyless.issues.map((i) => i.path)).toEqual(['syncs.0.kafka.tombstones', 'syncs.0.kafka.key']);
    expect(engine.catalog.listSyncs()).toEqual([]);
    expect(engine.catalog.listModels()).toEqual([]);

    // A key template of blank text renders empty for every row (the key is trimmed): the same.
    const blank = refusal(engine, `${HEAD}    triggers: [removed]\n    kafka: { key: { kind: template, template: "  " }, tombstones: true }\n`);
    expect(blank.message).toContain(
      'but the key template is blank, so the key is empty for every row (kafka.key.template): every removed row would be refused',
    );
    expect(engine.catalog.listSyncs()).toEqual([]);

    // Without removals it sends no tombstones; with a key that may be there (a column, a template with Liquid), the run judges each row.
    for (const extra of [
      '    triggers: [added, changed]\n    kafka: { key: { kind: none }, tombstones: true }\n',
      '    triggers: [removed]\n    kafka: { key: { kind: template, template: "{{ row.part }}" }, tombstones: true }\n',
      '    triggers: [removed]\n    kafka: { key: { kind: none }, tombstones: false }\n',
    ])
      expect(applyConfig(engine.db, engine.catalog, HEAD + extra)).toMatchObject({ syncs: 1 });
  });

  it("the sync settings' save and the payload editor's save refuse them too, naming the form's field; the sync stays as saved", async () => {
    const { engine, close } = await openTestEngine();
    closers.push(close);
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: '/data/people.sqlite' });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'kafka', name: 'bus', brokers: ['127.0.0.1:9'], topic: 'people' });
    const saved: Sync = engine.catalog.putSync({
      name: 'gone',
      model: 'people',
      destination: 'bus',
      triggers: ['added', 'removed'],
      payload: { mode: 'template', template: '{}' },
      kafka: { key: { kind: 'none' }, headers: [], tombstones: false },
    }).definition;
    const refused = async (channel: 'updateSyncSettings' | 'saveSync', input: unknown): Promise<WireError> => {
      const r = await engine.dispatcher.dispatch(channel, input as never, trusted);
      if (r.ok) throw new Error(`${channel} was not refused`);
      return r.error;
    };
    const settings = { model: 'people', destination: 'bus', triggers: ['added', 'removed'], initialSync: 'backfill', kafkaTombstones: true };
    const form = await refused('updateSyncSettings', { name: 'gone', settings });
    expect(form.message).toMatch(
      /^The sync "gone" sends removed rows as Kafka tombstones \(kafka.tombstones: true\), and a tombstone needs a key, but the sync sends its records without one \(kafka.key: none\)/,
    );
    expect(form.issues?.map((i) => i.path)).toEqual(['settings.kafkaTombstones', 'kafka.key']);
    const editor = await refused('saveSync', { ...saved, kafka: { ...saved.kafka!, tombstones: true } });
    expect(editor.issues?.map((i) => i.path)).toEqual(['kafka.tombstones', 'kafka.key']);
    expect(engine.catalog.getSync('gone').definition.kafka).toEqual(saved.kafka);
  });
});
