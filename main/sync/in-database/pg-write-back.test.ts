import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshOutbox } from '../../testing/pg-outbox';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import type { PgOutbox } from './pg-outbox';
import { snapshotWrites } from './pg-snapshot-writes';
import { WRITE_LOCK_WAIT_MS, writeBack, writeBackBeside } from './pg-write-back';

// The outbox written to a snapshot table on a real PostgreSQL, by the run's connection and a second one
// beside it (pg-write-back.ts): every entry lands once, by place where its place still holds its key.

let peer: PostgresPeer;
let client: pg.Client;
let config: pg.ClientConfig;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  peer = await startPostgres();
  config = { host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password };
  client = new pg.Client(config);
  await client.connect();
  await peer.query('CREATE SCHEMA sluice_state');
}, 120_000);
afterAll(async () => {
  await client?.end();
  await peer?.stop();
});
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

/** A snapshot table holding keys 1..`rows` (fingerprint 0, row '{}'), and an empty outbox of a sync. */
async function tableAndOutbox(table: string, rows: number): Promise<{ qualified: string; outbox: PgOutbox }> {
  const qualified = `sluice_state.${table}`;
  await peer.query(`CREATE TABLE ${qualified} (pk text PRIMARY KEY, key text NOT NULL, fp int8 NOT NULL, row text NOT NULL) WITH (fillfactor = 90)`);
  await peer.query(`INSERT INTO ${qualified} SELECT g::text, g::text, 0, '{}' FROM generate_series(1, ${rows}) g`);
  const { outbox, cleanup } = freshOutbox();
  cleanups.push(cleanup);
  return { qualified, outbox };
}

const changed = (i: number, at?: string) => ({
  key: String(i),
  event: 'changed' as const,
  row: `{"id":${i}}`,
  pg: { key: String(i), fp: String(i), ...(at ? { at } : {}) },
});

describe('the write-back', () => {
  it('two connections side by side write every entry once: changed keys by place, added keys, removals', async () => {
    const { qualified, outbox } = await tableAndOutbox('side_by_side', 6000);
    const places = new Map((await peer.query(`SELECT pk, ctid::text AS at FROM ${qualified}`)).rows.map((r: { pk: string; at: string }) => [r.pk, r.at]));
    for (let i = 1; i <= 5900; i++) outbox.put(changed(i, places.get(String(i))));
    for (let i = 5901; i <= 6000; i++) outbox.put({ key: String(i), event: 'removed', row: '{}', pg: { key: String(i), fp: '' } });
    for (let i = 6001; i <= 12_000; i++) outbox.put(changed(i));
    const writes = snapshotWrites(qualified, true);
    // As a run's end starts them: the second connection first (more than two batches wait), then the run's own.
    const [beside, own] = await Promise.all([writeBackBeside(config, writes, outbox), writeBack(client, writes, outbox)]);
    expect(own).toBeGreaterThan(0);
    expect(beside).toBeGreaterThan(0);
    expect(own + beside).toBe(12_000);
    expect(outbox.pending()).toBe(0);
    const table = await peer.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE row = '{"id":' || pk || '}' AND fp = pk::int8)::int AS written, max(pk::int) FILTER (WHERE pk::int BETWEEN 5901 AND 6000) AS removed FROM ${qualified}`,
    );
    expect(table.rows[0]).toEqual({ n: 11_900, written: 11_900, removed: null });
  });

  it('too few entries to share: no second connection', async () => {
    const { qualified, outbox } = await tableAndOutbox('few', 10);
    for (let i = 1; i <= 10; i++) outbox.put(changed(i));
    expect(await writeBackBeside(config, snapshotWrites(qualified, true), outbox)).toBe(0);
    expect(outbox.pending()).toBe(10);
  });

  it("no second connection to be had (a role allowed one): the run's own connection writes every entry", async () => {
    const { qualified, outbox } = await tableAndOutbox('one_connection', 0);
    for (let i = 1; i <= 12_000; i++) outbox.put(changed(i));
    await peer.query(`CREATE ROLE solo_writer LOGIN PASSWORD 'solo-writer-pw' CONNECTION LIMIT 1`);
    await peer.query(`GRANT USAGE ON SCHEMA sluice_state TO solo_writer; GRANT ALL ON ${qualified} TO solo_writer`);
    const solo = { ...config, user: 'solo_writer', password: 'solo-writer-pw' };
    const own = new pg.Client(solo);
    await own.connect();
    try {
      const writes = snapshotWrites(qualified, true);
      const [beside, moved] = await Promise.all([writeBackBeside(solo, writes, outbox), writeBack(own, writes, outbox)]);
      expect([beside, moved]).toEqual([0, 12_000]);
    } finally {
      await own.end();
    }
    expect(outbox.pending()).toBe(0);
    expect((await peer.query(`SELECT count(*)::int AS n FROM ${qualified}`)).rows[0].n).toBe(12_000);
  });

  it('a batch PostgreSQL refuses stays in the outbox, taken again once it is accepted', async () => {
    const { qualified, outbox } = await tableAndOutbox('refusing', 0);
    for (let i = 1; i <= 7000; i++) outbox.put(changed(i));
    await peer.query(`CREATE FUNCTION sluice_state.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no key 6500'; END $$`);
    await peer.query(`CREATE TRIGGER refuse BEFORE INSERT ON ${qualified} FOR EACH ROW WHEN (NEW.pk = '6500') EXECUTE FUNCTION sluice_state.refuse()`);
    const writes = snapshotWrites(qualified, true);
    await expect(writeBack(client, writes, outbox)).rejects.toThrow(/no key 6500/);
    expect(outbox.pending()).toBe(2000); // (the first batch, 5,000 entries, is in)
    await peer.query(`DROP TRIGGER refuse ON ${qualified}`);
    expect(await writeBack(client, writes, outbox)).toBe(2000);
    expect((await peer.query(`SELECT count(*)::int AS n FROM ${qualified}`)).rows[0].n).toBe(7000);
  });

  it('a connection gone before its batch began gives the batch back: the next write-back writes every entry', async () => {
    const { qualified, outbox } = await tableAndOutbox('gone', 0);
    for (let i = 1; i <= 7000; i++) outbox.put(changed(i));
    const writes = snapshotWrites(qualified, true);
    const gone = new pg.Client(config);
    gone.on('error', () => undefined);
    await gone.connect();
    await peer.query('SELECT pg_terminate_backend($1)', [(gone as pg.Client & { processID: number }).processID]);
    await expect(writeBack(gone, writes, outbox)).rejects.toThrow();
    expect(await writeBack(client, writes, outbox)).toBe(7000);
    expect(outbox.pending()).toBe(0);
    expect((await peer.query(`SELECT count(*)::int AS n FROM ${qualified}`)).rows[0].n).toBe(7000);
    await gone.end().catch(() => undefined);
  });

  /** Another session holding key 1's row (an open transaction: a person's, or a vanished client's backend). */
  async function lockKeyOne(qualified: string): Promise<pg.Client> {
    const other = new pg.Client(config);
    await other.connect();
    await other.query('BEGIN');
    await other.query(`SELECT * FROM ${qualified} WHERE pk = '1' FOR UPDATE`);
    return other;
  }

  it("a row another session holds: the write gives up after its lock wait (not the other session's), and the batch is written next time", async () => {
    const { qualified, outbox } = await tableAndOutbox('locked', 3);
    outbox.put(changed(1));
    const other = await lockKeyOne(qualified);
    try {
      const started = Date.now();
      await expect(writeBack(client, snapshotWrites(qualified, true), outbox)).rejects.toThrow(/lock timeout/);
      expect(Date.now() - started).toBeLessThan(WRITE_LOCK_WAIT_MS + 3000);
      expect(outbox.pending()).toBe(1);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    expect(await writeBack(client, snapshotWrites(qualified, true), outbox)).toBe(1);
  });

  it('a cancel while a write waits gives it up at once, its connection dropped under it; the batch stays for later', async () => {
    const { qualified, outbox } = await tableAndOutbox('cancelled', 3);
    outbox.put(changed(1));
    const other = await lockKeyOne(qualified);
    const own = new pg.Client(config);
    own.on('error', () => undefined);
    await own.connect();
    try {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 500);
      const started = Date.now();
      await expect(writeBack(own, snapshotWrites(qualified, true), outbox, abort.signal)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(outbox.pending()).toBe(1);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
      await own.end().catch(() => undefined);
    }
  });
});
