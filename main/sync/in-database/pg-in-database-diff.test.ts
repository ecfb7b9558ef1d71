import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../engine/engine';
import { openTestEngine } from '../../testing/engine';
import { startKafka, type KafkaPeer } from '../../testing/peers/kafka';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { fingerprintFor } from './pg-fingerprint';
import { deleteSync, resetSyncSnapshot, syncFootprint } from '../sync-admin';
import { PgOutbox } from './pg-outbox';
import { recordedSnapshotTable } from './snapshot-table';

// The in-database diff (issue #16) against a real PostgreSQL and a real Kafka broker: the same events
// as the local differ, the snapshot in the source moving only for delivered rows.

let pgPeer: PostgresPeer;
let kafka: KafkaPeer;
const PASSWORD_ENV = 'SLUICE_TEST_PG_IN_DB_PASSWORD';
beforeAll(async () => {
  [pgPeer, kafka] = await Promise.all([startPostgres(), startKafka()]);
  process.env[PASSWORD_ENV] = pgPeer.password;
}, 300_000);
afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await Promise.all([pgPeer?.stop(), kafka?.stop()]);
});

const template = '{"event": {{ event | json }}, "row": {{ row | json }}, "previous": {{ previous | json }}}';

function messages(topic: string): string[] {
  return kafka.kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\\t%s\\n']).split('\n').filter(Boolean);
}

/** A sync's id and its snapshot table, qualified. */
function syncTable(engine: Engine, name: string): { syncId: number; table: string } {
  const syncId = (engine.db.prepare('SELECT id FROM syncs WHERE name = ?').get(name) as { id: number }).id;
  return { syncId, table: `sluice_state.${recordedSnapshotTable(engine.db, syncId)!}` };
}

/** The snapshot table of the engine's only in-database sync (its name is a hash of the workspace and the sync). */
async function tableWith(engine: Engine): Promise<string> {
  const syncId = (engine.db.prepare("SELECT id FROM syncs WHERE name = 'notes'").get() as { id: number }).id;
  return recordedSnapshotTable(engine.db, syncId)!;
}

async function engineWith(source: { user: string; password: { env: string } }): Promise<{ engine: Engine; dir: string; close(): Promise<void> }> {
  const t = await openTestEngine();
  t.engine.catalog.putSource({
    kind: 'postgres',
    name: 'pg',
    host: pgPeer.host,
    port: pgPeer.port,
    database: pgPeer.database,
    user: source.user,
    password: source.password,
    ssl: false,
  });
  return t;
}

/** A table `name (id int8, body text)` of `rows` rows, bodies `<letter><id>`. */
async function tableOf(name: string, rows: number, letter: string): Promise<void> {
  await pgPeer.query(`CREATE TABLE ${name} (id int8, body text)`);
  await pgPeer.query(`INSERT INTO ${name} SELECT g, '${letter}' || g FROM generate_series(1, ${rows}) g`);
}

/** The workspace's log, every file of it. */
function logOf(dir: string): string {
  return fs
    .readdirSync(path.join(dir, 'logs'))
    .map((f) => fs.readFileSync(path.join(dir, 'logs', f), 'utf8'))
    .join('\n');
}

/** A one-partition topic and a Kafka destination, both named `name`. */
async function topicDestination(engine: Engine, name: string): Promise<void> {
  await kafka.createTopic(name, 1);
  engine.catalog.putDestination({ kind: 'kafka', name, brokers: [kafka.listeners.plaintext], topic: name });
}

/** `SELECT id, body FROM <table>` as a model per diff, each synced (every event; `initialSync` as given) to a topic of its own: `<table>-local`, `<table>-in-database`. */
async function twinSyncs(engine: Engine, table: string, initialSync?: 'baseline'): Promise<void> {
  for (const diff of ['local', 'in-database'] as const) {
    const name = `${table}-${diff}`;
    engine.catalog.putModel({ name, source: 'pg', query: `SELECT id, body FROM ${table}`, primaryKey: ['id'], diff });
    await topicDestination(engine, name);
    engine.catalog.putSync({
      name,
      model: name,
      destination: name,
      triggers: ['added', 'changed', 'removed'],
      ...(initialSync ? { initialSync } : {}),
      payload: { mode: 'template', template },
    });
  }
}

describe('PostgreSQL in-database diff', () => {
  // In one session, and with the join split across two (pg-helper-session.ts; from a snapshot of any size here).
  it.each([
    ['', 'items', undefined],
    [' (the join split across two sessions)', 'items_split', '-1'],
  ])(
    'gives the same events as the local differ: added, changed, removed, NULLs, composite keys with big integers, null and duplicated keys%s',
    async (_, items, splitFrom) => {
      if (splitFrom === undefined) delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
      else process.env.SLUICE_TEST_PG_SPLIT_FROM = splitFrom;
      await pgPeer.query(`CREATE TABLE ${items} (tenant int8, id numeric, name text, amount numeric(12,2), note text, big int8, seen timestamptz)`);
      await pgPeer.query(
        `INSERT INTO ${items} SELECT 9007199254740990 + (g % 5), g, 'item ' || g, g * 1.5, CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END, 9223372036854775000 + g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' FROM generate_series(1, 300) g`,
      );
      const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
      try {
        const query = `SELECT tenant, id, name, amount, note, big, seen FROM ${items}`;
        t.engine.catalog.putModel({ name: 'local', source: 'pg', query, primaryKey: ['tenant', 'id'] });
        t.engine.catalog.putModel({ name: 'indb', source: 'pg', query, primaryKey: ['tenant', 'id'], diff: 'in-database' });
        for (const name of ['local', 'indb']) {
          await kafka.createTopic(`${items}-${name}`, 1);
          t.engine.catalog.putDestination({ kind: 'kafka', name: `to-${name}`, brokers: [kafka.listeners.plaintext], topic: `${items}-${name}` });
          t.engine.catalog.putSync({
            name: `sync-${name}`,
            model: name,
            destination: `to-${name}`,
            triggers: ['added', 'changed', 'removed'],
            payload: { mode: 'template', template },
          });
        }
        const seen = { local: 0, indb: 0 };
        const runBoth = async () => {
          const runs = { local: await t.engine.runSync('sync-local'), indb: await t.engine.runSync('sync-indb') };
          const out = { local: messages(`${items}-local`).slice(seen.local), indb: messages(`${items}-indb`).slice(seen.indb) };
          seen.local += out.local.length;
          seen.indb += out.indb.length;
          return { runs, out };
        };

        const first = await runBoth();
        expect(first.runs.indb).toMatchObject({ status: 'succeeded', counts: { read: 300, added: 300, acknowledged: 300 } });
        expect(first.out.indb).toEqual(first.out.local);
        expect(first.out.indb[0]).toMatch(
          /^\[9007199254740991,"1"\]\t\{"event":"added","row":\{"tenant":9007199254740991,"id":"1","name":"item 1","amount":"1.50","note":"n1","big":"9223372036854775001",/,
        );

        // Changes: values, to and from NULL; removals; new rows (past 2^53); a null key part and a duplicated key (rejected, and the duplicated key is not "removed").
        await pgPeer.query(`UPDATE ${items} SET name = name || ' v2' WHERE id % 17 = 0`);
        await pgPeer.query(`UPDATE ${items} SET note = NULL WHERE id IN (1, 2)`);
        await pgPeer.query(`UPDATE ${items} SET note = 'back' WHERE id IN (3, 6)`);
        // Text a row's text form quotes and escapes (copied between sessions as that text when the join is split).
        await pgPeer.query(`UPDATE ${items} SET note = E'a "quoted", (parenthesised) \\\\ back\\\\slashed\\n {braced} NULL' WHERE id % 23 = 0`);
        await pgPeer.query(`DELETE FROM ${items} WHERE id BETWEEN 100 AND 104`);
        await pgPeer.query(
          `INSERT INTO ${items} VALUES (9007199254740993, 1000, 'new', 1, NULL, -9223372036854775808, NULL), (NULL, 1001, 'no tenant', 1, NULL, 1, NULL), (9007199254740990, 200, 'twin', 1, NULL, 1, NULL)`,
        );
        const second = await runBoth();
        expect(second.runs.indb.counts).toEqual(second.runs.local.counts);
        expect(second.runs.indb.counts).toMatchObject({ added: 1, removed: 5, rejectedRows: 3 });
        expect(second.runs.indb.counts.changed).toBeGreaterThan(15);
        expect(second.out.indb).toEqual(second.out.local);
        expect(second.out.indb.some((m) => m.includes('"event":"removed"'))).toBe(true);

        // The duplicate goes away; nothing else changed: the key comes back as changed for neither, and nothing more is sent than locally.
        await pgPeer.query(`DELETE FROM ${items} WHERE name = 'twin'`);
        await pgPeer.query(`UPDATE ${items} SET amount = amount + 1 WHERE id = 5`);
        const third = await runBoth();
        expect(third.runs.indb.counts).toEqual(third.runs.local.counts);
        expect(third.out.indb).toEqual(third.out.local);
        expect(third.out.indb.length).toBe(1);

        // The snapshot lives in the source: a table in sluice_state, a row per delivered key.
        const { table } = syncTable(t.engine, 'sync-indb');
        const options = await pgPeer.query(`SELECT reloptions FROM pg_class WHERE oid = '${table}'::regclass`);
        expect(options.rows[0].reloptions).toEqual(['fillfactor=90']);
        const count = await pgPeer.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect(count.rows[0].n).toBe(
          t.engine.db.prepare('SELECT count(*) AS n FROM snapshot s JOIN syncs y ON y.id = s.sync_id WHERE y.name = ?').pluck().get('sync-local'),
        );

        // Neither the password nor a row's values reach the log.
        const log = logOf(t.dir);
        expect(log).not.toContain(pgPeer.password);
        expect(log).not.toContain('item 17 v2');
        expect(log).not.toContain('sluice_state');
        // Each of the three runs joined in the sessions asked for.
        expect(log.split('run.in-database-join-split').length - 1).toBe(splitFrom === undefined ? 0 : 3);
      } finally {
        delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
        await t.close();
      }
    },
    120_000,
  );

  it('a key the snapshot lacks on two rows is refused as by the local differ, and added once it is unique', async () => {
    await tableOf('pairs', 10, 'p');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      for (const diff of ['local', 'in-database'] as const) {
        const name = `pairs-${diff}`;
        t.engine.catalog.putModel({ name, source: 'pg', query: 'SELECT id, body FROM pairs', primaryKey: ['id'], diff });
        await topicDestination(t.engine, name);
        t.engine.catalog.putSync({ name, model: name, destination: name, triggers: ['added', 'changed', 'removed'], payload: { mode: 'template', template } });
      }
      const runBoth = async () => ({ local: await t.engine.runSync('pairs-local'), indb: await t.engine.runSync('pairs-in-database') });
      await runBoth();
      await pgPeer.query(`INSERT INTO pairs VALUES (11, 'a'), (11, 'b'), (12, 'c')`);
      const twin = await runBoth();
      expect(twin.indb.counts).toMatchObject({ read: 13, added: 1, rejectedRows: 2, unchanged: 10 });
      expect(twin.indb.counts).toEqual(twin.local.counts);
      await pgPeer.query(`DELETE FROM pairs WHERE body = 'b'`);
      const unique = await runBoth();
      expect(unique.indb.counts).toMatchObject({ added: 1, rejectedRows: 0, unchanged: 11 });
      expect(unique.indb.counts).toEqual(unique.local.counts);
      expect(messages('pairs-in-database')).toEqual(messages('pairs-local'));
      // The mass-removal guard weighs removals against the snapshot's size, counted in the same pass.
      await pgPeer.query(`DELETE FROM pairs WHERE id > 4`);
      const mass = await runBoth();
      expect(mass.indb).toMatchObject({ status: 'failed', error: mass.local.error });
      expect(mass.indb.error).toMatch(/remove 8 of the 12 rows/);
    } finally {
      await t.close();
    }
  }, 120_000);

  it.each([
    ['', undefined],
    [' (the join split across two sessions)', '-1'],
  ])(
    "keys are told apart byte for byte, as by the local differ: case under a case-blind (ICU) collation, a float's -0 and 0 one key%s",
    async (_, splitFrom) => {
      const suffix = splitFrom === undefined ? '' : '_split';
      await pgPeer.query(`CREATE COLLATION IF NOT EXISTS case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`);
      await pgPeer.query(`CREATE TABLE blind${suffix} (id text COLLATE case_blind, body text)`);
      await pgPeer.query(
        `INSERT INTO blind${suffix} SELECT 'Key' || g, 'b' || g FROM generate_series(1, 40) g UNION ALL VALUES ('a', 'lower'), ('A', 'upper')`,
      );
      await pgPeer.query(`CREATE TABLE floats${suffix} (id float8, body text)`);
      await pgPeer.query(`INSERT INTO floats${suffix} VALUES (0, 'zero'), ('-0', 'minus zero'), (1.5, 'one and a half')`);
      await pgPeer.query(`CREATE TABLE reals${suffix} (id float4, body text)`);
      await pgPeer.query(`INSERT INTO reals${suffix} VALUES (1.1, 'a'), (2.5, 'b'), (0.3, 'c')`);
      const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
      try {
        for (const table of [`blind${suffix}`, `floats${suffix}`, `reals${suffix}`]) await twinSyncs(t.engine, table);
        if (splitFrom !== undefined) process.env.SLUICE_TEST_PG_SPLIT_FROM = splitFrom;
        for (const [table, first] of [
          [`blind${suffix}`, { read: 42, added: 42, rejectedRows: 0 }],
          [`floats${suffix}`, { read: 3, added: 1, rejectedRows: 2 }],
          [`reals${suffix}`, { read: 3, added: 3, rejectedRows: 0 }],
        ] as const) {
          const runBoth = async () => ({ local: await t.engine.runSync(`${table}-local`), indb: await t.engine.runSync(`${table}-in-database`) });
          const one = await runBoth();
          expect(one.indb.counts).toMatchObject(first);
          expect(one.indb.counts).toEqual(one.local.counts);
          // Nothing changed: nothing is sent (before, a split join sent unchanged rows of the case-blind key as added, then removed).
          const two = await runBoth();
          expect(two.indb.counts).toMatchObject({ added: 0, changed: 0, removed: 0 });
          expect(two.indb.counts).toEqual(two.local.counts);
          expect(messages(`${table}-in-database`)).toEqual(messages(`${table}-local`));
        }
        // A float4 key is kept as its own text (1.1, not float8's 1.100000023841858): snapshots written before keep matching.
        const reals = await pgPeer.query(`SELECT pk FROM ${syncTable(t.engine, `reals${suffix}-in-database`).table} ORDER BY pk`);
        expect(reals.rows.map((r: { pk: string }) => r.pk)).toEqual(['0.3', '1.1', '2.5']);
      } finally {
        delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
        await t.close();
      }
    },
    120_000,
  );

  it('a baseline first run sends nothing and records every row in PostgreSQL; later runs send only changes, as the local differ', async () => {
    await tableOf('base', 3000, 'b');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      await twinSyncs(t.engine, 'base', 'baseline');
      const runBoth = async () => ({ local: await t.engine.runSync('base-local'), indb: await t.engine.runSync('base-in-database') });
      const first = await runBoth();
      expect(first.indb).toMatchObject({ status: 'succeeded', toSend: 0, counts: { read: 3000, added: 3000, skippedByTrigger: 3000, acknowledged: 0 } });
      expect(first.indb.counts).toEqual(first.local.counts);
      const { syncId, table } = syncTable(t.engine, 'base-in-database');
      expect((await pgPeer.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(3000);
      expect(new PgOutbox(t.engine.db, syncId).pending()).toBe(0);
      // Written whole by this run: vacuumed at its end (the next diff does not set 3,000 rows' hint bits).
      const vacuums = async () =>
        Number((await pgPeer.query(`SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = '${table}'::regclass`)).rows[0].vacuum_count);
      await vi.waitFor(async () => expect(await vacuums()).toBe(1), { timeout: 10_000 });

      await pgPeer.query(`UPDATE base SET body = body || ' v2' WHERE id IN (5, 2500)`);
      await pgPeer.query(`DELETE FROM base WHERE id = 7`);
      await pgPeer.query(`INSERT INTO base VALUES (3001, 'new')`);
      const second = await runBoth();
      expect(second.indb).toMatchObject({ status: 'succeeded', counts: { added: 1, changed: 2, removed: 1, acknowledged: 4 } });
      expect(second.indb.counts).toEqual(second.local.counts);
      expect(messages('base-in-database')).toEqual(messages('base-local'));
      expect(messages('base-in-database')).toHaveLength(4);
      // Four rows of 3,000 written back: not vacuumed again (autovacuum's business).
      expect(await vacuums()).toBe(1);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('rows of an event whose trigger is off are recorded, not sent; a mass removal stops the run with nothing recorded', async () => {
    await tableOf('quiet', 10, 'q');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      t.engine.catalog.putModel({ name: 'quiet', source: 'pg', query: 'SELECT id, body FROM quiet', primaryKey: ['id'], diff: 'in-database' });
      await topicDestination(t.engine, 'quiet');
      t.engine.catalog.putSync({
        name: 'quiet',
        model: 'quiet',
        destination: 'quiet',
        triggers: ['added', 'changed'],
        payload: { mode: 'template', template },
      });
      const syncId = (t.engine.db.prepare("SELECT id FROM syncs WHERE name = 'quiet'").get() as { id: number }).id;
      const keys = async () =>
        (await pgPeer.query(`SELECT string_agg(key, ',' ORDER BY key::int) AS k FROM sluice_state.${recordedSnapshotTable(t.engine.db, syncId)!}`)).rows[0]
          .k as string;
      expect(await t.engine.runSync('quiet')).toMatchObject({ status: 'succeeded', counts: { added: 10, acknowledged: 10 } });

      await pgPeer.query(`DELETE FROM quiet WHERE id IN (1, 2)`);
      await pgPeer.query(`UPDATE quiet SET body = 'changed' WHERE id = 3`);
      const quiet = await t.engine.runSync('quiet');
      expect(quiet).toMatchObject({ status: 'succeeded', counts: { changed: 1, removed: 2, skippedByTrigger: 2, acknowledged: 1 } });
      expect(await keys()).toBe('3,4,5,6,7,8,9,10');

      await pgPeer.query(`DELETE FROM quiet WHERE id > 4`);
      const mass = await t.engine.runSync('quiet');
      expect(mass.status).toBe('failed');
      expect(mass.error).toMatch(/remove 6 of the 8 rows/);
      expect(await keys()).toBe('3,4,5,6,7,8,9,10');
      expect(new PgOutbox(t.engine.db, syncId).pending()).toBe(0);
      expect(messages('quiet')).toHaveLength(11);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('rows recorded without sending that PostgreSQL refuses: the run fails saying so, sends nothing, and the next run records them', async () => {
    await tableOf('refused', 50, 'r');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      t.engine.catalog.putModel({ name: 'refused', source: 'pg', query: 'SELECT id, body FROM refused', primaryKey: ['id'], diff: 'in-database' });
      await topicDestination(t.engine, 'refused');
      t.engine.catalog.putSync({ name: 'refused', model: 'refused', destination: 'refused', triggers: ['added'], payload: { mode: 'template', template } });
      expect(await t.engine.runSync('refused')).toMatchObject({ status: 'succeeded', counts: { added: 50, acknowledged: 50 } });
      const { table } = syncTable(t.engine, 'refused');
      // A real refusal from PostgreSQL: a trigger on the snapshot table that raises on every update.
      await pgPeer.query(`CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'updates refused here'; END $$`);
      await pgPeer.query(`CREATE TRIGGER refuse BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_update()`);
      await pgPeer.query(`UPDATE refused SET body = 'changed ' || id WHERE id IN (4, 8, 15)`);
      const failed = await t.engine.runSync('refused');
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/could not be written to the snapshot in PostgreSQL .*updates refused here/);
      expect(messages('refused')).toHaveLength(50);

      await pgPeer.query(`DROP TRIGGER refuse ON ${table}`);
      expect(await t.engine.runSync('refused')).toMatchObject({ status: 'succeeded', counts: { changed: 3, skippedByTrigger: 3, acknowledged: 0 } });
      const rows = await pgPeer.query(`SELECT string_agg(row, ' ' ORDER BY key::int) AS r FROM ${table} WHERE key IN ('4', '8', '15')`);
      expect(rows.rows[0].r).toBe('{"id":4,"body":"changed 4"} {"id":8,"body":"changed 8"} {"id":15,"body":"changed 15"}');
      expect(await t.engine.runSync('refused')).toMatchObject({ status: 'succeeded', counts: { changed: 0, unchanged: 50 } });
      expect(messages('refused')).toHaveLength(50);
    } finally {
      await t.close();
    }
  }, 120_000);

  it("a role allowed one connection: rows recorded without sending go through the outbox on the run's own connection instead, and the join runs in one session", async () => {
    process.env.SLUICE_TEST_PG_SPLIT_FROM = '-1'; // (a second session would be asked for at any size)
    await tableOf('solo_rows', 300, 's');
    await pgPeer.query(`CREATE ROLE solo LOGIN PASSWORD 'solo-pw' CONNECTION LIMIT 1`);
    await pgPeer.query(`GRANT SELECT ON solo_rows TO solo`);
    await pgPeer.query(`CREATE SCHEMA IF NOT EXISTS sluice_state`);
    await pgPeer.query(`GRANT USAGE, CREATE ON SCHEMA sluice_state TO solo`);
    process.env.SLUICE_TEST_SOLO_PW = 'solo-pw';
    const t = await engineWith({ user: 'solo', password: { env: 'SLUICE_TEST_SOLO_PW' } });
    try {
      t.engine.catalog.putModel({ name: 'solo', source: 'pg', query: 'SELECT id, body FROM solo_rows', primaryKey: ['id'], diff: 'in-database' });
      await topicDestination(t.engine, 'solo');
      t.engine.catalog.putSync({
        name: 'solo',
        model: 'solo',
        destination: 'solo',
        triggers: ['added', 'changed', 'removed'],
        initialSync: 'baseline',
        payload: { mode: 'template', template },
      });
      expect(await t.engine.runSync('solo')).toMatchObject({ status: 'succeeded', counts: { added: 300, skippedByTrigger: 300, acknowledged: 0 } });
      const { syncId, table } = syncTable(t.engine, 'solo');
      expect((await pgPeer.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(300);
      expect(new PgOutbox(t.engine.db, syncId).pending()).toBe(0);
      expect(logOf(t.dir)).toContain('run.in-database-record-via-outbox');

      await pgPeer.query(`UPDATE solo_rows SET body = 'changed' WHERE id IN (10, 20)`);
      expect(await t.engine.runSync('solo')).toMatchObject({ status: 'succeeded', counts: { changed: 2, unchanged: 298, acknowledged: 2 } });
      expect(messages('solo')).toHaveLength(2);
      expect(logOf(t.dir)).not.toContain('run.in-database-join-split');
    } finally {
      delete process.env.SLUICE_TEST_SOLO_PW;
      delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
      await t.close();
    }
  }, 120_000);

  it.each([
    ['', 1, undefined],
    [' (both, the join split across two sessions)', 2, '-1'],
  ])(
    'cancelling a run while PostgreSQL diffs cancels the statement there%s: the run ends cancelled, nothing left running, nothing recorded',
    async (_, sessions, splitFrom) => {
      if (splitFrom === undefined) delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
      else process.env.SLUICE_TEST_PG_SPLIT_FROM = splitFrom;
      const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
      const sleeping = async () =>
        (
          await pgPeer.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()`,
          )
        ).rows[0].n as number;
      try {
        const query = 'SELECT 1::int8 AS id, s::text AS body FROM pg_sleep(600) AS s';
        t.engine.catalog.putModel({ name: 'slow', source: 'pg', query, primaryKey: ['id'], diff: 'in-database' });
        t.engine.catalog.putDestination({ kind: 'kafka', name: 'slow', brokers: [kafka.listeners.plaintext], topic: 'slow' });
        t.engine.catalog.putSync({ name: 'slow', model: 'slow', destination: 'slow', triggers: ['added'], payload: { mode: 'template', template } });
        const runId = t.engine.startRun('slow');
        await expect.poll(sleeping, { timeout: 30_000 }).toBe(sessions);
        t.engine.cancelRun(runId);
        await t.engine.idle(); // (without the cancel, 600 s: the test's timeout fails it)
        expect(t.engine.runs.get(runId)).toMatchObject({ status: 'cancelled', error: null, counts: { added: 0, acknowledged: 0 } });
        expect(await sleeping()).toBe(0);
        const syncId = (t.engine.db.prepare("SELECT id FROM syncs WHERE name = 'slow'").get() as { id: number }).id;
        expect(new PgOutbox(t.engine.db, syncId).pending()).toBe(0);
      } finally {
        delete process.env.SLUICE_TEST_PG_SPLIT_FROM;
        await t.close();
      }
    },
    60_000,
  );

  it('a reset sync, a sync made after a deleted one (even with its id) and a sync pointed elsewhere start over: every row sent', async () => {
    await tableOf('again', 3, 'a');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      t.engine.catalog.putModel({ name: 'again', source: 'pg', query: 'SELECT id, body FROM again', primaryKey: ['id'], diff: 'in-database' });
      for (const topic of ['again-1', 'again-2']) {
        await topicDestination(t.engine, topic);
      }
      const sync = (destination: string) =>
        t.engine.catalog.putSync({
          name: 'again',
          model: 'again',
          destination,
          triggers: ['added', 'changed', 'removed'],
          payload: { mode: 'template', template },
        });
      const sent = async () => (await t.engine.runSync('again')).counts;
      const first = sync('again-1');
      expect(await sent()).toMatchObject({ added: 3, acknowledged: 3 });
      expect(await sent()).toMatchObject({ unchanged: 3, acknowledged: 0 });

      // The app and the CLI say where the snapshot is (none of it in the workspace).
      expect(syncFootprint(t.engine, 'again')).toMatchObject({ snapshotRows: 0, snapshotInSource: true });
      // A run killed after delivering left its write-back in the outbox: reset drops it with the rest.
      new PgOutbox(t.engine.db, first.id).put({ key: '1', event: 'added', row: '{"id":1,"body":"a1"}', pg: { key: '1', fp: '5' } });
      const old = recordedSnapshotTable(t.engine.db, first.id)!;
      expect(resetSyncSnapshot(t.engine, 'again')).toEqual({ cleared: 0, inSource: true });
      expect(syncFootprint(t.engine, 'again')).toMatchObject({ snapshotInSource: false });
      expect(new PgOutbox(t.engine.db, first.id).pending()).toBe(0);
      const exists = async (table: string) => (await pgPeer.query(`SELECT to_regclass($1) AS t`, [`sluice_state.${table}`])).rows[0].t !== null;
      expect(await exists(old)).toBe(true);
      expect(await sent()).toMatchObject({ added: 3, unchanged: 0, acknowledged: 3 });
      // The next run dropped the forgotten table.
      expect(await exists(old)).toBe(false);
      expect(await exists(recordedSnapshotTable(t.engine.db, first.id)!)).toBe(true);

      deleteSync(t.engine, 'again');
      const remade = sync('again-1');
      expect(remade.id).toBe(first.id); // (SQLite gives the new sync the deleted one's id)
      expect(await sent()).toMatchObject({ added: 3, unchanged: 0, acknowledged: 3 });

      sync('again-2');
      expect(await sent()).toMatchObject({ added: 3, unchanged: 0, acknowledged: 3 });
      expect(messages('again-2')).toHaveLength(3);
      expect(messages('again-1')).toHaveLength(9);
    } finally {
      await t.close();
    }
  }, 120_000);

  it("a model's diff cannot change while a sync keeps a snapshot (the other diff would lose track of it); after a reset it can", async () => {
    await tableOf('flip', 4, 'f');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      const model = (diff: 'local' | 'in-database') =>
        t.engine.catalog.putModel({ name: 'flip', source: 'pg', query: 'SELECT id, body FROM flip', primaryKey: ['id'], diff });
      model('local');
      await topicDestination(t.engine, 'flip');
      t.engine.catalog.putSync({
        name: 'flip',
        model: 'flip',
        destination: 'flip',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template },
      });
      // Not run yet: nothing to lose track of.
      model('in-database');
      model('local');
      const run = async () => (await t.engine.runSync('flip')).counts;
      expect(await run()).toMatchObject({ added: 4, acknowledged: 4 });

      await pgPeer.query(`DELETE FROM flip WHERE id = 2`);
      expect(() => model('in-database')).toThrow(/The model "flip" cannot change its diff to in-database while its sync "flip" keeps a snapshot/);
      expect(t.engine.catalog.getModel('flip').diff ?? 'local').toBe('local');
      expect(await run()).toMatchObject({ removed: 1, acknowledged: 1 });

      resetSyncSnapshot(t.engine, 'flip');
      model('in-database');
      expect(await run()).toMatchObject({ added: 3, acknowledged: 3 });
      await pgPeer.query(`UPDATE flip SET body = 'changed' WHERE id = 1`);
      expect(await run()).toMatchObject({ changed: 1, acknowledged: 1 });
      expect(() => model('local')).toThrow(/while its sync "flip" keeps a snapshot/);
      resetSyncSnapshot(t.engine, 'flip');
      model('local');
      expect(await run()).toMatchObject({ added: 3, acknowledged: 3 });
      await pgPeer.query(`UPDATE flip SET body = 'again' WHERE id = 1`);
      expect(await run()).toMatchObject({ changed: 1, acknowledged: 1 });
      const last = JSON.parse(messages('flip').at(-1)!.split('\t')[1]!) as { previous: { body: string } };
      expect(last.previous.body).toBe('changed');
    } finally {
      await t.close();
    }
  }, 120_000);

  it('a record that fails is not in the PostgreSQL snapshot and is sent again by the next run; only it', async () => {
    await pgPeer.query(`CREATE TABLE notes (id int8 PRIMARY KEY, body text)`);
    await pgPeer.query(`INSERT INTO notes SELECT g, CASE WHEN g = 7 THEN repeat('x', 5000) ELSE 'short ' || g END FROM generate_series(1, 20) g`);
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      t.engine.catalog.putModel({ name: 'notes', source: 'pg', query: 'SELECT id, body FROM notes', primaryKey: ['id'], diff: 'in-database' });
      await kafka.createTopic('notes-small', 1, { 'max.message.bytes': '2000' });
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'small', brokers: [kafka.listeners.plaintext], topic: 'notes-small' });
      t.engine.catalog.putSync({
        name: 'notes',
        model: 'notes',
        destination: 'small',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template: '{{ row | json }}' },
      });
      const first = await t.engine.runSync('notes');
      expect(first).toMatchObject({ status: 'partial', counts: { added: 20, acknowledged: 19, failed: 1 } });
      // The failed row's key is not in the source's snapshot; the 19 delivered ones are.
      const keys = await pgPeer.query(`SELECT string_agg(key, ',' ORDER BY key::int) AS keys FROM sluice_state.${await tableWith(t.engine)}`);
      expect(keys.rows[0].keys).toBe([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].join(','));
      // The row made to fit: the next run sends it, as added (it never was delivered), and only it.
      await pgPeer.query(`UPDATE notes SET body = 'short 7' WHERE id = 7`);
      const second = await t.engine.runSync('notes');
      expect(second).toMatchObject({ status: 'succeeded', counts: { read: 20, added: 1, unchanged: 19, acknowledged: 1 } });
      expect(messages('notes-small').map((m) => m.split('\t')[0])).toEqual(
        [...[1, 2, 3, 4, 5, 6], ...Array.from({ length: 13 }, (_, i) => i + 8), 7].map(String),
      );
      const third = await t.engine.runSync('notes');
      expect(third).toMatchObject({ status: 'succeeded', counts: { unchanged: 20, acknowledged: 0 } });
    } finally {
      await t.close();
    }
  }, 120_000);

  it('a killed run reconciles: rows it delivered but did not write back to PostgreSQL are written by the next run before it diffs, not sent again', async () => {
    await pgPeer.query(`CREATE TABLE tasks (id int8 PRIMARY KEY, body text)`);
    await pgPeer.query(`INSERT INTO tasks SELECT g, 'task ' || g FROM generate_series(1, 5) g`);
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      const query = 'SELECT id, body FROM tasks';
      t.engine.catalog.putModel({ name: 'tasks', source: 'pg', query, primaryKey: ['id'], diff: 'in-database' });
      await kafka.createTopic('tasks', 1);
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'k', brokers: [kafka.listeners.plaintext], topic: 'tasks' });
      t.engine.catalog.putSync({
        name: 'tasks',
        model: 'tasks',
        destination: 'k',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template: '{{ row | json }}' },
      });
      expect(await t.engine.runSync('tasks')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 5 } });
      await pgPeer.query(`UPDATE tasks SET body = body || ' done' WHERE id IN (2, 4)`);
      // A run delivered ids 2 and 4 and was killed after its ledger commit, before writing back to
      // PostgreSQL: what it leaves is their outbox entries in the workspace.
      const syncId = (t.engine.db.prepare("SELECT id FROM syncs WHERE name = 'tasks'").get() as { id: number }).id;
      const outbox = new PgOutbox(t.engine.db, syncId);
      const fields = (await pgPeer.query(`SELECT * FROM (${query}) q LIMIT 0`)).fields;
      const version = (await pgPeer.query(`SELECT current_setting('server_version_num')::int AS v`)).rows[0].v as number;
      const delivered = await pgPeer.query(
        `SELECT (q.id)::text AS pk, ${fingerprintFor(fields, version)}::text AS fp, q.id, q.body FROM (${query}) q WHERE q.id IN (2, 4) ORDER BY q.id`,
      );
      // An older word for id 2 first (the last one for a key wins), and an entry from before the int8
      // fingerprint (an md5's text) for id 1, which goes in as 0 and so differs once (its row is the same: no event).
      outbox.put({ key: '2', event: 'changed', row: '{"id":2,"body":"older"}', pg: { key: '2', fp: '1' } });
      // Where each key's row was as the run diffed: id 4's entry has its own place, id 2's has id 4's
      // (as after the table was rewritten: a place that holds another key must not take its write).
      const places = await pgPeer.query(`SELECT pk, ctid::text AS at FROM sluice_state.${recordedSnapshotTable(t.engine.db, syncId)!} WHERE pk IN ('2', '4')`);
      const placeOf = (pk: string) => (places.rows as { pk: string; at: string }[]).find((p) => p.pk === pk)!.at;
      for (const r of delivered.rows as { pk: string; fp: string; id: string; body: string }[]) {
        const pg = { key: r.pk, fp: r.fp, at: placeOf('4') };
        outbox.put({ key: r.pk, event: 'changed', row: JSON.stringify({ id: Number(r.id), body: r.body }), pg });
      }
      outbox.put({ key: '1', event: 'changed', row: '{"id":1,"body":"task 1"}', pg: { key: '1', fp: 'd41d8cd98f00b204e9800998ecf8427e' } });
      // And a removal it delivered for id 3: the snapshot forgets it, so the next diff finds it added.
      outbox.put({ key: '3', event: 'removed', row: '{"id":3,"body":"task 3"}', pg: { key: '3', fp: '' } });
      const next = await t.engine.runSync('tasks');
      expect(next).toMatchObject({ status: 'succeeded', counts: { read: 5, added: 1, changed: 0, unchanged: 4, acknowledged: 1 } });
      expect(outbox.pending()).toBe(0);
      const table = `sluice_state.${recordedSnapshotTable(t.engine.db, syncId)!}`;
      const snapshot = await pgPeer.query(`SELECT key, row FROM ${table} WHERE key IN ('2', '4') ORDER BY key`);
      expect(snapshot.rows).toEqual([
        { key: '2', row: '{"id":2,"body":"task 2 done"}' },
        { key: '4', row: '{"id":4,"body":"task 4 done"}' },
      ]);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('the fingerprint tells apart the values Sluice tells apart (scale, NaN and infinities, NULL and zero or empty, case under a case-blind collation, a value in another column, changes in two columns that could cancel out, int8s, times and timestamps that PostgreSQL hashes alike, a column named q), on this server and before PostgreSQL 11', async () => {
    await pgPeer.query(`CREATE COLLATION IF NOT EXISTS sluice_test_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`);
    const cases = [
      `SELECT v FROM (VALUES (1.0::numeric), (1.00), (1), ('NaN'), ('Infinity'), ('-Infinity'), (NULL), (0)) AS t(v)`,
      `SELECT v FROM (VALUES (0::float8), (NULL), (1), ('Infinity'), ('-Infinity'), ('NaN')) AS t(v)`,
      `SELECT v FROM (VALUES (0::float4), (NULL), (1.5), ('NaN')) AS t(v)`,
      `SELECT v COLLATE sluice_test_ci AS v FROM (VALUES ('a'::text), ('A'), (''), (NULL)) AS t(v)`,
      `SELECT v FROM (VALUES ('a'::varchar), ('A'), (''), (NULL)) AS t(v)`,
      `SELECT v FROM (VALUES ('a '::bpchar), ('a'), (NULL)) AS t(v)`,
      `SELECT a, b FROM (VALUES (1, NULL::int), (NULL, 1), (0, 0), (NULL, NULL), (1, 2), (2, 1)) AS t(a, b)`,
      `SELECT a, b FROM (VALUES ('x', 'y'), ('y', 'x'), ('x', NULL), (NULL, 'x')) AS t(a, b)`,
      `SELECT a, b FROM (VALUES (true, 1::int2), (false, 1::int2), (NULL, 0::int2), (true, NULL)) AS t(a, b)`,
      `SELECT v FROM (VALUES (1::int8), (-1), (4294967296), (NULL), (0)) AS t(v)`,
      `SELECT v FROM (VALUES (1::oid), (2), (NULL)) AS t(v)`,
      `SELECT ts FROM (VALUES (timestamptz '2026-01-01 00:00:00.000001+00'), ('2026-01-01 00:00:00+00'), ('2026-01-01 00:00:00+01'), ('infinity'), ('-infinity'), (NULL)) AS t(ts)`,
      `SELECT ts FROM (VALUES (timestamp '2026-01-01 00:00:00.000001'), ('2026-01-01 00:00:00'), ('infinity'), (NULL)) AS t(ts)`,
      `SELECT d, t FROM (VALUES (date '2026-01-01', time '10:00'), ('2026-01-02', '10:00'), ('infinity', '10:00:01'), (NULL, NULL), ('2026-01-01', NULL)) AS t(d, t)`,
      `SELECT u, b FROM (VALUES ('00000000-0000-0000-0000-000000000001'::uuid, '\\x00'::bytea), ('00000000-0000-0000-0000-000000000002', ''), (NULL, NULL), (NULL, '\\x0000')) AS t(u, b)`,
      `SELECT j FROM (VALUES ('{"a":1}'::jsonb), ('{"a":2}'), ('null'), (NULL), ('[]')) AS t(j)`,
      // Parts of two columns that cancel out when XORed: PostgreSQL hashes a float's 0 (and a numeric's
      // NaN) to the seed itself, so 0 ↔ NULL in two columns flipped the same bits for small seeds.
      `SELECT * FROM (VALUES (1, 'a', 0::float8, 'n', 0::float8), (1, 'a', NULL, 'n', NULL)) AS t(id, name, price, note, discount)`,
      `SELECT * FROM (VALUES (0::float8, 'x', NULL::float8, 1), (NULL, 'x', 0, 1)) AS t(a, b, c, id)`,
      `SELECT * FROM (VALUES (0::numeric, 'NaN'::numeric), ('NaN', 0), (NULL, NULL), (0, 0)) AS t(a, b)`,
      // Microseconds PostgreSQL folds as an int8's halves (T and T ^ (2^32 + 1) hash alike), in each column type.
      `SELECT * FROM (VALUES (1, timestamp '2000-01-01 00:00'), (1, '2000-01-01 01:11:34.967297')) AS t(id, at)`,
      `SELECT * FROM (VALUES (1, timestamptz '2024-05-01 12:00+00'), (1, '2024-05-01 10:48:25.032705+00')) AS t(id, at)`,
      `SELECT * FROM (VALUES (1, time '00:00'), (1, '01:11:34.967297')) AS t(id, t)`,
      // int8s whose halves XOR alike, in two columns at once, and swapped.
      `SELECT * FROM (VALUES (1, 0::int8, 0::int8), (1, 4294967297, 4294967297), (1, 4294967296, 1), (1, 1, 4294967296)) AS t(id, a, b)`,
      // A repeated column name (the text form's hash) next to a column named q: the row is hashed, not the column q.
      `SELECT o.id, o.q, o.status, o.region, r.region FROM (VALUES (1, 5, 'new', 'eu'), (1, 5, 'shipped', 'eu')) AS o(id, q, status, region) JOIN (SELECT 1 AS id, 'x' AS region) r USING (id)`,
    ];
    const version = (await pgPeer.query(`SELECT current_setting('server_version_num')::int AS v`)).rows[0].v as number;
    // This server's, and the MD5 of the text form that servers before PostgreSQL 11 get (its SQL runs here too).
    for (const v of [version, 100000])
      for (const query of cases) {
        const fields = (await pgPeer.query(`SELECT * FROM (${query}) q LIMIT 0`)).fields;
        const fps = await pgPeer.query(`SELECT ${fingerprintFor(fields, v)}::text AS fp FROM (${query}) q`);
        expect(new Set(fps.rows.map((r: { fp: string }) => r.fp)).size, `${v}: ${query}`).toBe(fps.rowCount);
      }
  });

  it("a snapshot written with other fingerprints (an older Sluice's) differs once: nothing is sent for it, its fingerprints are rewritten, and the next run finds it unchanged", async () => {
    await tableOf('legacy', 6, 'l');
    const t = await engineWith({ user: pgPeer.user, password: { env: PASSWORD_ENV } });
    try {
      const query = 'SELECT id, body FROM legacy';
      t.engine.catalog.putModel({ name: 'legacy', source: 'pg', query, primaryKey: ['id'], diff: 'in-database' });
      await topicDestination(t.engine, 'legacy');
      t.engine.catalog.putSync({
        name: 'legacy',
        model: 'legacy',
        destination: 'legacy',
        triggers: ['added', 'changed', 'removed'],
        initialSync: 'baseline',
        payload: { mode: 'template', template: '{{ row | json }}' },
      });
      expect(await t.engine.runSync('legacy')).toMatchObject({ status: 'succeeded', counts: { read: 6 } });
      const { table } = syncTable(t.engine, 'legacy');
      const fps = async () => (await pgPeer.query(`SELECT pk, fp::text FROM ${table} ORDER BY pk`)).rows as { pk: string; fp: string }[];
      const made = await fps();
      // As an older Sluice left it: every row's fingerprint made another way (stop 24's, a hash of the row value).
      await pgPeer.query(`UPDATE ${table} s SET fp = hash_record_extended(ROW(q.id, q.body COLLATE "C"), 1) FROM (${query}) q WHERE s.pk = q.id::text`);
      await pgPeer.query(`UPDATE legacy SET body = 'changed' WHERE id = 2`);
      // A dry run rewrites nothing, and says nothing of it.
      expect(await t.engine.runSync('legacy', { dryRun: true })).toMatchObject({ status: 'succeeded', counts: { changed: 1, unchanged: 5 } });
      expect(logOf(t.dir)).not.toContain('run.in-database-fingerprints-refreshed');
      expect(await t.engine.runSync('legacy')).toMatchObject({ status: 'succeeded', counts: { read: 6, changed: 1, unchanged: 5, acknowledged: 1 } });
      expect(messages('legacy')).toEqual(['2\t{"id":2,"body":"changed"}']);
      expect(logOf(t.dir)).toMatch(/"event":"run\.in-database-fingerprints-refreshed","runId":\d+,"rows":5\}/);
      const after = await fps();
      expect(after.filter((r) => r.pk !== '2')).toEqual(made.filter((r) => r.pk !== '2'));
      expect(after.find((r) => r.pk === '2')!.fp).not.toBe(made.find((r) => r.pk === '2')!.fp);
      expect(await t.engine.runSync('legacy')).toMatchObject({ status: 'succeeded', counts: { read: 6, changed: 0, unchanged: 6, acknowledged: 0 } });
    } finally {
      await t.close();
    }
  }, 60_000);

  it('a user without CREATE in the source gets a clear error naming the schema and the grant', async () => {
    await pgPeer.query(`CREATE ROLE reader LOGIN PASSWORD 'reader-secret-pw'`);
    await pgPeer.query(`GRANT SELECT ON notes TO reader`);
    process.env.SLUICE_TEST_READER_PW = 'reader-secret-pw';
    const t = await engineWith({ user: 'reader', password: { env: 'SLUICE_TEST_READER_PW' } });
    try {
      t.engine.catalog.putModel({ name: 'notes', source: 'pg', query: 'SELECT id, body FROM notes', primaryKey: ['id'], diff: 'in-database' });
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'big', brokers: [kafka.listeners.plaintext], topic: 'notes-big' });
      t.engine.catalog.putSync({
        name: 'notes',
        model: 'notes',
        destination: 'big',
        triggers: ['added'],
        payload: { mode: 'template', template: '{{ row | json }}' },
      });
      const run = await t.engine.runSync('notes');
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/schema sluice_state of postgres, and the user reader may not create it/);
      expect(run.error).toMatch(/GRANT CREATE ON DATABASE "postgres" TO "reader"/);
      expect(run.error).not.toContain('reader-secret-pw');
    } finally {
      delete process.env.SLUICE_TEST_READER_PW;
      await t.close();
    }
  }, 60_000);
});
