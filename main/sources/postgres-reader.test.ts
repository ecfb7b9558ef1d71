import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SluiceError } from '../../shared/ipc/errors';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';
import { PostgresReader } from './postgres-reader';

let pgPeer: PostgresPeer;
beforeAll(async () => {
  pgPeer = await startPostgres();
  await pgPeer.query(`CREATE TABLE customers (id bigint PRIMARY KEY, email text, balance numeric(20, 4), attrs jsonb, seen timestamptz, active boolean)`);
  await pgPeer.query(`INSERT INTO customers VALUES
    (1, 'ada@example.com', 12.5, '{"vip": true}', '2026-01-02T03:04:05Z', true),
    (9007199254740993, 'big@example.com', 123456789012345.6789, NULL, NULL, false)`);
  // 2024-03-10 02:30 does not exist in Los Angeles (clocks go forward), and is the day before in UTC from Kolkata.
  await pgPeer.query(`CREATE TABLE adv_ts (id int, t timestamp, d date)`);
  await pgPeer.query(`INSERT INTO adv_ts VALUES
    (1, '2024-03-10 02:30:00.5', '2024-03-10'),
    (2, 'infinity', 'infinity'),
    (3, '-infinity', '-infinity'),
    (4, '0044-03-15 12:00:00 BC', '0044-03-15 BC'),
    (5, '0099-12-31 23:59:59.999999', '0001-01-01'),
    (6, '12345-06-07 08:09:10', '12345-06-07'),
    (7, '275760-09-13 00:00:00', '275760-09-13'),
    (8, '4713-01-01 00:00:00 BC', '4713-01-01 BC'),
    (9, NULL, NULL)`);
}, 60_000);
afterAll(async () => {
  await pgPeer?.stop();
});

const source = () => ({
  kind: 'postgres' as const,
  name: 'pg',
  host: pgPeer.host,
  port: pgPeer.port,
  database: pgPeer.database,
  user: pgPeer.user,
  ssl: false,
});

describe('PostgreSQL models', () => {
  it('reads typed rows through a cursor, with exact bigint and numeric values', async () => {
    const reader = await PostgresReader.open(source(), 'SELECT * FROM customers ORDER BY id', pgPeer.password);
    expect(await reader.columns()).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'email', type: 'text' },
      { name: 'balance', type: 'numeric' },
      { name: 'attrs', type: 'jsonb' },
      { name: 'seen', type: 'timestamptz' },
      { name: 'active', type: 'boolean' },
    ]);
    const rows = [];
    for await (const batch of reader.batches(1)) rows.push(...batch.map((b) => b.row));
    await reader.close();
    expect(rows).toEqual([
      { id: 1, email: 'ada@example.com', balance: '12.5000', attrs: { vip: true }, seen: '2026-01-02T03:04:05.000Z', active: true },
      { id: '9007199254740993', email: 'big@example.com', balance: '123456789012345.6789', attrs: null, seen: null, active: false },
    ]);
  });

  // What a machine in UTC has always sent: snapshots made there must not see these rows as changed.
  const inUtc = [
    { id: 1, t: '2024-03-10T02:30:00.500Z', d: '2024-03-10T00:00:00.000Z' },
    { id: 2, t: 'Infinity', d: 'Infinity' },
    { id: 3, t: '-Infinity', d: '-Infinity' },
    { id: 4, t: '-000043-03-15T12:00:00.000Z', d: '-000043-03-15T00:00:00.000Z' },
    { id: 5, t: '0099-12-31T23:59:59.999Z', d: '0001-01-01T00:00:00.000Z' },
    { id: 6, t: '+012345-06-07T08:09:10.000Z', d: '+012345-06-07T00:00:00.000Z' },
    { id: 7, t: '+275760-09-13T00:00:00.000Z', d: '+275760-09-13T00:00:00.000Z' },
    { id: 8, t: '-004712-01-01T00:00:00.000Z', d: '-004712-01-01T00:00:00.000Z' },
    { id: 9, t: null, d: null },
  ];
  const readTimes = async (query: string) => {
    const reader = await PostgresReader.open(source(), query, pgPeer.password);
    try {
      const rows = [];
      for await (const batch of reader.batches(3)) rows.push(...batch.map((b) => b.row));
      return rows;
    } finally {
      await reader.close();
    }
  };
  // Node applies a changed TZ at once; an offset checked in `fn` shows it did.
  const inTimeZone = async <T>(tz: string, fn: () => Promise<T>): Promise<T> => {
    const before = process.env.TZ;
    process.env.TZ = tz;
    try {
      return await fn();
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  };
  const zones = [
    { tz: 'UTC', offset: 0 },
    { tz: 'Asia/Kolkata', offset: -330 },
    { tz: 'America/Los_Angeles', offset: 480 },
  ];

  it('reads date and timestamp (no time zone) as at UTC, whatever the time zone of the machine', async () => {
    for (const { tz, offset } of zones) {
      await inTimeZone(tz, async () => {
        expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(offset);
        expect(await readTimes('SELECT id, t, d FROM adv_ts ORDER BY id'), tz).toEqual(inUtc);
      });
    }
  });

  it('reads arrays of dates and timestamps as at UTC too', async () => {
    const expected = [
      {
        ts: [...inUtc.map((r) => r.t)],
        ds: [...inUtc.map((r) => r.d)],
        nested: [
          [inUtc[0]!.t, null],
          [inUtc[3]!.t, inUtc[5]!.t],
        ],
      },
    ];
    const query = `SELECT array_agg(t ORDER BY id) AS ts, array_agg(d ORDER BY id) AS ds,
      (SELECT ARRAY[[a.t, NULL], [b.t, c.t]] FROM adv_ts a, adv_ts b, adv_ts c WHERE a.id = 1 AND b.id = 4 AND c.id = 6) AS nested
      FROM adv_ts`;
    for (const { tz, offset } of zones) {
      await inTimeZone(tz, async () => {
        expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(offset);
        expect(await readTimes(query), tz).toEqual(expected);
      });
    }
  });

  it("reads dates, timestamps and intervals under a role whose DateStyle and IntervalStyle are not ISO's", async () => {
    await pgPeer.query(`CREATE ROLE german LOGIN PASSWORD 'german-pw'`);
    await pgPeer.query(`ALTER ROLE german SET DateStyle = 'German, DMY'`);
    await pgPeer.query(`ALTER ROLE german SET IntervalStyle = 'sql_standard'`);
    await pgPeer.query(`GRANT SELECT ON adv_ts TO german`);
    const reader = await PostgresReader.open(
      { ...source(), user: 'german' },
      `SELECT id, t, d, interval '1 day 2 hours' AS i FROM adv_ts ORDER BY id`,
      'german-pw',
    );
    try {
      const rows = [];
      for await (const batch of reader.batches(3)) rows.push(...batch.map((b) => b.row));
      expect(rows.map(({ id, t, d }) => ({ id, t, d }))).toEqual(inUtc);
      expect(rows[0]!.i).toEqual({ days: 1, hours: 2 });
    } finally {
      await reader.close();
    }
  });

  it("leaves the session's DateStyle and IntervalStyle as they were once a read ends (a pooler shares the session with other clients)", async () => {
    // Through PgBouncer in transaction mode the session a read ran on goes next to another client: a
    // DateStyle Sluice set for the session reached that client, whose dates came out in ISO form.
    await pgPeer.query(`CREATE ROLE pooled LOGIN PASSWORD 'pooled-pw'`);
    await pgPeer.query(`ALTER ROLE pooled SET DateStyle = 'SQL, DMY'`);
    await pgPeer.query(`ALTER ROLE pooled SET IntervalStyle = 'iso_8601'`);
    await pgPeer.query(`GRANT SELECT ON adv_ts TO pooled`);
    // (a date in the query as the rows read it, month first: the role's DMY would take 31 for the month)
    const reader = await PostgresReader.open(
      { ...source(), user: 'pooled' },
      `SELECT id, t, d, interval '1 day 2 hours' AS i FROM adv_ts WHERE d IS DISTINCT FROM '12/31/1999' ORDER BY id`,
      'pooled-pw',
    );
    // The server session under the reader, as the next client of a pooler would have it.
    const session = (reader as unknown as { client: pg.Client }).client;
    const styles = async () => (await session.query(`SELECT current_setting('DateStyle') AS d, current_setting('IntervalStyle') AS i`)).rows[0];
    try {
      const rows = [];
      for await (const batch of reader.batches(4)) rows.push(...batch.map((b) => b.row));
      expect(rows.map(({ id, t, d }) => ({ id, t, d }))).toEqual(inUtc);
      expect(rows[0]!.i).toEqual({ days: 1, hours: 2 });
      expect(await reader.columns()).toContainEqual({ name: 'd', type: 'date' });
      expect(await styles()).toEqual({ d: 'SQL, DMY', i: 'iso_8601' });
      // and a read broken off early (a preview's first page) too
      for await (const batch of reader.batches(2)) if (batch.length > 0) break;
      expect(await styles()).toEqual({ d: 'SQL, DMY', i: 'iso_8601' });
    } finally {
      await reader.close();
    }
  });

  it('sends a date or timestamp past what a JS Date holds as PostgreSQL writes it, instead of failing the run', async () => {
    const query = `SELECT '275760-09-13 00:00:01'::timestamp AS t, '294276-12-31 23:59:59.999999'::timestamp AS tmax,
      '5874897-12-31'::date AS d, ARRAY['275760-09-14'::date] AS ds`;
    for (const { tz } of zones) {
      await inTimeZone(tz, async () => {
        expect(await readTimes(query), tz).toEqual([
          { t: '275760-09-13 00:00:01', tmax: '294276-12-31 23:59:59.999999', d: '5874897-12-31', ds: ['275760-09-14'] },
        ]);
      });
    }
  });

  it('reads a jsonb number past a double’s range, which PostgreSQL writes as its 401 digits', async () => {
    // jsonb keeps a number as numeric, written without an exponent: 1e400 is a 1 and 400 zeros.
    expect(await readTimes(`SELECT '{"huge": 1e400, "tiny": -1e-400}'::jsonb AS j, ARRAY['[1e400]'::jsonb] AS js`)).toEqual([
      { j: { huge: `1${'0'.repeat(400)}`, tiny: `-0.${'0'.repeat(399)}1` }, js: [[`1${'0'.repeat(400)}`]] },
    ]);
  });

  it('fails the read of JSON nested past 1,000 levels, saying which column, and the process lives on (the read hung)', async () => {
    const uncaught: unknown[] = [];
    const note = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', note);
    const nested = (levels: number, inner: string) => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
    try {
      // 1,000 levels are read, a number past 2^53 at the bottom kept exact.
      const [{ j }] = (await readTimes(`SELECT '${nested(1000, '12345678901234567890')}'::jsonb AS j`)) as [{ j: unknown }];
      expect(JSON.stringify(j)).toBe(nested(1000, '"12345678901234567890"'));
      for (const inner of ['"1234567890123456"', '7']) {
        const err = await readTimes(`SELECT 1 AS id, '${nested(12000, inner)}'::jsonb AS deep`).then(
          () => expect.fail('read'),
          (e: unknown) => e as SluiceError,
        );
        // Before: "Maximum call stack size exceeded", from wherever the stack ran out.
        expect(err.message).toBe(
          'The value of column "deep" is nested deeper than 1,000 levels (arrays and objects within each other), past what Sluice reads',
        );
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', note);
    }
  });

  it('takes a query ended with a semicolon and a line comment', async () => {
    const reader = await PostgresReader.open(source(), 'SELECT id, email FROM customers ORDER BY id; -- all of them', pgPeer.password);
    try {
      expect((await reader.columns()).map((c) => c.name)).toEqual(['id', 'email']);
      const rows = [];
      for await (const batch of reader.batches()) rows.push(...batch.map((b) => b.row.email));
      expect(rows).toEqual(['ada@example.com', 'big@example.com']);
    } finally {
      await reader.close();
    }
  });

  it('says where a SQL error is', async () => {
    const reader = await PostgresReader.open(source(), 'SELECT id,\n  emial FROM customers', pgPeer.password);
    await expect(reader.columns()).rejects.toThrow('SQL error at line 2, column 3: column "emial" does not exist');
    await reader.close();
  });

  it('explains a wrong password', async () => {
    await expect(PostgresReader.open(source(), 'SELECT 1', 'wrong')).rejects.toThrow(
      /Could not connect to PostgreSQL at 127\.0\.0\.1:\d+\/postgres as sluice: the password is wrong/,
    );
  });

  it('a backend terminated mid-read fails the read at once, saying which server and model lost it, and the process lives on', async () => {
    const uncaught: unknown[] = [];
    const note = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', note);
    try {
      const reader = await PostgresReader.open(source(), 'SELECT i, pg_backend_pid() AS pid FROM generate_series(1, 1000000) AS i', pgPeer.password, 'big');
      const pages = reader.batches(1000);
      const first = await pages.next();
      const pid = (first.value as unknown as { row: { pid: number } }[])[0]!.row.pid;
      await pgPeer.query(`SELECT pg_terminate_backend(${pid})`);
      // Before: the cursor's close waited forever for the dead connection's answer, and its 'error'
      // event, with no listener, was an uncaught exception.
      const rest = (async () => {
        for (;;) if ((await pages.next()).done) return 'done';
      })();
      // Before: "SQL error: terminating connection…" (invalid-input, pointing at the query), or a raw "write EPIPE".
      const err = await rest.then(
        () => expect.fail('the read went on'),
        (e: unknown) => e as SluiceError,
      );
      // Which the client meets first is a race: the server's FATAL (read from the socket) or the close
      // under the next fetch it sends (written to it). Either is said in words, with server and model.
      const why = [
        'the server ended the session: terminating connection due to administrator command',
        'the connection was closed while Sluice was sending on it (write EPIPE)',
        'the connection was reset (read ECONNRESET)',
        'the connection was reset (write ECONNRESET)',
      ];
      expect(err.code).toBe('unavailable');
      const lead = `Lost the connection to PostgreSQL at 127.0.0.1:${pgPeer.port}/postgres while reading model "big": `;
      expect(why.map((w) => `${lead}${w} (check the server is up, then try again)`)).toContain(err.message);
      await reader.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', note);
    }
  });

  it('a connection lost before the preview asks for columns says so too, not a SQL error, and never the password', async () => {
    const reader = await PostgresReader.open(source(), 'SELECT 1 AS one', pgPeer.password, 'draft');
    const { rows } = await pgPeer.query(
      `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND usename = 'sluice' AND state = 'idle' AND query = ''`,
    );
    expect(rows).toHaveLength(1);
    await pgPeer.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    // Asked while the server's goodbye is in flight, or after it arrived: either way the connection is lost.
    const err = await reader.columns().then(
      () => expect.fail('columns were read on a terminated connection'),
      (e: unknown) => e as SluiceError,
    );
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(
      new RegExp(
        `^Lost the connection to PostgreSQL at 127\\.0\\.0\\.1:${pgPeer.port}/postgres while reading model "draft": .+ \\(check the server is up, then try again\\)$`,
      ),
    );
    expect(err.message).not.toContain(pgPeer.password);
    await reader.close();
  });

  // The cut seen as the next page is asked for, or before it: the socket's words either way, in a sentence.
  const SENDING = String.raw`closed while Sluice was sending on it \(write EPIPE\)`;
  it.each([
    [
      'reset (RST: a firewall or load balancer dropping it)',
      (s: net.Socket) => void s.resetAndDestroy(),
      String.raw`reset \((read|write) ECONNRESET\)|${SENDING}`,
    ],
    [
      'closed without a word (FIN: the far end gone, as a killed server process is)',
      (s: net.Socket) => void s.destroy(),
      String.raw`closed without a word from the server|${SENDING}`,
    ],
  ])('a connection %s under the read says so, not the raw socket error', async (_, cut, words) => {
    // A TCP relay to the server whose connections are cut mid-read.
    const held: net.Socket[] = [];
    const relay = net.createServer((client) => {
      const server = net.connect(pgPeer.port, pgPeer.host);
      held.push(client);
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      client.on('close', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = (relay.address() as net.AddressInfo).port;
      const reader = await PostgresReader.open({ ...source(), port }, 'SELECT i FROM generate_series(1, 1000000) AS i', pgPeer.password, 'big');
      const pages = reader.batches(1000);
      await pages.next();
      held.forEach(cut);
      const err = await (async () => {
        for (;;) if ((await pages.next()).done) return 'done';
      })().then(
        () => expect.fail('the read went on'),
        (e: unknown) => e as SluiceError,
      );
      expect(err.code).toBe('unavailable');
      const where = String.raw`^Lost the connection to PostgreSQL at 127\.0\.0\.1:${port}/postgres while reading model "big": the connection was `;
      expect(err.message).toMatch(new RegExp(`${where}(${words}) \\(check the server is up, then try again\\)$`));
      await reader.close();
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});

// A model's query that writes (a function that inserts, a sequence's next value) wrote again at each
// preview, key check and run: Sluice only reads its sources.
describe('a model query that writes', () => {
  it('PostgreSQL: fails saying the read is read-only, and writes nothing', async () => {
    await pgPeer.query('CREATE TABLE visits (n int)');
    await pgPeer.query(`CREATE FUNCTION visit() RETURNS int LANGUAGE sql AS $$ INSERT INTO visits VALUES (1) RETURNING n $$`);
    await pgPeer.query('CREATE SEQUENCE ticket');
    for (const query of ['SELECT id, visit() AS v FROM customers', "SELECT nextval('ticket') AS id"]) {
      const reader = await PostgresReader.open(source(), query, pgPeer.password);
      const read = (async () => {
        for await (const batch of reader.batches()) void batch;
      })();
      await expect(read).rejects.toThrow(/cannot execute (INSERT|nextval\(\)) in a read-only transaction/);
      await reader.close();
    }
    expect((await pgPeer.query('SELECT count(*)::int AS n FROM visits')).rows).toEqual([{ n: 0 }]);
    expect((await pgPeer.query('SELECT last_value::int AS n, is_called FROM ticket')).rows).toEqual([{ n: 1, is_called: false }]);
  });
});
