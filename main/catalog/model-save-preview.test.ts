// Before the app saves a model (and after `sluice apply` changed one), it asks which syncs on the model name
// columns the model's query no longer returns (`previewModelSave`): their next runs would stop for it
// (`missingColumnsProblem`). Asked of a real SQLite file through the dispatcher, changing nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { Model } from '../../shared/config/source';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const people = (query: string): Model => ({ name: 'people', source: 'db', query, primaryKey: ['id'] });

/** `people` (id, name, score, tags) sent by `mapped` (score as "amount") and `json` (tags, keyed by name); `others` by `elsewhere`. */
async function setup() {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, 3);
  db.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel(people('SELECT id, name, score, tags FROM people'));
  engine.catalog.putModel({ name: 'others', source: 'db', query: 'SELECT id, score FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'model-save-preview' });
  const base = { destination: 'sb', triggers: ['added' as const, 'changed' as const] };
  const fields = [
    { column: 'id', key: 'id' },
    { column: 'score', key: 'amount' },
  ];
  engine.catalog.putSync({ ...base, name: 'mapped', model: 'people', payload: { mode: 'mapping', fields } });
  engine.catalog.putSync({
    ...base,
    name: 'json',
    model: 'people',
    payload: { mode: 'json-column', column: 'tags' },
    partitionKey: { kind: 'column', column: 'name' },
  });
  engine.catalog.putSync({ ...base, name: 'elsewhere', model: 'others', payload: { mode: 'mapping', fields } });
  const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(engine, channel, input);
  return { ...t, call };
}

describe('what saving a model does to its syncs, asked first', () => {
  it('a query that drops a mapped column names the sync, the column and where it is used; the model stays as it was', async () => {
    const { call, engine } = await setup();
    const answer = await call('previewModelSave', { model: people('SELECT id, name, tags FROM people') });
    expect(answer).toEqual({
      syncs: [
        {
          sync: 'mapped',
          missing: [{ column: 'score', where: "its payload's field 2 (amount)" }],
          message:
            'The sync "mapped" uses the column "score" (its payload\'s field 2 (amount)), which the model "people" does not have (its columns: id, name, tags): its next run will stop before sending anything; choose another in the sync\'s payload or settings, or add it to the model.',
        },
      ],
    });
    // Only asked: the saved model still returns score, and a run of the sync would not stop.
    expect(engine.catalog.getModel('people').query).toBe('SELECT id, name, score, tags FROM people');
  });

  it('every sync that loses a column is named, each with all of its missing columns', async () => {
    const { call } = await setup();
    const answer = await call('previewModelSave', { model: people('SELECT id FROM people') });
    // In the order of the syncs' names.
    expect(answer.syncs.map((s) => [s.sync, s.missing])).toEqual([
      [
        'json',
        [
          { column: 'tags', where: 'its payload (one JSON column)' },
          { column: 'name', where: 'its partition key' },
        ],
      ],
      ['mapped', [{ column: 'score', where: "its payload's field 2 (amount)" }]],
    ]);
    expect(answer.syncs[0]!.message).toBe(
      'The sync "json" uses the columns "tags" (its payload (one JSON column)), "name" (its partition key), which the model "people" does not have (its columns: id): its next run will stop before sending anything; choose others in the sync\'s payload or settings, or add them to the model.',
    );
  });

  it('the same columns, other rows, or columns added: nothing to say', async () => {
    const { call } = await setup();
    const none = { syncs: [] };
    expect(await call('previewModelSave', { model: people('SELECT id, name, score, tags FROM people') })).toEqual(none);
    expect(await call('previewModelSave', { model: people('SELECT id, name, score, tags FROM people WHERE id > 1') })).toEqual(none);
    expect(await call('previewModelSave', { model: people("SELECT *, 'x' AS extra FROM people") })).toEqual(none);
    // A new model has no syncs yet.
    expect(await call('previewModelSave', { model: { ...people('SELECT id FROM people'), name: 'fresh' } })).toEqual(none);
  });

  it('a query that cannot be read is refused as the preview refuses it', async () => {
    const { call } = await setup();
    const refused = await failure(call('previewModelSave', { model: people('SELECT id, nope FROM people') }));
    expect(refused.message).toMatch(/no such column: nope/);
  });
});
