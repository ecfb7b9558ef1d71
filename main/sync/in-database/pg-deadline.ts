// Waits on a PostgreSQL connection that end, whatever the connection does. A connection can go quiet
// without closing (a NAT or VPN that drops its flow, a proxy that stops passing packets): the server
// may have answered, but the answer never comes, and a cancel asked of the server is not heard either.
// The only way out is to close the connection under the query: every query on it then fails at once.
import type pg from 'pg';

/** Closes `client`'s connection under it: what it runs or has queued fails at once. */
export function dropConnection(client: pg.Client): void {
  client.connection.stream.destroy();
}

/**
 * `work` (queries on `client`), given up once `ms` have passed (if given) or `signal` aborts: the
 * connection is dropped, so `work` fails at once (and so does anything after it on that connection).
 * Only waits whose giving up costs nothing but time get `ms` (a helper whose half is then joined by
 * the diff's own session); a write over a slow link is never cut off (it would be retried whole, and cut
 * off again, every run): a cancel ends it.
 */
export async function bounded<T>(client: pg.Client, work: Promise<T>, ms: number | undefined, signal?: AbortSignal): Promise<T> {
  const drop = () => dropConnection(client);
  if (signal?.aborted) drop();
  signal?.addEventListener('abort', drop);
  const timer = ms === undefined ? undefined : setTimeout(drop, ms);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', drop);
  }
}

/**
 * Resolves once a server session answers `client`, or throws (its connection dropped) past `ms`. Through
 * a pooler (PgBouncer) a connection is had at once, and the server session it needs only with its first
 * query, which waits while every session of the pool is held — by the run's own diff, say: a connection
 * on the side waited so until the pooler gave up (`query_wait_timeout`, 2 minutes), and failed the run.
 */
export async function answering(client: pg.Client, ms: number): Promise<void> {
  await bounded(client, client.query('SELECT 1'), ms);
}

/** Ends `client`'s connection; one that does not answer in a few seconds is dropped. */
export async function endConnection(client: pg.Client): Promise<void> {
  await bounded(client, client.end(), END_MS).catch(() => undefined);
}

/** How long ending a connection politely may take. */
const END_MS = 5_000;
