// The outbox's entries written to the snapshot table (pg-outbox.ts → pg-snapshot-writes.ts), a batch
// per PostgreSQL transaction: on the run's connection while it sends, and at its end on a second one
// beside it, each taking the next batch not yet taken.
import pg from 'pg';
import { SIDE_CONNECT_TIMEOUT_MS } from '../../sources/postgres-reader';
import { bounded, endConnection } from './pg-deadline';
import type { PgOutbox } from './pg-outbox';

/** Entries per batch. */
const FLUSH_BATCH = 5000;

/**
 * A write of the snapshot waits for another session's lock this long at most (a row locked in an open
 * transaction, a pg_dump reading the table): the batch is given back and written later, instead of the
 * run waiting as long as the other session does.
 */
export const WRITE_LOCK_WAIT_MS = 5_000;

/**
 * Runs `body` in one transaction whose lock waits last WRITE_LOCK_WAIT_MS at most; rolled back when
 * anything in it fails (and the error thrown). The limit is `SET LOCAL`, not the connection's: a startup
 * parameter is refused by PgBouncer ("unsupported startup parameter"), and a session's SET would go, in a
 * pooler that shares server sessions, to the next client of the session. The diff's own transaction waits
 * for locks as any query does (`joinSettings`): a cancel ends that wait.
 */
export async function writeTransaction(
  client: pg.Client,
  signal: AbortSignal | undefined,
  body: (write: (sql: string, values?: unknown[]) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const write = (sql: string, values?: unknown[]) => bounded(client, client.query(sql, values), undefined, signal);
  await write('BEGIN');
  try {
    await write(`SET LOCAL lock_timeout = ${WRITE_LOCK_WAIT_MS}`);
    await body(write);
    await write('COMMIT');
  } catch (err) {
    await bounded(client, client.query('ROLLBACK'), undefined, signal).catch(() => undefined);
    throw err;
  }
}

type Writes = { upsert: string; remove: string };

/**
 * Moves the outbox's entries to the snapshot table on `client` until none is left to take. A batch
 * PostgreSQL refuses is given back to the outbox (taken again by the next flush, or the next run), and
 * the error thrown. Answers how many entries it moved.
 */
export async function writeBack(client: pg.Client, writes: Writes, outbox: PgOutbox, signal?: AbortSignal): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch = outbox.nextBatch(FLUSH_BATCH);
    if (batch === null) return moved;
    try {
      // (BEGIN too: a connection gone before it must give the batch back like one gone after)
      await writeTransaction(client, signal, async (write) => {
        if (batch.upserts !== '[]') await write(writes.upsert, [batch.upserts]);
        if (batch.removals !== '[]') await write(writes.remove, [batch.removals]);
      });
    } catch (err) {
      outbox.giveBack(batch);
      // (lock_not_available: said so, the table's other user being the cause to look for)
      if ((err as { code?: string }).code === '55P03')
        throw new Error(`another session holds a lock on the snapshot table (waited ${WRITE_LOCK_WAIT_MS / 1000} s): ${(err as Error).message}`);
      throw err;
    }
    outbox.done(batch);
    moved += batch.entries;
  }
}

/**
 * At a run's end, while more than two batches wait: a second connection that writes batches beside the
 * run's own (each batch its own rows: an outbox holds one run's entries then, the same for a key
 * however often it was delivered, so the order they land in does not matter). 10M rows with 1% changed
 * spent a second on the write-back after the last record was answered, on one core. Without a second
 * connection (a role's CONNECTION LIMIT, a full server) the run's own does it all.
 */
export async function writeBackBeside(config: pg.ClientConfig, writes: Writes, outbox: PgOutbox, signal?: AbortSignal): Promise<number> {
  if (!outbox.holds(2 * FLUSH_BATCH)) return 0;
  const client = new pg.Client({ ...config, connectionTimeoutMillis: SIDE_CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    await endConnection(client);
    return 0;
  }
  try {
    return await writeBack(client, writes, outbox, signal);
  } finally {
    await endConnection(client);
  }
}
