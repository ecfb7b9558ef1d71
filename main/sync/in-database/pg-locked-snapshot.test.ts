import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestEngine } from '../../testing/engine';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { PgOutbox } from './pg-outbox';
import { recordedSnapshotTable } from './snapshot-table';

// Another session holds a lock on the sync's snapshot table (an open transaction: a person's, or the
// backend of a run whose client vanished mid write-back — a laptop asleep, a network gone — which
// PostgreSQL keeps until TCP keepalive gives up, about 2 h; or a pg_dump reading the table). Before, the
// run's writes waited as long as that session (no lock_timeout) and did not hear the run's cancel: the
// run hung, a cancel did nothing, and quitting the app waited forever. Each case cancels the run once it
// waits for the lock: it must end at once (and would end anyway once its write's lock wait ran out).
let peer: PostgresPeer;
const ENV = 'SLUICE_TEST_PG_LOCKED_PASSWORD';
beforeAll(async () => {
  peer = await startPostgres();
  process.env[ENV] = peer.password;
}, 120_000);
afterAll(async () => peer?.stop());

async function setup(table: string, triggers: ('added' | 'changed' | 'removed')[]) {
  await peer.query(`CREATE TABLE ${table} (id int8 PRIMARY KEY, body text)`);
  await peer.query(`INSERT INTO ${table} SELECT g, 'b' || g FROM generate_series(1, 20) g`);
  const t = await openTestEngine();
  const { engine } = t;
  engine.catalog.putSource({
    kind: 'postgres',
    name: 'pg',
    host: peer.host,
    port: peer.port,
    database: peer.database,
    user: peer.user,
    password: { env: ENV },
    ssl: false,
  });
  engine.catalog.putModel({ name: 'm', source: 'pg', query: `SELECT id, body FROM ${table}`, primaryKey: ['id'], diff: 'in-database' });
  // (no broker: nothing is sent in these runs)
  engine.catalog.putDestination({ kind: 'kafka', name: 'k', brokers: ['127.0.0.1:1'], topic: 't' });
  engine.catalog.putSync({
    name: 's',
    model: 'm',
    destination: 'k',
    triggers,
    initialSync: 'baseline',
    payload: { mode: 'template', template: '{{ row | json }}' },
  });
  // First run: a baseline records all 20 rows in the snapshot table, sends nothing.
  const first = await engine.runSync('s');
  expect(first).toMatchObject({ status: 'succeeded', counts: { read: 20, acknowledged: 0 } });
  const syncId = (engine.db.prepare("SELECT id FROM syncs WHERE name = 's'").get() as { id: number }).id;
  return { t, syncId, snapshot: `sluice_state.${recordedSnapshotTable(engine.db, syncId)!}` };
}

async function locker(snapshot: string): Promise<pg.Client> {
  const c = new pg.Client({ host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password });
  await c.connect();
  await c.query('BEGIN');
  await c.query(`SELECT * FROM ${snapshot} WHERE pk = '1' FOR UPDATE`);
  return c;
}

/** `cancelEnds` with another session (`holder`) holding its lock, let go of at the end either way. */
async function cancelledWhileHeld(t: Awaited<ReturnType<typeof openTestEngine>>, holder: pg.Client): Promise<void> {
  try {
    expect(await cancelEnds(t)).toEqual({ ended: true, status: 'cancelled' });
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
    await t.close();
  }
}

/** Starts a run, cancels it once it waits for the other session's lock, and answers whether it ended within 2 s of the cancel (and how). */
async function cancelEnds(t: Awaited<ReturnType<typeof openTestEngine>>): Promise<{ ended: boolean; status: string | undefined }> {
  const runId = t.engine.startRun('s');
  for (let waiting = 0; waiting === 0;) {
    waiting = (await peer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n;
  }
  t.engine.cancelRun(runId);
  const ended = await Promise.race([t.engine.idle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
  await t.engine.idle();
  return { ended, status: t.engine.runs.get(runId)?.status };
}

it("a killed run's outbox flushed at the next run's start, onto a locked snapshot row: a cancel ends the run at once", async () => {
  const { t, syncId, snapshot } = await setup('outbox_lock', ['added', 'changed', 'removed']);
  // What a killed run leaves: a delivered record's entry for key 1.
  new PgOutbox(t.engine.db, syncId).put({ key: '1', event: 'changed', row: '{"id":1,"body":"new"}', pg: { key: '1', fp: '42' } });
  await cancelledWhileHeld(t, await locker(snapshot));
}, 60_000);

it('rows recorded without sending (a trigger off), onto a locked snapshot row: a cancel ends the run at once', async () => {
  const { t, snapshot } = await setup('direct_lock', ['added']);
  await peer.query(`UPDATE direct_lock SET body = 'v2' WHERE id = 1`); // a change: its trigger is off -> recorded directly
  await cancelledWhileHeld(t, await locker(snapshot));
}, 60_000);

it('after a reset, the old snapshot table read by another session (pg_dump, a report): a cancel ends the run at once', async () => {
  const { t, snapshot } = await setup('drop_lock', ['added', 'changed', 'removed']);
  const { resetSyncSnapshot } = await import('../sync-admin');
  resetSyncSnapshot(t.engine, 's');
  const reader = new pg.Client({ host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password });
  await reader.connect();
  await reader.query('BEGIN');
  await reader.query(`SELECT count(*) FROM ${snapshot}`); // ACCESS SHARE until the transaction ends (as pg_dump holds it)
  await cancelledWhileHeld(t, reader);
}, 60_000);
