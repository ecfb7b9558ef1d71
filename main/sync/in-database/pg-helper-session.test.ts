import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { DiffCancelled, PgSnapshot } from './pg-snapshot';

// The join's helper session (pg-helper-session.ts) made slowly: a TCP proxy in front of a real
// PostgreSQL holds the second connection it takes for 3 s (a slow pooler or handshake).
let peer: PostgresPeer;
let proxy: net.Server;
let connections = 0;
beforeAll(async () => {
  peer = await startPostgres();
  proxy = net.createServer((sock) => {
    const n = ++connections;
    sock.pause();
    setTimeout(
      () => {
        const up = net.connect(peer.port, peer.host, () => {
          sock.pipe(up);
          up.pipe(sock);
          sock.resume();
        });
        up.on('error', () => sock.destroy());
        sock.on('error', () => up.destroy());
      },
      n === 2 ? 3000 : 0,
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  await peer.query('CREATE TABLE base (id int8, v text)');
  await peer.query(`INSERT INTO base SELECT g, 'v' || g FROM generate_series(1, 2000) g`);
  // 6 s to read whole, per session.
  await peer.query('CREATE VIEW slow AS SELECT id, v FROM base WHERE pg_sleep(0.003) IS NOT NULL');
}, 120_000);
afterAll(async () => {
  proxy?.close();
  await peer?.stop();
});

it('a cancel while the helper session connects stops the diff once it has connected, without running the join', async () => {
  process.env.SLUICE_TEST_PG_SPLIT_FROM = '-1';
  const port = (proxy.address() as net.AddressInfo).port;
  const source = { kind: 'postgres' as const, name: 'pg', host: '127.0.0.1', port, database: peer.database, user: peer.user, ssl: false };
  const snapshot = await PgSnapshot.open(source, peer.password, 'snap');
  try {
    await peer.query(`INSERT INTO sluice_state.snap SELECT g::text, g::text, 0, '{}' FROM generate_series(1, 2000) g`);
    const abort = new AbortController();
    const model = { name: 'm', source: 'pg', query: 'SELECT id, v FROM slow', primaryKey: ['id'] };
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      abort.abort();
    }, 1000); // (the helper's connection is held until 3 s)
    const outcome = await snapshot
      .diff(
        model,
        () => undefined,
        () => undefined,
        () => undefined,
        abort.signal,
      )
      .then(
        () => 'completed',
        (err: unknown) => err,
      );
    expect(outcome).toBeInstanceOf(DiffCancelled);
    expect(Date.now() - abortedAt).toBeLessThan(4000); // (the join would have taken 6 s more)
    expect(connections).toBeGreaterThanOrEqual(2);
  } finally {
    delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
    await snapshot.close();
  }
}, 60_000);
