import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/config/sync';
import { progressLine } from '../cli/sync-command';
import type { Engine } from '../engine/engine';
import { SILENCE_LIMIT_ENV } from '../sources/source-silence';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { addPauseRow, startPostgres, type PostgresPeer } from '../testing/peers/postgres';
import { startSilencingRelay, type SilencingRelay } from '../testing/peers/silencing-relay';

// The fault suite, PostgreSQL models: a server that stops answering while a run reads the model (here
// the network path to it drops everything) is said to be not answering in the run's progress, and past
// the limit of silence (shortened here) the run fails saying which server and model, code unavailable,
// with nothing sent and the snapshot as it was: the next run sends what that one did not.

let pgPeer: PostgresPeer;
let relay: SilencingRelay;
const PASSWORD_ENV = 'SLUICE_TEST_PG_SILENCE_PASSWORD';
const closers = closeAfterEach();

beforeAll(async () => {
  pgPeer = await startPostgres();
  relay = await startSilencingRelay(pgPeer.host, pgPeer.port);
  process.env[PASSWORD_ENV] = pgPeer.password;
  // The model reads its rows through pause_row(): a second per row while `pause` says so, so the silence lands mid-read.
  await addPauseRow(pgPeer);
}, 60_000);
afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await relay?.close();
  await pgPeer?.stop();
});
afterEach(() => {
  delete process.env[SILENCE_LIMIT_ENV];
  relay.speak();
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not seen in time: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A table `items (id, body)` of rows 1…5, its model `SELECT … WHERE pause_row()` read through the relay, synced to the sandbox. */
async function setup(): Promise<Engine> {
  await pgPeer.query(`CREATE TABLE items (id int8 PRIMARY KEY, body text)`);
  await pgPeer.query(`INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 5) g`);
  const t = await openTestEngine();
  closers.push(t.close);
  const { engine } = t;
  const { host, database, user } = pgPeer;
  engine.catalog.putSource({ kind: 'postgres', name: 'pg', host, port: relay.port, database, user, password: { env: PASSWORD_ENV }, ssl: false });
  engine.catalog.putModel({ name: 'items', source: 'pg', query: `SELECT id, body FROM items WHERE pause_row()`, primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'items' });
  engine.catalog.putSync({
    name: 'items',
    model: 'items',
    destination: 'sandbox',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id | json }}, "body": {{ row.body | json }}}' },
  });
  return engine;
}

const snapshot = (engine: Engine) => engine.db.prepare('SELECT key, row, delivered_at FROM snapshot ORDER BY key').all();

describe('fault suite: a PostgreSQL server that stops answering mid-read', () => {
  it('the progress says the server is not answering, and after the limit the run fails saying which server and model, sends nothing and moves no snapshot; the next run sends it all', async () => {
    const engine = await setup();
    expect(await engine.runSync('items')).toMatchObject({ status: 'succeeded', counts: { added: 5, acknowledged: 5 } });
    const before = snapshot(engine);
    expect(before).toHaveLength(5);

    await pgPeer.query(`UPDATE items SET body = body || ' changed'`);
    await pgPeer.query(`INSERT INTO items SELECT g, 'row ' || g FROM generate_series(6, 8) g`);
    await pgPeer.query('UPDATE pause SET seconds = 1');
    process.env[SILENCE_LIMIT_ENV] = '6500';
    const events: RunSummary[] = [];
    closers.push(engine.onEvent((event, payload) => void (event === 'runProgress' && events.push(payload as RunSummary))));
    try {
      const running = engine.runSync('items');
      // The rows are being read (not the LIMIT 0 look-up of the model's columns): then the path goes silent.
      await waitFor(
        async () => {
          const { rows } = await pgPeer.query(
            `SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pause_row()%' AND query NOT LIKE '%LIMIT 0'`,
          );
          return rows.length > 0;
        },
        30_000,
        'the model being read',
      );
      relay.silence();
      // Before: the progress stopped at "reading: 0 rows", and the run waited forever.
      await waitFor(() => events.at(-1)?.sourceSilent != null, 30_000, 'a progress event of the server not answering');
      const e = events.find((x) => x.sourceSilent != null)!;
      expect(e.phase).toBe('reading');
      // Said once the silence reaches 5 s, by a check each second: 5 s, or 6 s when that check runs late on a loaded machine.
      const seconds = e.sourceSilent!.seconds;
      expect([5, 6]).toContain(seconds);
      expect(e.sourceSilent).toEqual({ server: `PostgreSQL server 127.0.0.1:${relay.port}`, seconds });
      expect(progressLine(e)).toBe(`reading: 0 rows — PostgreSQL server 127.0.0.1:${relay.port} not answering for ${seconds} s`);

      const run = await running;
      expect({ status: run.status, acknowledged: run.counts.acknowledged }).toEqual({ status: 'failed', acknowledged: 0 });
      expect(run.error).toMatch(
        new RegExp(
          String.raw`^PostgreSQL at 127\.0\.0\.1:${relay.port}/postgres did not answer for \d+ s while reading model "items": neither the read nor a new connection got a word from the server, so Sluice gave up \(check the server is up and the network path to it, then try again\)$`,
        ),
      );
      expect(run.error).not.toContain(pgPeer.password);
      expect(engine.runs.get(run.id)!.status).toBe('failed');
      expect(engine.ledger.search({ runId: run.id, limit: 10 }).total).toBe(0);
      expect(snapshot(engine)).toEqual(before);
    } finally {
      relay.speak();
      await pgPeer.query('UPDATE pause SET seconds = 0');
    }

    expect(await engine.runSync('items')).toMatchObject({ status: 'succeeded', counts: { added: 3, changed: 5, acknowledged: 8 } });
  }, 90_000);
});
