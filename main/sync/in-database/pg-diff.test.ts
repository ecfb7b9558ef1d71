import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresPeer } from '../../testing/peers/postgres';
import { modelColumns, snapshotRowsOf } from './pg-diff';
import { stageDelta } from './pg-join';
import { endHelper, helperSession } from './pg-helper-session';

// The join's count of the snapshot's rows (read from its plan, not a sequence), against a real
// PostgreSQL: the same count as the table's, from the plan when it shows the scan once, else counted.

let peer: PostgresPeer;
let client: pg.Client;
let serverVersion: number;
const statements: string[] = [];
beforeAll(async () => {
  peer = await startPostgres();
  client = new pg.Client({ host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password });
  await client.connect();
  serverVersion = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);
  // Every statement the diff sends, kept to see which ones it sent.
  type Query = (sql: unknown, params?: unknown) => Promise<pg.QueryResult>;
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (sql, params) => {
    if (typeof sql === 'string') statements.push(sql);
    return query(sql, params);
  };
  await peer.query('CREATE SCHEMA sluice_state');
  await peer.query('CREATE TABLE sluice_state.snap (pk text PRIMARY KEY, key text NOT NULL, fp int8 NOT NULL, row text NOT NULL)');
  // 8 snapshot keys: 1-5 as the model has them (fingerprints differ: all changed), 101-103 gone from the model.
  await peer.query(
    `INSERT INTO sluice_state.snap SELECT g::text, g::text, 0, '{}' FROM generate_series(1, 5) g UNION ALL SELECT g::text, g::text, 0, '{}' FROM generate_series(101, 103) g`,
  );
  await peer.query('CREATE TABLE things (id int8, body text)');
  await peer.query(`INSERT INTO things SELECT g, 'b' || g FROM generate_series(1, 7) g UNION ALL VALUES (NULL::int8, 'no key')`);
}, 120_000);
afterAll(async () => {
  await client?.end();
  await peer?.stop();
});

/** The join's tally for `query`; `split`: with a helper session joining half the keys. */
async function staged(query: string, split = false) {
  statements.length = 0;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  const helper = split
    ? await helperSession(client, { host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password })
    : undefined;
  if (split && !helper) throw new Error('no helper session');
  try {
    const model = { name: 'things', source: 'pg', query, primaryKey: ['id'] };
    const columns = await modelColumns(client, model, serverVersion);
    return await stageDelta(client, model, columns, { table: 'snap', qualified: '"sluice_state"."snap"' }, helper);
  } finally {
    if (helper) await endHelper(helper);
    await client.query('ROLLBACK');
  }
}

describe('the in-database diff counts the snapshot in its join', () => {
  it("takes the snapshot's rows from the join's plan: no count of the table, no numbering of its rows", async () => {
    const tally = await staged('SELECT id, body FROM things');
    expect(tally).toEqual({ read: 8, snapshot: 8, nulls: 1, addedRows: 2, removed: 3, matched: 5, sessions: 1 });
    expect(statements.some((s) => /count\(\*\) AS n FROM/.test(s))).toBe(false);
    expect(statements.filter((s) => s.includes('sluice_state'))).toHaveLength(1);
  });

  it('counts the table when the plan shows the scan more than once (a model that reads the snapshot under the same alias)', async () => {
    const tally = await staged(
      "SELECT id, body FROM things WHERE id IS NULL OR id NOT IN (SELECT pk::int8 FROM sluice_state.snap AS sluice_snapshot WHERE pk = '101')",
    );
    expect(tally).toMatchObject({ read: 8, snapshot: 8, removed: 3 });
    expect(statements.some((s) => /count\(\*\) AS n FROM/.test(s))).toBe(true);
  });

  it("a model's error while the join runs reaches the caller as PostgreSQL's (the statement runs under EXPLAIN ANALYZE)", async () => {
    await expect(staged('SELECT id, 10 / (id - 5) AS x FROM things')).rejects.toThrow(/division by zero/);
  });

  it('a model may name its columns as the join names its own (rn, k, fp, pk, __rn, __k, __spk): the same tally', async () => {
    const tally = await staged('SELECT id, body AS k, id AS rn, 1 AS fp, 2 AS pk, 3 AS __rn, 4 AS __k, 5 AS __spk, 6 AS __fp FROM things');
    expect(tally).toEqual({ read: 8, snapshot: 8, nulls: 1, addedRows: 2, removed: 3, matched: 5, sessions: 1 });
  });

  it('a json or jsonb key holding JSON null is a null key, as SQL NULL is (the local differ sees null there too)', async () => {
    for (const type of ['jsonb', 'json']) {
      const tally = await staged(`SELECT CASE WHEN id = 7 THEN 'null'::${type} ELSE to_${type}(id) END AS id, body FROM things`);
      expect(tally, type).toEqual({ read: 8, snapshot: 8, nulls: 2, addedRows: 1, removed: 3, matched: 5, sessions: 1 });
    }
  });

  it('takes a query ended with a semicolon and a line comment', async () => {
    const tally = await staged('SELECT id, body FROM things; -- all of them');
    expect(tally).toEqual({ read: 8, snapshot: 8, nulls: 1, addedRows: 2, removed: 3, matched: 5, sessions: 1 });
  });

  it("split across two sessions (each joining half the keys, in one snapshot of the data): the same tally, the snapshot's rows from both plans", async () => {
    for (const query of [
      'SELECT id, body FROM things',
      'SELECT id, body AS k, id AS rn, 1 AS fp, 2 AS pk, 3 AS __rn, 4 AS __k, 5 AS __spk, 6 AS __fp FROM things',
    ])
      expect(await staged(query, true), query).toEqual({ read: 8, snapshot: 8, nulls: 1, addedRows: 2, removed: 3, matched: 5, sessions: 2 });
    expect(statements.some((s) => /count\(\*\) AS n FROM/.test(s))).toBe(false);
    // The changed rows of both halves, each once, with their columns and model row numbers.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const helper = await helperSession(client, { host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password });
    try {
      const model = { name: 'things', source: 'pg', query: 'SELECT id, body FROM things', primaryKey: ['id'] };
      await stageDelta(client, model, await modelColumns(client, model, serverVersion), { table: 'snap', qualified: '"sluice_state"."snap"' }, helper);
      // (the helper's half had some of them, copied here)
      const helperRows = Number((await helper!.query('SELECT count(*) AS n FROM pg_temp.sluice_delta')).rows[0].n);
      expect(helperRows).toBeGreaterThan(0);
      expect(helperRows).toBeLessThan(11);
      const delta = await client.query('SELECT __rn::int AS rn, __k AS k, c1 AS body, __spk AS spk FROM pg_temp.sluice_delta ORDER BY __rn NULLS LAST, __spk');
      expect(delta.rows.map((r: { rn: number | null; k: string | null; body: string | null; spk: string | null }) => [r.rn, r.k, r.body, r.spk])).toEqual([
        ...[1, 2, 3, 4, 5].map((i) => [i, String(i), `b${i}`, String(i)]),
        [6, '6', 'b6', null],
        [7, '7', 'b7', null],
        [8, null, 'no key', null],
        [null, null, null, '101'],
        [null, null, null, '102'],
        [null, null, null, '103'],
      ]);
    } finally {
      if (helper) await endHelper(helper);
      await client.query('ROLLBACK');
    }
  });

  // Whatever the helper cannot do, the diff's own session does (its half joined there): the same tally, one session.
  describe('split, with a helper that cannot do its half', () => {
    const cfg = () => ({ host: peer.host, port: peer.port, database: peer.database, user: peer.user, password: peer.password });
    /** The tally of `query` split, `meanwhile` run once the model's columns are read and before the helper is made. */
    async function splitWith(query: string, meanwhile?: () => Promise<void>, onHelper?: (helper: pg.Client) => void) {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      let helper: pg.Client | undefined;
      try {
        const model = { name: 'things', source: 'pg', query, primaryKey: ['id'] };
        const columns = await modelColumns(client, model, serverVersion);
        await meanwhile?.();
        helper = await helperSession(client, cfg());
        expect(helper).toBeDefined();
        onHelper?.(helper!);
        return await stageDelta(client, model, columns, { table: 'snap', qualified: '"sluice_state"."snap"' }, helper);
      } finally {
        if (helper) await endHelper(helper);
        await client.query('ROLLBACK');
      }
    }
    const tally = { read: 8, snapshot: 8, nulls: 1, addedRows: 2, removed: 3, matched: 5, sessions: 1 };

    it('a lock the diff holds and another waits for (an ALTER TABLE queued in between): the helper gives up waiting, the diff joins its half', async () => {
      const ddl = new pg.Client(cfg());
      await ddl.connect();
      let altered: Promise<unknown> | undefined;
      try {
        const started = Date.now();
        expect(
          await splitWith('SELECT id, body FROM things', async () => {
            altered = ddl.query('ALTER TABLE things ADD COLUMN later int');
            await expect
              .poll(async () => (await peer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n)
              .toBe(1);
          }),
        ).toEqual({ ...tally, gaveBack: 'join' });
        expect(Date.now() - started).toBeLessThan(20_000);
        await altered; // (once the diff's transaction ended)
      } finally {
        await ddl.query('ALTER TABLE things DROP COLUMN IF EXISTS later');
        await ddl.end();
      }
    });

    it('a model that locks its rows (FOR UPDATE): the helper gives up waiting for them, the diff joins its half', async () => {
      expect(await splitWith('SELECT id, body FROM things FOR UPDATE')).toEqual({ ...tally, gaveBack: 'join' });
    });

    it("rows whose text does not read back (a NULL in a NOT NULL domain, as a removed key's columns are): none copied, the diff joins the half", async () => {
      await peer.query('CREATE DOMAIN sluice_test_posint AS int8 NOT NULL CHECK (VALUE > 0)');
      expect(await splitWith('SELECT id::sluice_test_posint AS id, body FROM things WHERE id IS NOT NULL')).toEqual({
        ...tally,
        read: 7,
        nulls: 0,
        gaveBack: 'copy',
      });
    });

    it("the helper's connection gone after its join, before its rows are copied: the diff joins its half", async () => {
      let pid = 0;
      const query = client.query.bind(client) as (sql: unknown, params?: unknown) => Promise<pg.QueryResult>;
      (client as unknown as { query: typeof query }).query = async (sql, params) => {
        if (typeof sql === 'string' && sql.startsWith('SAVEPOINT') && pid) await peer.query('SELECT pg_terminate_backend($1)', [pid]);
        return query(sql, params);
      };
      try {
        const split = await splitWith('SELECT id, body FROM things', undefined, (helper) => (pid = (helper as pg.Client & { processID: number }).processID));
        expect(split).toEqual({ ...tally, gaveBack: 'copy' });
      } finally {
        (client as unknown as { query: typeof query }).query = query;
      }
    });
  });

  it('refuses a model column named with the prefix Sluice keeps for its own, naming it', async () => {
    await expect(staged('SELECT id, body AS __sluice_row FROM things')).rejects.toThrow(
      /prefix __sluice_, which is reserved: rename the model.s column "__sluice_row" in the query \(e.g. AS row\)/,
    );
  });

  it('an empty snapshot counts 0; an empty model reads 0', async () => {
    await peer.query('CREATE TABLE sluice_state.empty (pk text PRIMARY KEY, key text NOT NULL, fp int8 NOT NULL, row text NOT NULL)');
    statements.length = 0;
    await client.query('BEGIN');
    try {
      const model = { name: 'things', source: 'pg', query: 'SELECT id, body FROM things WHERE false', primaryKey: ['id'] };
      const columns = await modelColumns(client, model, serverVersion);
      const none = await stageDelta(client, model, columns, { table: 'empty', qualified: '"sluice_state"."empty"' });
      expect(none).toEqual({ read: 0, snapshot: 0, nulls: 0, addedRows: 0, removed: 0, matched: 0, sessions: 1 });
      expect(statements.some((s) => /count\(\*\) AS n FROM/.test(s))).toBe(false);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

describe('snapshotRowsOf', () => {
  const scan = (rows: number, loops = 1) => ({
    'Node Type': 'Seq Scan',
    'Relation Name': 'snap',
    Alias: 'sluice_snapshot',
    'Actual Rows': rows,
    'Actual Loops': loops,
  });
  const plan = (...inner: object[]) => [
    {
      Plan: {
        'Node Type': 'Hash Join',
        Plans: [
          { 'Node Type': 'Seq Scan', Alias: 'q' },
          { 'Node Type': 'Hash', Plans: inner },
        ],
      },
    },
  ];

  it("reads the snapshot scan's rows", () => {
    expect(snapshotRowsOf(plan(scan(12)), 'snap')).toBe(12);
    expect(snapshotRowsOf(plan({ ...scan(12), Alias: 'sluice_snapshot_2' }, { ...scan(1), Alias: 's' }), 'snap')).toBe(12);
  });

  it('answers null for a plan it cannot read once: no such scan, two, one run more than once, another table, not a plan', () => {
    expect(snapshotRowsOf(plan(), 'snap')).toBeNull();
    expect(snapshotRowsOf(plan(scan(3), scan(3)), 'snap')).toBeNull();
    expect(snapshotRowsOf(plan(scan(3), { ...scan(1), Alias: 'sluice_snapshot_1' }), 'snap')).toBeNull();
    expect(snapshotRowsOf(plan(scan(3, 2)), 'snap')).toBeNull();
    expect(snapshotRowsOf(plan(scan(3)), 'other')).toBeNull();
    expect(snapshotRowsOf(undefined, 'snap')).toBeNull();
    expect(snapshotRowsOf('EXPLAIN', 'snap')).toBeNull();
  });
});
