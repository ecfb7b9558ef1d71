import { afterEach, expect, it } from 'vitest';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { previewRouting } from './routing-preview';

// The routing preview renders a partition key that names the run (`{{ run.id }}`) with the id the next run
// gets: after the sync of the newest run was deleted too, where it said the highest id there was plus one
// (the deleted run's id, which the run no longer gets).

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

it("a partition key of the run's id: the preview's is the one the next run sends, after the sync of the newest run was deleted", async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, 3);
  db.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox' });
  const sync = (name: string) => ({
    name,
    model: 'people',
    destination: 'sandbox',
    triggers: ['added' as const],
    payload: { mode: 'template' as const, template: '{"id": {{ row.id }}}' },
    partitionKey: { kind: 'template' as const, template: 'run-{{ run.id }}' },
  });
  engine.catalog.putSync(sync('doomed'));
  const doomed = await engine.runSync('doomed');
  await callChannel(engine, 'deleteSync', { name: 'doomed' });
  engine.catalog.putSync(sync('after'));

  const preview = await previewRouting(engine, { sync: 'after', rows: { mode: 'first', count: 3 } });
  expect(preview.problem).toBeNull();
  const run = await engine.runSync('after');
  expect(run.id).toBeGreaterThan(doomed.id);
  const sent = engine.ledger.search({ runId: run.id, limit: 10 }).entries.map((e) => e.partitionKey);
  expect(sent).toEqual([`run-${run.id}`, `run-${run.id}`, `run-${run.id}`]);
  expect(preview.items.map((i) => i.partitionKey)).toEqual(sent);
}, 60_000);
