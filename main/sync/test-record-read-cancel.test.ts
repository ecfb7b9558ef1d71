// A test record cancelled while its row is still being read stops the read too, not only the send: the
// model's query went on after the cancel (a PostgreSQL query for as long as it took, holding its
// connection and the server's CPU; a SQLite scan over the whole model, holding the file's read lock and
// the app's main thread).
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';
import { sendTestRecord } from './test-record';
import { cancelTestRecord } from './test-record-wait';

const closers = closeAfterEach();
const PASSWORD_ENV = 'SLUICE_TEST_RECORD_READ_CANCEL_PASSWORD';
const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };

/** An engine whose sync `to-out` sends model `m` (`query` over `source`) to the sandbox. */
async function engineWith(source: { name: string; kind: string } & Record<string, unknown>, query: string): Promise<Engine> {
  const t = await openTestEngine();
  closers.push(t.close);
  const e = t.engine;
  e.catalog.putSource(source);
  e.catalog.putModel({ name: 'm', source: source.name, query, primaryKey: ['id'] });
  e.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'out', stream: 's', shards: 1 });
  e.catalog.putSync({ name: 'to-out', model: 'm', destination: 'out', triggers: ['added'], initialSync: 'backfill', payload });
  return e;
}

/** Sends key `key`'s test record as attempt `attempt`, answering the error it ends with (null when it was sent). */
function send(e: Engine, key: string, attempt: string): Promise<unknown> {
  return sendTestRecord(e, { sync: 'to-out', payload, key, event: 'added', attempt } as never).then(
    () => null,
    (err: unknown) => err,
  );
}

/** Waits until `ok()`, asking on a timer (a turn of the event loop each time, as a request from the app has), for at most `ms`. */
async function untilTimer(ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) expect.fail(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function expectCancelled(error: unknown): void {
  expect(error).toBeInstanceOf(SluiceError);
  expect((error as SluiceError).code).toBe('cancelled');
}

describe('PostgreSQL', () => {
  let pgPeer: PostgresPeer;
  beforeAll(async () => {
    pgPeer = await startPostgres();
    process.env[PASSWORD_ENV] = pgPeer.password;
  }, 60_000);
  afterAll(async () => {
    delete process.env[PASSWORD_ENV];
    await pgPeer?.stop();
  });

  /** The server's sessions (other than the peer's own) whose query is the model's, and their states. */
  const modelSessions = async (): Promise<string[]> =>
    (
      await pgPeer.query(
        `SELECT state FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%sluice_slow_model%' AND query NOT LIKE '%pg_stat_activity%'`,
      )
    ).rows.map((r: { state: string }) => r.state);

  it('a cancel while a slow query reads the row cancels the query on the server and ends the session', async () => {
    const { host, port, database, user } = pgPeer;
    const e = await engineWith(
      { kind: 'postgres', name: 'pg', host, port, database, user, password: { env: PASSWORD_ENV }, ssl: false },
      // A query that takes ten minutes before its first row.
      `SELECT 1 AS id FROM pg_sleep(600) AS sluice_slow_model`,
    );
    const sent = send(e, '1', 'slow');
    await expect.poll(modelSessions, { timeout: 20_000, interval: 100 }).toEqual(['active']);
    const cancelledAt = Date.now();
    expect(cancelTestRecord(e, 'slow')).toEqual({ cancelled: true });
    expectCancelled(await sent);
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);
    // Before: the query ran on for its ten minutes, its session open, after the app said "Cancelled".
    await expect.poll(modelSessions, { timeout: 10_000, interval: 100 }).toEqual([]);
  }, 60_000);

  it('so does a run cancelled while its slow query reads the model: the run ends cancelled, the query with it', async () => {
    const { host, port, database, user } = pgPeer;
    const e = await engineWith(
      { kind: 'postgres', name: 'pg', host, port, database, user, password: { env: PASSWORD_ENV }, ssl: false },
      `SELECT 1 AS id FROM pg_sleep(600) AS sluice_slow_model`,
    );
    const cancel = new AbortController();
    const running = e.runSync('to-out', { signal: cancel.signal });
    await expect.poll(modelSessions, { timeout: 20_000, interval: 100 }).toEqual(['active']);
    cancel.abort();
    expect((await running).status).toBe('cancelled');
    // Before: the session was dropped with its query still running on the server.
    await expect.poll(modelSessions, { timeout: 10_000, interval: 100 }).toEqual([]);
  }, 60_000);
});

describe('SQLite', () => {
  it('a cancel while a long scan looks for the row stops the scan and lets go of the model file', async () => {
    const folder = tempWorkspace('sluice-model-');
    closers.push(folder.cleanup);
    const { file, db } = createPeopleDb(folder.dir, 3_000);
    db.close();
    // Nine million rows, none of them the key asked for: the scan would read them all.
    const e = await engineWith({ kind: 'sqlite', name: 'db', path: file }, 'SELECT a.id * 10000 + b.id AS id, a.name FROM people a, people b');
    // Another program writing to the model's file: refused while a read holds the file (rollback journal).
    const writer = new BetterSqlite3(file, { timeout: 0 });
    closers.push(() => void writer.close());
    const canWrite = () => {
      try {
        writer.exec(`UPDATE people SET score = score WHERE id = 1`);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        return false;
      }
    };
    expect(canWrite()).toBe(true);
    const sent = send(e, '-1', 'scan');
    // The scan has started (it holds the file), and the engine still hears a timer, as it hears the app's
    // cancel: before, the scan held the thread until its last row (half a minute here), the cancel heard after it.
    await untilTimer(() => !canWrite(), 20_000);
    const cancelledAt = Date.now();
    expect(cancelTestRecord(e, 'scan')).toEqual({ cancelled: true });
    expectCancelled(await sent);
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);
    // The scan stopped: the file is free for the writer again.
    await untilTimer(canWrite, 5_000);
  }, 60_000);
});

describe('DuckDB', () => {
  /** This process's CPU time over the next half second, in ms (DuckDB runs its query on threads of this process). */
  const cpuMs = async (): Promise<number> => {
    const from = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const used = process.cpuUsage(from);
    return (used.user + used.system) / 1000;
  };

  it('a cancel while a query that computes long before its first row interrupts the query', async () => {
    // A count over a trillion numbers: hours of DuckDB's threads before its one row.
    const e = await engineWith({ kind: 'duckdb', name: 'duck' }, 'SELECT count(*) AS id FROM range(1000000000000)');
    const sent = send(e, '1', 'count');
    await expect.poll(cpuMs, { timeout: 20_000, interval: 0 }).toBeGreaterThan(150);
    expect(cancelTestRecord(e, 'count')).toEqual({ cancelled: true });
    expectCancelled(await sent);
    // Before: DuckDB's threads went on counting after the cancel.
    await expect.poll(cpuMs, { timeout: 10_000, interval: 0 }).toBeLessThan(50);
  }, 60_000);
});
