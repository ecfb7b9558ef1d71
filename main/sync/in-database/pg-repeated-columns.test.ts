import { afterAll, beforeAll, expect, it } from 'vitest';
import { callChannelOrThrowWire, failure } from '../../testing/call-channel';
import { openTestEngine } from '../../testing/engine';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { recordedSnapshotTable } from './snapshot-table';

// A PostgreSQL model whose query returns two columns of one name (`SELECT c.id, c.name, o.id …`), against a real
// server: the model editor refuses it, and a run of one saved before fails before sending anything, the local
// differ's snapshot and the in-database diff's snapshot table as they were. It sent "id" with the order's id.

let pg: PostgresPeer;
const PASSWORD_ENV = 'SLUICE_TEST_PG_REPEATED_PASSWORD';
beforeAll(async () => {
  pg = await startPostgres();
  process.env[PASSWORD_ENV] = pg.password;
  await pg.query(`CREATE TABLE customers (id int8, name text); INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bo');
    CREATE TABLE orders (id int8, customer_id int8, total numeric); INSERT INTO orders VALUES (10, 1, 5), (11, 1, 7), (12, 2, 9);`);
}, 300_000);
afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await pg?.stop();
});

const JOIN = 'SELECT c.id, c.name, o.id, o.total FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id';
const refusal = (model: string) =>
  `The query of model "${model}" returns "id" twice (columns 1 and 3): a row holds one value per name, so only the last would be sent, in the first one's place. Give one of them another name with AS (e.g. o.id AS order_id)`;

it('the model editor refuses the query, and a run of a model saved before fails before sending, with either diff, its snapshot untouched', async () => {
  const t = await openTestEngine({ seedDemo: false });
  try {
    const { engine } = t;
    engine.catalog.putSource({
      kind: 'postgres',
      name: 'pg',
      host: pg.host,
      port: pg.port,
      database: pg.database,
      user: pg.user,
      password: { env: PASSWORD_ENV },
      ssl: false,
    });
    const draft = await failure(callChannelOrThrowWire(engine, 'previewModelDraft', { source: 'pg', query: JOIN, limit: 5 }));
    expect(draft.message).toBe(refusal('orders').replace('The query of model "orders"', 'The query'));
    const save = await failure(
      callChannelOrThrowWire(engine, 'saveModel', { model: { name: 'orders', source: 'pg', query: JOIN, primaryKey: ['id'] }, mode: 'create' }),
    );
    expect(save.message).toBe(refusal('orders'));

    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'pg-repeated-columns' });
    for (const diff of ['local', 'in-database'] as const) {
      engine.catalog.putModel({ name: diff, source: 'pg', query: 'SELECT id, total FROM orders', primaryKey: ['id'], diff });
      engine.catalog.putSync({
        name: diff,
        model: diff,
        destination: 'sb',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template: '{{ row | json }}' },
      });
      expect((await engine.runSync(diff)).counts).toMatchObject({ acknowledged: 3 });
      const syncId = engine.catalog.getSync(diff).id;
      const table = recordedSnapshotTable(engine.db, syncId);
      const state = async () => ({
        snapshot: engine.db.prepare('SELECT key, row FROM snapshot WHERE sync_id = ? ORDER BY key').all(syncId),
        ledger: engine.db.prepare('SELECT COUNT(*) AS n FROM ledger WHERE sync_id = ?').get(syncId),
        table: table ? (await pg.query(`SELECT * FROM sluice_state.${table} ORDER BY 1`)).rows : null,
      });
      const before = await state();
      if (diff === 'in-database') expect(before.table).toHaveLength(3);

      // Saved by an earlier build, which took it.
      engine.catalog.putModel({ name: diff, source: 'pg', query: JOIN, primaryKey: ['id'], diff });
      const run = await engine.runSync(diff);
      expect({ status: run.status, error: run.error }).toEqual({ status: 'failed', error: refusal(diff) });
      expect(run.counts).toMatchObject({ acknowledged: 0, failed: 0 });
      expect(await state()).toEqual(before);
    }
  } finally {
    await t.close();
  }
}, 120_000);
