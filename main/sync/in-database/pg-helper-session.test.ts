import net from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { DiffCancelled, PgSnapshot } from './pg-snapshot';

// The join's helper session (pg-helper-session.ts) through a TCP proxy in front of a real PostgreSQL,
// which can hold the second connection a diff takes for 3 s (a slow pooler or handshake), or stop
// passing its packets, without closing it, once it sends a given statement (a NAT or VPN that dropped
// the flow: the server answers, the answer never arrives).
let peer: PostgresPeer;
let proxy: net.Server;
let connections = 0;
let slowHelperConnect = false;
let stallHelperOn: string | undefined;
beforeAll(async () => {
  peer = await startPostgres();
  proxy = net.createServer((sock) => {
    const n = ++connections;
    sock.pause();
    let stalled = false;
    setTimeout(
      () => {
        const up = net.connect(peer.port, peer.host, () => {
          sock.on('data', (d: Buffer) => {
            if (n === 2 && stallHelperOn !== undefined && d.toString('latin1').includes(stallHelperOn)) stalled = true;
            if (!stalled) up.write(d);
          });
          up.on('data', (d: Buffer) => {
            if (!stalled) sock.write(d);
          });
          sock.resume();
        });
        up.on('error', () => sock.destroy());
        // (the server's close passed on, as any TCP path does: a cancel request's connection waits for it)
        up.on('end', () => sock.end());
        sock.on('error', () => up.destroy());
        sock.on('close', () => up.destroy());
      },
      n === 2 && slowHelperConnect ? 3000 : 0,
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  await peer.query('CREATE TABLE base (id int8, v text)');
  await peer.query(`INSERT INTO base SELECT g, 'v' || g FROM generate_series(1, 2000) g`);
  // 6 s to read whole, per session.
  await peer.query('CREATE VIEW slow AS SELECT id, v FROM base WHERE pg_sleep(0.003) IS NOT NULL');
  // 6 s to read whole in a read-only transaction (the helper's join), at once in the diff's session's own join.
  await peer.query(`CREATE FUNCTION slow_helper() RETURNS bool LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN current_setting('transaction_read_only') = 'on' THEN pg_sleep(0.003) IS NOT NULL ELSE true END $$`);
  // As slow_helper, and as slow when the diff's session joins the helper's half itself (any join but its first, which makes the table).
  await peer.query(`CREATE FUNCTION slow_but_first() RETURNS bool LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN current_setting('transaction_read_only') = 'on' OR current_query() NOT LIKE '%CREATE TEMP TABLE%' THEN pg_sleep(0.003) IS NOT NULL ELSE true END $$`);
}, 120_000);
afterAll(async () => {
  proxy?.close();
  await peer?.stop();
});
afterEach(() => {
  connections = 0;
  slowHelperConnect = false;
  stallHelperOn = undefined;
  delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
  delete process.env.SLUICE_TEST_PG_HELPER_GRACE_MS;
});

/** A diff of `query` (split), cancelled after `abortAfter` ms if given: its outcome and how long after the cancel (or its start) it took. */
async function diffThroughProxy(table: string, query: string, abortAfter?: number, user = peer.user): Promise<{ outcome: unknown; ms: number }> {
  process.env.SLUICE_TEST_PG_SPLIT_FROM = '-1';
  const port = (proxy.address() as net.AddressInfo).port;
  const source = { kind: 'postgres' as const, name: 'pg', host: '127.0.0.1', port, database: peer.database, user, ssl: false };
  const snapshot = await PgSnapshot.open(source, peer.password, table);
  try {
    await peer.query(`INSERT INTO sluice_state.${table} SELECT g::text, g::text, 0, '{}' FROM generate_series(1, 2000) g`);
    const abort = new AbortController();
    let from = Date.now();
    if (abortAfter !== undefined)
      setTimeout(() => {
        from = Date.now();
        abort.abort();
      }, abortAfter);
    const model = { name: 'm', source: 'pg', query, primaryKey: ['id'] };
    const outcome = await snapshot
      .diff(
        model,
        () => undefined,
        () => undefined,
        () => undefined,
        abort.signal,
      )
      .then(
        (diff) => diff.join,
        (err: unknown) => err,
      );
    return { outcome, ms: Date.now() - from };
  } finally {
    await snapshot.close();
  }
}

it('a cancel while the helper session connects stops the diff once it has connected, without running the join', async () => {
  slowHelperConnect = true;
  const { outcome, ms } = await diffThroughProxy('snap', 'SELECT id, v FROM slow', 1000); // (the helper's connection is held until 3 s)
  expect(outcome).toBeInstanceOf(DiffCancelled);
  expect(ms).toBeLessThan(4000); // (the join would have taken 6 s more)
  expect(connections).toBeGreaterThanOrEqual(2);
}, 60_000);

it.each([
  ['in its join', 'EXPLAIN'],
  ['in the copy of its rows', 'FETCH'],
])(
  'a helper whose connection goes quiet %s: a cancel ends the diff at once',
  async (_, statement) => {
    stallHelperOn = statement;
    const { outcome, ms } = await diffThroughProxy(`quiet_${statement.toLowerCase()}`, 'SELECT id, v FROM base', 1500);
    // Before: still waiting for the helper's answer, the cancel unheard, long after.
    expect(outcome).toBeInstanceOf(DiffCancelled);
    expect(ms).toBeLessThan(2000);
  },
  30_000,
);

it("a helper whose connection goes quiet, not cancelled: past its grace, the diff's own session joins its half", async () => {
  stallHelperOn = 'EXPLAIN';
  process.env.SLUICE_TEST_PG_HELPER_GRACE_MS = '1500';
  const { outcome } = await diffThroughProxy('quiet_grace', 'SELECT id, v FROM base');
  expect(outcome).toMatchObject({ read: 2000, snapshot: 2000, matched: 2000, sessions: 1, gaveBack: 'join' });
}, 30_000);

it("a cancel while the diff's session waits for a slower helper ends the diff at once, without joining the helper's half itself", async () => {
  const { outcome, ms } = await diffThroughProxy('waiting', 'SELECT id, v FROM base WHERE slow_but_first()', 1500);
  // (Before: the cancel ended the helper's join, taken for a helper that gave its half back, and the diff's session joined that half itself: 6 s more.)
  expect(outcome).toBeInstanceOf(DiffCancelled);
  expect(ms).toBeLessThan(2000);
}, 30_000);

it("a role's idle_in_transaction_session_timeout does not end the diff's session while it waits for the helper", async () => {
  await peer.query(`CREATE ROLE idler LOGIN SUPERUSER PASSWORD '${peer.password.replace(/'/g, "''")}'`);
  await peer.query(`ALTER ROLE idler SET idle_in_transaction_session_timeout = '1s'`);
  const { outcome } = await diffThroughProxy('idle', 'SELECT id, v FROM base WHERE slow_helper()', undefined, 'idler');
  expect(outcome).toMatchObject({ read: 2000, matched: 2000, sessions: 2 });
}, 30_000);
