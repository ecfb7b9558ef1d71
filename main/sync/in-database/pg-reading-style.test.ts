import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { PgSnapshot } from './pg-snapshot';

// The in-database diff reads a model's dates and intervals in the style the model reader parses, for its
// transaction only: through a pooler that shares server sessions between clients (PgBouncer in
// transaction mode), a style set for the session went on to the session's next client.
let peer: PostgresPeer;
beforeAll(async () => {
  peer = await startPostgres();
  await peer.query(`CREATE ROLE pooled LOGIN PASSWORD 'pooled-pw'`);
  await peer.query(`ALTER ROLE pooled SET DateStyle = 'SQL, DMY'`);
  await peer.query(`ALTER ROLE pooled SET IntervalStyle = 'iso_8601'`);
  await peer.query('CREATE SCHEMA sluice_state AUTHORIZATION pooled');
  await peer.query('CREATE TABLE dated (id int8, d date, t timestamp, i interval)');
  await peer.query(`INSERT INTO dated VALUES (1, '2024-03-10', '2024-03-10 02:30:00.5', '1 day 2 hours'), (2, '0044-03-15 BC', NULL, NULL)`);
  await peer.query('GRANT SELECT ON dated TO pooled');
}, 120_000);
afterAll(async () => {
  await peer?.stop();
});

it("reads dates and intervals in ISO form under a role whose styles differ, and leaves the session's styles as they were once the diff ends", async () => {
  const source = { kind: 'postgres' as const, name: 'pg', host: peer.host, port: peer.port, database: peer.database, user: 'pooled', ssl: false };
  const snapshot = await PgSnapshot.open(source, 'pooled-pw', 'dated_sync');
  // The server session under the diff, as the next client of a pooler would have it.
  const session = (snapshot as unknown as { client: pg.Client }).client;
  const styles = async () => (await session.query(`SELECT current_setting('DateStyle') AS d, current_setting('IntervalStyle') AS i`)).rows[0];
  try {
    const rows: unknown[] = [];
    const model = { name: 'dated', source: 'pg', query: 'SELECT * FROM dated ORDER BY id', primaryKey: ['id'] };
    const diff = await snapshot.diff(
      model,
      (items) => rows.push(...items.map((item) => JSON.parse(item.row))),
      () => undefined,
      () => undefined,
    );
    expect(diff.added).toBe(2);
    expect(rows).toEqual([
      { id: 1, d: '2024-03-10T00:00:00.000Z', t: '2024-03-10T02:30:00.500Z', i: { days: 1, hours: 2 } },
      { id: 2, d: '-000043-03-15T00:00:00.000Z', t: null, i: null },
    ]);
    expect(await styles()).toEqual({ d: 'SQL, DMY', i: 'iso_8601' });
  } finally {
    await snapshot.close();
  }
});
