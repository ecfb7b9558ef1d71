// A test record cancelled while its row is still being read from the model (a large model's scan takes a
// while, a slow server longer): nothing is sent, and the send answers as cancelled. The cancel was lost
// (`cancelled: false`, the attempt not known yet), and the record was sent anyway.
import { afterEach, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { sendTestRecord } from './test-record';
import { cancelTestRecord } from './test-record-wait';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

it('a cancel while the row is read gives the test record up before anything is sent', async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const e = t.engine;
  const { file, db } = createPeopleDb(t.dir, 5);
  db.close();
  e.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  e.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  e.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'out', stream: 's', shards: 1 });
  const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };
  e.catalog.putSync({ name: 'to-out', model: 'people', destination: 'out', triggers: ['added'], initialSync: 'backfill', payload });

  const sent = sendTestRecord(e, { sync: 'to-out', payload, key: '1', event: 'added', attempt: 'early' } as never).then(
    () => null,
    (err: unknown) => err,
  );
  // The send is reading its row now: the cancel is heard.
  expect(cancelTestRecord(e, 'early')).toEqual({ cancelled: true });
  const error = await sent;
  expect(error).toBeInstanceOf(SluiceError);
  expect((error as SluiceError).code).toBe('cancelled');
  const records = async () => {
    const read = await e.dispatcher.dispatch('inspectRead', { destination: 'out', limit: 50 } as never, trusted);
    return read.ok ? (read.value as { records: unknown[] }).records.length : -1;
  };
  expect(await records()).toBe(0);
  // Not cancelled, the same send lands.
  await sendTestRecord(e, { sync: 'to-out', payload, key: '1', event: 'added', attempt: 'late' } as never);
  expect(await records()).toBe(1);
});
