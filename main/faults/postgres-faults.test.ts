import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { recordedSnapshotTable } from '../sync/in-database/snapshot-table';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { addPauseRow, startPostgres, type PostgresPeer } from '../testing/peers/postgres';

// The fault suite, PostgreSQL models: the connection lost while a run or a preview reads the model (its
// backend terminated, as an administrator, a failover or a restarting server does) fails it in words that
// name the server and the model (code unavailable, never the password), with nothing sent and the snapshot
// as it was: the next run sends what that one did not.

let pgPeer: PostgresPeer;
const PASSWORD_ENV = 'SLUICE_TEST_PG_FAULTS_PASSWORD';
const closers = closeAfterEach();

beforeAll(async () => {
  pgPeer = await startPostgres();
  process.env[PASSWORD_ENV] = pgPeer.password;
  // Models read their rows through pause_row(): a second per row while `pause` says so, so a terminate lands mid-read.
  await addPauseRow(pgPeer);
}, 60_000);
afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await pgPeer?.stop();
});

const lostWhileReading = (model: string) =>
  `Lost the connection to PostgreSQL at 127.0.0.1:${pgPeer.port}/postgres while reading model "${model}": the server ended the session: terminating connection due to administrator command (check the server is up, then try again)`;

/**
 * A preview's failure when its session was ended: unavailable, saying so. Its reason is the server's words, or,
 * when the session ended as the client was sending on it, the socket's (which of the two is a matter of timing).
 */
function expectLostWhileReading(error: { code: string; message: string }, what: string): void {
  const reason =
    '(the server ended the session: terminating connection due to administrator command|the connection was closed while Sluice was sending on it \\(write EPIPE\\))';
  const at = `127\\.0\\.0\\.1:${pgPeer.port}/postgres`;
  expect(error.code).toBe('unavailable');
  expect(error.message).toMatch(
    new RegExp(`^Lost the connection to PostgreSQL at ${at} while reading ${what}: ${reason} \\(check the server is up, then try again\\)$`),
  );
}

/** A table `name (id, body)` of rows 1…`rows`, its model `SELECT … WHERE pause_row()` (diff as given), synced to the sandbox. */
async function setup(name: string, rows: number, diff: 'local' | 'in-database'): Promise<Engine> {
  await pgPeer.query(`CREATE TABLE ${name} (id int8 PRIMARY KEY, body text)`);
  await pgPeer.query(`INSERT INTO ${name} SELECT g, 'row ' || g FROM generate_series(1, ${rows}) g`);
  const t = await openTestEngine();
  closers.push(t.close);
  const { engine } = t;
  const { host, port, database, user } = pgPeer;
  engine.catalog.putSource({ kind: 'postgres', name: 'pg', host, port, database, user, password: { env: PASSWORD_ENV }, ssl: false });
  engine.catalog.putModel({ name, source: 'pg', query: `SELECT id, body FROM ${name} WHERE pause_row()`, primaryKey: ['id'], diff });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: name.replace(/_/g, '-') });
  engine.catalog.putSync({
    name,
    model: name,
    destination: 'sandbox',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id | json }}, "body": {{ row.body | json }}}' },
  });
  return engine;
}

/** Terminates the backend that reads rows through pause_row() (not the LIMIT 0 look-up of the model's columns), once it does. */
async function terminateReader(): Promise<void> {
  for (;;) {
    const { rows } = await pgPeer.query(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pause_row()%' AND query NOT LIKE '%LIMIT 0'`,
    );
    if (rows.some((r: { done: boolean }) => r.done)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What the sync has delivered: the workspace's snapshot (local diff) or its table in PostgreSQL (in-database), and the outbox. */
async function delivered(engine: Engine, sync: string): Promise<unknown> {
  const syncId = (engine.db.prepare('SELECT id FROM syncs WHERE name = ?').get(sync) as { id: number }).id;
  const local = engine.db.prepare('SELECT key, row, delivered_at FROM snapshot WHERE sync_id = ? ORDER BY key').all(syncId);
  const outbox = engine.db.prepare('SELECT COUNT(*) AS n FROM pg_snapshot_outbox WHERE sync_id = ?').get(syncId);
  const table = recordedSnapshotTable(engine.db, syncId);
  const inDatabase = table === null ? [] : (await pgPeer.query(`SELECT pk, key, fp, row FROM sluice_state."${table}" ORDER BY pk`)).rows;
  return { local, outbox, inDatabase };
}

describe('fault suite: a PostgreSQL connection lost mid-read', () => {
  for (const diff of ['local', 'in-database'] as const) {
    it(`a run (${diff} diff) whose backend is terminated while it reads fails saying which server and model, sends nothing and moves no snapshot; the next run sends it all`, async () => {
      const name = `items_${diff.replace('-', '_')}`;
      const engine = await setup(name, 5, diff);
      expect(await engine.runSync(name)).toMatchObject({ status: 'succeeded', counts: { added: 5, acknowledged: 5 } });
      const before = await delivered(engine, name);
      expect(before).toMatchObject(diff === 'local' ? { local: { length: 5 } } : { inDatabase: { length: 5 } });

      await pgPeer.query(`UPDATE ${name} SET body = body || ' changed'`);
      await pgPeer.query(`INSERT INTO ${name} SELECT g, 'row ' || g FROM generate_series(6, 8) g`);
      await pgPeer.query('UPDATE pause SET seconds = 1');
      try {
        const running = engine.runSync(name);
        await terminateReader();
        const run = await running;
        // Before: "SQL error: terminating connection due to administrator command", as if the query were wrong.
        expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged }).toEqual({
          status: 'failed',
          error: lostWhileReading(name),
          acknowledged: 0,
        });
        expect(run.error).not.toContain(pgPeer.password);
        expect(engine.runs.get(run.id)!.status).toBe('failed');
        expect(engine.ledger.search({ runId: run.id, limit: 10 }).total).toBe(0);
        expect(await delivered(engine, name)).toEqual(before);
      } finally {
        await pgPeer.query('UPDATE pause SET seconds = 0');
      }

      expect(await engine.runSync(name)).toMatchObject({ status: 'succeeded', counts: { added: 3, changed: 5, acknowledged: 8 } });
    }, 60_000);
  }

  it('a preview (of a saved model, or of a draft query) whose backend is terminated while it reads says so, as unavailable, not as a SQL error in the query', async () => {
    const engine = await setup('previewed', 3, 'local');
    await pgPeer.query('UPDATE pause SET seconds = 1');
    try {
      const saved = failure(callChannelOrThrowWire(engine, 'previewModel', { model: 'previewed', limit: 2 }));
      await terminateReader();
      // Before: { code: 'invalid-input', message: 'SQL error: terminating connection…', issues: [{ path: 'query', … }] }.
      expectLostWhileReading(await saved, 'model "previewed"');
      const draft = failure(
        callChannelOrThrowWire(engine, 'previewModelDraft', { source: 'pg', query: 'SELECT id FROM previewed WHERE pause_row()', limit: 2 }),
      );
      await terminateReader();
      // A draft has no name (it was a model named "draft").
      expectLostWhileReading(await draft, 'the model');
    } finally {
      await pgPeer.query('UPDATE pause SET seconds = 0');
    }
  }, 60_000);
});
