import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { DuckdbReader } from './duckdb-reader';
import { assertAbsolutePath } from './source-schema';
import { openModel, type SecretResolver } from './open-model';

/** A DuckDB source has no secret to resolve. */
const noSecrets: SecretResolver = {
  resolve: () => Promise.reject(new Error('no secret expected')),
  forSource: () => noSecrets,
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-duckdb-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const memory = { kind: 'duckdb', name: 'lake' } as const;

async function readAll(query: string, batchSize?: number): Promise<{ columns: { name: string; type: string }[]; batches: Record<string, unknown>[][] }> {
  const reader = await DuckdbReader.open(memory, query);
  try {
    const columns = await reader.columns();
    const batches: Record<string, unknown>[][] = [];
    for await (const b of reader.batches(batchSize)) batches.push(b.map((x) => x.row));
    return { columns, batches };
  } finally {
    await reader.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<SluiceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SluiceError);
  return err as SluiceError;
}

describe('DuckDB models', () => {
  it("says a query's columns as its rows carry them: DuckDB renamed a repeated name (any case) in the column probe, to a name no row had", async () => {
    const cased = await readAll('SELECT 1 AS id, 2 AS "ID"');
    expect(cased.columns.map((c) => c.name)).toEqual(['id', 'ID']);
    expect(cased.batches).toEqual([[{ id: 1, ID: 2 }]]);
    // Two columns of one name, as the query returns them (openModel refuses such a model: `requireDistinctColumns`).
    expect((await readAll('SELECT 1 AS id, 2 AS id;')).columns.map((c) => c.name)).toEqual(['id', 'id']);
    const model = { name: 'twice', source: 'lake', query: 'SELECT 1 AS id, 2 AS id, 3 AS v', primaryKey: ['id'] };
    const refused = await failure(openModel(memory, model, noSecrets));
    expect(refused.message).toMatch(/^The query of model "twice" returns "id" twice \(columns 1 and 2\): .* Give one of them another name with AS/);
  });

  it('maps DuckDB types to exact Sluice values: big integers, decimals, timestamps to the microsecond, NULLs, blobs, lists and structs as JSON', async () => {
    const { columns, batches } = await readAll(`SELECT
      1::BIGINT AS id, 9007199254740993::BIGINT AS big, 170141183460469231731687303715884105727::HUGEINT AS huge, 18446744073709551615::UBIGINT AS ubig,
      123.4500::DECIMAL(10,4) AS price, 12345678901234567890.12::DECIMAL(38,2) AS wide, 1.5::DOUBLE AS ratio, 'nan'::DOUBLE AS nan,
      TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, DATE '2024-01-02' AS day, NULL::INTEGER AS missing, 'hi'::BLOB AS bytes, true AS flag,
      [1, NULL, 3] AS list, {'a': 1, 'b': [9007199254740993::BIGINT], 'c': NULL::VARCHAR} AS struct, 'é "q"' AS text`);
    expect(batches).toEqual([
      [
        {
          id: 1,
          big: '9007199254740993',
          huge: '170141183460469231731687303715884105727',
          ubig: '18446744073709551615',
          price: '123.4500',
          wide: '12345678901234567890.12',
          ratio: 1.5,
          nan: 'NaN',
          ts: '2024-01-02T03:04:05.123456Z',
          day: '2024-01-02',
          missing: null,
          bytes: Buffer.from('hi').toString('base64'),
          flag: true,
          list: [1, null, 3],
          struct: { a: 1, b: ['9007199254740993'], c: null },
          text: 'é "q"',
        },
      ],
    ]);
    expect(columns.find((c) => c.name === 'price')).toEqual({ name: 'price', type: 'decimal(10,4)' });
    expect(columns.find((c) => c.name === 'struct')?.type).toMatch(/^struct\(/);
  });

  it('streams page by page: 10,000 rows arrive in batches of the asked size, numbered from 1', async () => {
    const { batches } = await readAll('SELECT range AS id FROM range(10000)', 3000);
    expect(batches.map((b) => b.length)).toEqual([3000, 3000, 3000, 1000]);
    expect(batches[3]![999]).toEqual({ id: 9999 });
  });

  it('reads a Parquet file given by its bare path (no SQL)', async () => {
    const file = path.join(dir, 'bare.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (SELECT range AS id, 'n' || range AS name FROM range(3)) TO '${file}' (FORMAT parquet)`);
    c.closeSync();
    instance.closeSync();
    const { batches } = await readAll(file);
    expect(batches.flat()).toEqual([
      { id: 0, name: 'n0' },
      { id: 1, name: 'n1' },
      { id: 2, name: 'n2' },
    ]);
  });

  it('a missing file is named in the error', async () => {
    const reader = await DuckdbReader.open(memory, `SELECT *\nFROM read_parquet('${dir}/nope.parquet')`);
    try {
      const err = await failure(reader.columns());
      expect(err.message).toContain(`${dir}/nope.parquet`);
      expect(err.message).toMatch(/No files found/);
    } finally {
      await reader.close();
    }
  });

  it('takes a query ended with a semicolon and a line comment', async () => {
    const reader = await DuckdbReader.open(memory, 'SELECT 1 AS id, 2 AS name; -- one row');
    try {
      expect((await reader.columns()).map((c) => c.name)).toEqual(['id', 'name']);
    } finally {
      await reader.close();
    }
  });

  it('bad SQL says the line and column in the model query', async () => {
    const reader = await DuckdbReader.open(memory, 'SELECT id,\n  nme\nFROM (SELECT 1 AS id, 2 AS name)');
    try {
      const err = await failure(reader.columns());
      expect(err.message).toMatch(/^SQL error at line 2, column 3: DuckDB: Binder Error: Referenced column "nme" not found/);
    } finally {
      await reader.close();
    }
    const syntax = await DuckdbReader.open(memory, 'SELECT 1\nFORM x');
    try {
      expect((await failure(syntax.columns())).message).toMatch(/^SQL error at line 2, column \d+: DuckDB: Parser Error: syntax error at or near "x"/);
    } finally {
      await syntax.close();
    }
  });

  it('a DuckDB database file is opened read-only; a missing or relative one is refused, naming it', async () => {
    const file = path.join(dir, 'w.duckdb');
    const instance = await DuckDBInstance.create(file);
    const c = await instance.connect();
    await c.run('CREATE TABLE orders AS SELECT 7 AS id');
    c.closeSync();
    instance.closeSync();
    const reader = await DuckdbReader.open({ ...memory, database: file }, 'SELECT * FROM orders');
    try {
      const rows = [];
      for await (const b of reader.batches()) rows.push(...b.map((x) => x.row));
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await reader.close();
    }
    expect((await failure(DuckdbReader.open({ ...memory, database: path.join(dir, 'gone.duckdb') }, 'SELECT 1'))).message).toBe(
      `Cannot read ${dir}/gone.duckdb: it does not exist`,
    );
    expect(() => assertAbsolutePath({ ...memory, database: 'data/w.duckdb' })).toThrow(/relative/);
  });
});
