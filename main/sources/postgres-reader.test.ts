import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';
import { PostgresReader } from './postgres-reader';

let pgPeer: PostgresPeer;
beforeAll(async () => {
  pgPeer = await startPostgres();
  await pgPeer.query(`CREATE TABLE customers (id bigint PRIMARY KEY, email text, balance numeric(20, 4), attrs jsonb, seen timestamptz, active boolean)`);
  await pgPeer.query(`INSERT INTO customers VALUES
    (1, 'ada@example.com', 12.5, '{"vip": true}', '2026-01-02T03:04:05Z', true),
    (9007199254740993, 'big@example.com', 123456789012345.6789, NULL, NULL, false)`);
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
      /Could not connect to PostgreSQL at 127\.0\.0\.1:\d+\/postgres as sluice: password authentication failed/,
    );
  });
});
