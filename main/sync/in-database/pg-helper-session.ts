// A second session for the in-database diff's join (issue #16): in the diff's own snapshot of the data
// (pg_export_snapshot, SET TRANSACTION SNAPSHOT), so both read the model and the snapshot table as they
// were when the diff began. Each session joins the keys of its half (by a hash of the key); the helper's
// changed rows are then copied into the diff's temporary table, as text (every type reads back its own
// text form), a page at a time. At 10M rows, on two cores, the join took 7.9–8.7 s split against
// 10.1–12.3 s in one session.
import pg from 'pg';
import { setReadingStyle, SIDE_CONNECT_TIMEOUT_MS } from '../../sources/postgres-reader';
import { answering, bounded, endConnection } from './pg-deadline';

/** Rows copied from the helper's table to the diff's at once. */
const COPY_PAGE = 10_000;

/** Snapshot rows from which the join is split (below that a second connection costs more than the half it saves). */
const SPLIT_FROM = 500_000;

/** How long the helper waits for a lock before it gives its half back. */
const HELPER_LOCK_WAIT = '2s';
/** A page of the copy (or its cursor) from the helper, waited for at most (10,000 rows' text: well under a second). */
const COPY_ANSWER_MS = 60_000;
/** The helper's ROLLBACK waited for at most. */
const HELPER_END_MS = 5_000;

/** The settings the diff's join runs with (pg-snapshot.ts), for any session that joins. */
export async function joinSettings(c: pg.Client): Promise<void> {
  // Each session waits idle in its transaction while the other joins (or copies): a role's
  // idle_in_transaction_session_timeout would end it there. The model is read waiting for locks as any
  // query does (a cancel ends the wait), not as the connection's writes (pg-write-back.ts: writeTransaction).
  await c.query('SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL lock_timeout = 0');
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
  const helper = new pg.Client({ ...config, connectionTimeoutMillis: SIDE_CONNECT_TIMEOUT_MS });
  helper.on('error', () => undefined);
  const giveUp = async () => {
    await helper.end().catch(() => undefined);
    return undefined;
  };
  try {
    await helper.connect();
    // (a pooler's connection with no server session to be had soon: the diff joins alone)
    await answering(helper, SIDE_CONNECT_TIMEOUT_MS);
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
    // In the transaction (a pooler may run a session's SETs on another server connection): the model's
    // values as the diff's session makes them.
    await setReadingStyle(helper);
    // A lock the diff's session holds and another waits for (an ALTER TABLE queued behind it, a model
    // that locks rows FOR UPDATE) would hold the helper forever, and the diff with it: the helper gives
    // up instead, and the diff joins its half itself.
    await helper.query(`SET LOCAL lock_timeout = '${HELPER_LOCK_WAIT}'`);
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
  if ((stats.rows[0]?.n ?? 0) < splitFrom) return undefined;
  // The diff's session holds the snapshot table before the helper asks for it: a lock queued in
  // between (a VACUUM FULL) then waits for both, never the diff's session for it.
  await c.query(`LOCK TABLE ${qualified} IN ACCESS SHARE MODE`);
  return helperSession(c, config);
}

/** Ends a helper session (its transaction, and its temporary tables with it); one that does not answer in a few seconds is dropped. */
export async function endHelper(helper: pg.Client): Promise<void> {
  await bounded(helper, helper.query('ROLLBACK'), HELPER_END_MS).catch(() => undefined);
  await endConnection(helper);
}

/**
 * Copies the rows of `table` (a temporary table both sessions made alike) from `from` into `into`, in a
 * savepoint of `into`'s transaction: true once all are in; false, with none of them in, when they could
 * not be (`from`'s connection gone, a value whose text does not read back, such as a NULL in a NOT NULL
 * domain or an overloaded regproc). A failure of `into` itself is thrown. The rows are read through a
 * cursor of SQL's own (a gone connection fails its FETCH; a client-side cursor's close waited forever).
 */
export async function copyRows(from: pg.Client, into: pg.Client, table: string, signal?: AbortSignal): Promise<boolean> {
  await into.query('SAVEPOINT sluice_copy');
  try {
    // (each of `from`'s answers waited for a while at most, or until a cancel: its connection may have gone quiet)
    await bounded(from, from.query(`DECLARE sluice_copy NO SCROLL CURSOR FOR SELECT d::text AS r FROM ${table} AS d`), COPY_ANSWER_MS, signal);
    for (;;) {
      const page = await bounded(from, from.query<{ r: string }>(`FETCH ${COPY_PAGE} FROM sluice_copy`), COPY_ANSWER_MS, signal);
      if (page.rows.length === 0) break;
      // An array of the table's row type, unnested: each row's text read once (`(r::t).*` reads it once per column: 5× the time).
      await into.query(`INSERT INTO ${table} SELECT * FROM unnest($1::${table}[])`, [page.rows.map((row) => row.r)]);
    }
  } catch {
    await into.query('ROLLBACK TO SAVEPOINT sluice_copy');
    return false;
  }
  await into.query('RELEASE SAVEPOINT sluice_copy');
  return true;
}
