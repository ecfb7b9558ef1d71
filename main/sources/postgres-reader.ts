import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Column, Source } from '../../shared/config/source';
import { asSubquery } from '../../shared/config/model-query';
import { SluiceError } from '../../shared/ipc/errors';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { sqlError } from './sql-error';
import { jsonSafeRow } from './values';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

// Exact values: int8 and numeric as strings (jsonSafe keeps them), never rounded floats.
export const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === 20) return (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
    if (oid === 1700) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** A SQL query on PostgreSQL, read through a server-side cursor. */
export class PostgresReader implements ModelReader {
  private constructor(
    private readonly client: pg.Client,
    private readonly query: string,
  ) {}

  static async open(source: PostgresSource, query: string, password: string | undefined): Promise<PostgresReader> {
    const client = new pg.Client({
      host: source.host,
      port: source.port,
      database: source.database,
      user: source.user,
      password,
      ssl: source.ssl ? { rejectUnauthorized: true } : undefined,
      types: pgTypes,
    });
    try {
      await client.connect();
    } catch (err) {
      throw new SluiceError(
        'invalid-input',
        `Could not connect to PostgreSQL at ${source.host}:${source.port}/${source.database} as ${source.user}: ${(err as Error).message}`,
      );
    }
    return new PostgresReader(client, query);
  }

  async columns(): Promise<Column[]> {
    try {
      const result = await this.client.query({ text: `SELECT * FROM (${asSubquery(this.query)}) AS sluice_model LIMIT 0`, types: pgTypes });
      return result.fields.map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) }));
    } catch (err) {
      const e = err as Error & { position?: string };
      throw sqlError(this.query, e.message, e.position ? Number(e.position) - 'SELECT * FROM ('.length : undefined);
    }
  }

  async *batches(batchSize = DEFAULT_BATCH) {
    const cursor = this.client.query(new Cursor(this.query, [], { types: pgTypes }));
    let rowNumber = 0;
    try {
      for (;;) {
        const rows = (await cursor.read(batchSize)) as Record<string, unknown>[];
        if (rows.length === 0) break;
        yield rows.map((r) => ({ rowNumber: ++rowNumber, row: jsonSafeRow(r) }));
      }
    } catch (err) {
      const e = err as Error & { position?: string };
      throw sqlError(this.query, e.message, e.position ? Number(e.position) : undefined);
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

const PG_TYPES: Record<number, string> = {
  16: 'boolean',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1043: 'varchar',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
};
function pgTypeName(oid: number): string {
  return PG_TYPES[oid] ?? `oid ${oid}`;
}
