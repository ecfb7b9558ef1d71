import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestEngine } from '../../testing/engine';
import { startPgBouncer, type PgBouncerPeer } from '../../testing/peers/pgbouncer';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { putSandboxSync, sandboxReader } from '../../testing/sandbox-sync';

// A PostgreSQL source reached through a real PgBouncer in transaction mode (how hosted PostgreSQL is often
// offered: Supabase, Heroku, Crunchy Bridge): a client's server session is another client's between its
// transactions, and a startup parameter PgBouncer does not know is refused. The in-database diff asked
// for its lock wait as a startup parameter (lock_timeout): every run failed to connect,
// "unsupported startup parameter: lock_timeout".
let peer: PostgresPeer;
let bouncer: PgBouncerPeer;
const ENV = 'SLUICE_TEST_PG_POOLED_PASSWORD';
beforeAll(async () => {
  peer = await startPostgres();
  bouncer = await startPgBouncer(peer, { [peer.user]: peer.password });
  process.env[ENV] = peer.password;
  // (the in-database diff's join split across a second session at any size: a snapshot imported through the pooler)
  process.env.SLUICE_TEST_PG_SPLIT_FROM = '-1';
}, 120_000);
afterAll(async () => {
  delete process.env[ENV];
  delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
  await bouncer?.stop();
  await peer?.stop();
});

for (const diff of ['in-database', 'local'] as const) {
  it(`a ${diff} diff through PgBouncer in transaction mode: added, changed and removed rows, and rows recorded without sending`, async () => {
    const table = `pooled_${diff.replace('-', '_')}`;
    await peer.query(`CREATE TABLE ${table} (id int8 PRIMARY KEY, body text, d date)`);
    await peer.query(`INSERT INTO ${table} SELECT g, 'b' || g, DATE '2024-03-10' FROM generate_series(1, 3) g`);
    const t = await openTestEngine();
    try {
      const { engine } = t;
      const { host, port } = bouncer;
      engine.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database: peer.database, user: peer.user, password: { env: ENV }, ssl: false });
      engine.catalog.putModel({ name: 'm', source: 'pg', query: `SELECT id, body, d FROM ${table}`, primaryKey: ['id'], diff });
      const template = '{"e": {{ event | json }}, "id": {{ row.id }}, "body": {{ row.body | json }}, "d": {{ row.d | json }}}';
      const sendOn = (triggers: ('added' | 'changed' | 'removed')[]) => putSandboxSync(engine, { model: 'm', stream: table, template, more: { triggers } });
      sendOn(['added', 'changed', 'removed']);
      const read = sandboxReader(engine);
      expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { read: 3, acknowledged: 3 } });
      expect((await read()).map((r) => JSON.parse(r) as unknown)).toEqual(
        [1, 2, 3].map((id) => ({ e: 'added', id, body: `b${id}`, d: '2024-03-10T00:00:00.000Z' })),
      );
      await peer.query(`UPDATE ${table} SET body = 'new' WHERE id = 1`);
      await peer.query(`DELETE FROM ${table} WHERE id = 2`);
      await peer.query(`INSERT INTO ${table} VALUES (4, 'b4', NULL)`);
      expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 3 } });
      const second = (await read()).map((r) => JSON.parse(r) as { e: string; id: number });
      expect(second.map((r) => `${r.e} ${r.id}`).sort()).toEqual(['added 4', 'changed 1', 'removed 2']);
      // Only the change is sent; the addition is recorded without sending (its trigger off).
      sendOn(['changed']);
      await peer.query(`UPDATE ${table} SET body = 'newer' WHERE id = 3`);
      await peer.query(`INSERT INTO ${table} VALUES (5, 'b5', NULL)`);
      expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 1 } });
      expect((await read()).map((r) => (JSON.parse(r) as { id: number }).id)).toEqual([3]);
      // Nothing left to send: the addition was recorded.
      sendOn(['added', 'changed', 'removed']);
      expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 0 } });
    } finally {
      await t.close();
    }
  }, 120_000);
}

for (const diff of ['in-database', 'local'] as const) {
  it(`cancelling a run while PostgreSQL runs a ${diff} diff's query through PgBouncer cancels the query there: the run ends cancelled, nothing left running`, async () => {
    const t = await openTestEngine();
    const sleeping = async () =>
      (await peer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()`))
        .rows[0].n as number;
    try {
      const { engine } = t;
      const { host, port } = bouncer;
      engine.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database: peer.database, user: peer.user, password: { env: ENV }, ssl: false });
      const query = 'SELECT 1::int8 AS id, s::text AS body FROM pg_sleep(600) AS s';
      engine.catalog.putModel({ name: 'slow', source: 'pg', query, primaryKey: ['id'], diff });
      putSandboxSync(engine, { model: 'slow', stream: `slow-${diff}`, template: '{{ row | json }}' });
      const runId = engine.startRun('out');
      await expect.poll(sleeping, { timeout: 30_000 }).toBeGreaterThan(0);
      engine.cancelRun(runId);
      await engine.idle(); // (without the query cancelled, 600 s: the test's timeout fails it)
      expect(engine.runs.get(runId)).toMatchObject({ status: 'cancelled', counts: { acknowledged: 0 } });
      await expect.poll(sleeping, { timeout: 10_000 }).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
}

it("a pool of one server session, which the diff's transaction holds: rows recorded without sending go through the run's own connection, and the run succeeds", async () => {
  // (the recorder's connection is had at once, its server session never while the diff runs: it waited
  // for the pooler's query_wait_timeout, 2 minutes, and failed the run)
  const single = await startPgBouncer(peer, { [peer.user]: peer.password }, 'transaction', 1);
  await peer.query(`CREATE TABLE single_pool (id int8 PRIMARY KEY, body text)`);
  await peer.query(`INSERT INTO single_pool SELECT g, 'b' || g FROM generate_series(1, 3000) g`);
  const t = await openTestEngine();
  delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
  try {
    const { engine } = t;
    const { host, port } = single;
    engine.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database: peer.database, user: peer.user, password: { env: ENV }, ssl: false });
    engine.catalog.putModel({ name: 'm', source: 'pg', query: 'SELECT id, body FROM single_pool', primaryKey: ['id'], diff: 'in-database' });
    putSandboxSync(engine, { model: 'm', stream: 'single-pool', template: '{{ row | json }}', more: { initialSync: 'baseline' } });
    expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { read: 3000, acknowledged: 0 } });
    await peer.query(`UPDATE single_pool SET body = 'new' WHERE id = 7`);
    expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { changed: 1, unchanged: 2999, acknowledged: 1 } });
  } finally {
    process.env.SLUICE_TEST_PG_SPLIT_FROM = '-1';
    await t.close();
    await single.stop();
  }
}, 90_000);

it('a wrong password through PgBouncer is said to be wrong (PgBouncer refuses it as "SASL authentication failed", which read as no password given)', async () => {
  const t = await openTestEngine();
  process.env.SLUICE_TEST_PG_POOLED_WRONG = 'not-the-password';
  try {
    const { engine } = t;
    const { host, port } = bouncer;
    const password = { env: 'SLUICE_TEST_PG_POOLED_WRONG' };
    engine.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database: peer.database, user: peer.user, password, ssl: false });
    engine.catalog.putModel({ name: 'm', source: 'pg', query: 'SELECT 1::int8 AS id', primaryKey: ['id'] });
    putSandboxSync(engine, { model: 'm', stream: 'wrong-password', template: '{{ row | json }}' });
    const run = await engine.runSync('out');
    expect(run.status).toBe('failed');
    expect(run.error).toContain('the password is wrong');
    expect(run.error).not.toContain('not-the-password');
  } finally {
    delete process.env.SLUICE_TEST_PG_POOLED_WRONG;
    await t.close();
  }
}, 60_000);
