// A second session for the in-database diff's join (issue #16): in the diff's own snapshot of the data
// (pg_export_snapshot, SET TRANSACTION SNAPSHOT), so both read the model and the snapshot table as they
// were when the diff began. Each session joins the keys of its half (by a hash of the key); the helper's
// changed rows are then copied into the diff's temporary table, as text (every type reads back its own
// text form), a page at a time. At 10M rows, on two cores, the join took 7.9–8.7 s split against
// 10.1–12.3 s in one session.
import pg from 'pg';
import Cursor from 'pg-cursor';
import { setReadingStyle } from '../../sources/postgres-reader';

/** Rows copied from the helper's table to the diff's at once. */
const COPY_PAGE = 10_000;

/** Snapshot rows from which the join is split (below that a second connection costs more than the half it saves). */
const SPLIT_FROM = 500_000;

/** The settings the diff's join runs with (pg-snapshot.ts), for any session that joins. */
export async function joinSettings(c: pg.Client): Promise<void> {
  // Every read of the model starts at its first block: the join and a grouping by key (when a key may repeat) number rows alike.
  await c.query('SET LOCAL synchronize_seqscans = off');
  // The model against the snapshot is a hash join, whatever the statistics say: a merge join would sort every model row, columns and all.
  await c.query('SET LOCAL enable_mergejoin = off');
}

/**
 * A session in the transaction snapshot of `c` (its REPEATABLE READ transaction, open), with the join's
 * settings; undefined when none can be had (a role's CONNECTION LIMIT, a full server, a pooler in
 * transaction mode that cannot import a snapshot): the diff joins in one session then.
 */
export async function helperSession(c: pg.Client, config: pg.ClientConfig): Promise<pg.Client | undefined> {
  const helper = new pg.Client({ ...config, connectionTimeoutMillis: 10_000 });
  helper.on('error', () => undefined);
  const giveUp = async () => {
    await helper.end().catch(() => undefined);
    return undefined;
  };
  try {
    await helper.connect();
    await setReadingStyle(helper);
  } catch {
    return giveUp();
  }
  // Exported once there is a session to take it. (Its failure is the diff's own: its transaction is aborted.)
  const exported = await c.query<{ id: string }>('SELECT pg_export_snapshot() AS id').catch(async (err: unknown) => {
    await giveUp();
    throw err;
  });
  try {
    await helper.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await helper.query(`SET TRANSACTION SNAPSHOT '${exported.rows[0]!.id.replace(/'/g, "''")}'`);
    await joinSettings(helper);
    return helper;
  } catch {
    return giveUp();
  }
}

/** A helper session (helperSession) when the snapshot table (`qualified`) holds SPLIT_FROM rows or more by its statistics. */
export async function helperIfLarge(c: pg.Client, config: pg.ClientConfig, qualified: string): Promise<pg.Client | undefined> {
  const stats = await c.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass', [qualified]);
  // (tests: SLUICE_TEST_PG_SPLIT_FROM=-1 splits at any size, a table never analyzed too)
  const splitFrom = Number(process.env.SLUICE_TEST_PG_SPLIT_FROM ?? SPLIT_FROM);
  return (stats.rows[0]?.n ?? 0) >= splitFrom ? helperSession(c, config) : undefined;
}

/** Ends a helper session (its transaction, and its temporary tables with it). */
export async function endHelper(helper: pg.Client): Promise<void> {
  await helper.query('ROLLBACK').catch(() => undefined);
  await helper.end().catch(() => undefined);
}

/** Copies the rows of `table` (a temporary table both sessions made alike) from `from` into `into`; answers how many. */
export async function copyRows(from: pg.Client, into: pg.Client, table: string): Promise<number> {
  const cursor = from.query(new Cursor(`SELECT d::text AS r FROM ${table} AS d`));
  let copied = 0;
  try {
    for (;;) {
      const rows = (await cursor.read(COPY_PAGE)) as { r: string }[];
      if (rows.length === 0) return copied;
      await into.query(`INSERT INTO ${table} SELECT (r::${table}).* FROM unnest($1::text[]) AS r`, [rows.map((row) => row.r)]);
      copied += rows.length;
    }
  } finally {
    await cursor.close();
  }
}
