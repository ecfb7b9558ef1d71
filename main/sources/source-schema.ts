import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Source } from '../../shared/config/source';
import type { SourceTable } from '../../shared/config/source-admin';
import { SluiceError } from '../../shared/ipc/errors';
import { nativeBindingPath } from '../state/native-binding';
import { DuckdbReader } from './duckdb-reader';
import { CsvReader, fileError, NdjsonReader } from './file-readers';
import type { SecretResolver } from './open-model';
import { postgresConnectError } from './postgres-connect-error';
import { clientConfig, SIDE_CONNECT_TIMEOUT_MS } from './postgres-reader';

/** A file source's path must be absolute: a relative one would depend on where Sluice was started. */
export function assertAbsolutePath(source: Source): void {
  if (source.kind === 'postgres') return;
  if (source.kind === 'duckdb') {
    if (source.database !== undefined && !path.isAbsolute(source.database)) {
      throw new SluiceError(
        'invalid-input',
        `The DuckDB database path "${source.database}" is relative: give the full path of the file (for example /home/you/data/${path.basename(source.database) || 'warehouse.duckdb'}), or leave it out to read files by path`,
        [{ path: 'database', message: 'Use an absolute path' }],
      );
    }
    return;
  }
  if (!path.isAbsolute(source.path)) {
    throw new SluiceError(
      'invalid-input',
      `The path "${source.path}" is relative: give the full path of the file (for example /home/you/data/${path.basename(source.path) || 'file'})`,
      [{ path: 'path', message: 'Use an absolute path' }],
    );
  }
}

/** The file exists, is a file and can be read; else an error saying which of these is not so. */
function requireReadable(file: string): void {
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // (a named pipe blocks the open until something writes to it)
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw fileError(file, err);
  }
}

function sqliteTables(file: string): SourceTable[] {
  requireReadable(file);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBindingPath() });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string;
    }[];
    return tables.map(({ name }) => ({
      name,
      columns: (db!.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as { name: string; type: string }[]).map((c) => ({
        name: c.name,
        type: c.type.toLowerCase() || 'any',
      })),
    }));
  } catch (err) {
    const message = (err as Error).message;
    if (/not a database|file is encrypted/i.test(message)) {
      throw new SluiceError('invalid-input', `${file} is not a SQLite database (choose the .sqlite or .db file itself)`, [
        { path: 'path', message: 'Not a SQLite database' },
      ]);
    }
    throw new SluiceError('invalid-input', `${file} could not be opened as a SQLite database: ${message}`, [{ path: 'path', message }]);
  } finally {
    db?.close();
  }
}

async function postgresTables(source: Extract<Source, { kind: 'postgres' }>, secrets: SecretResolver): Promise<SourceTable[]> {
  const own = secrets.forSource(source);
  const password = source.password ? await own.resolve(source.password) : undefined;
  const client = new pg.Client({ ...clientConfig(source, password), connectionTimeoutMillis: SIDE_CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw postgresConnectError(source, err);
  }
  try {
    const result = await client.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
      `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'
       ORDER BY table_schema = 'public' DESC, table_schema, table_name, ordinal_position`,
    );
    const tables = new Map<string, SourceTable>();
    for (const r of result.rows) {
      const name = r.table_schema === 'public' ? r.table_name : `${r.table_schema}.${r.table_name}`;
      const table = tables.get(name) ?? { name, columns: [] };
      table.columns.push({ name: r.column_name, type: r.data_type });
      tables.set(name, table);
    }
    return [...tables.values()];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A DuckDB database file's tables and views; none for DuckDB in memory (its models read files by path). */
async function duckdbTables(source: Extract<Source, { kind: 'duckdb' }>): Promise<SourceTable[]> {
  if (!source.database) return [];
  requireReadable(source.database);
  const reader = await DuckdbReader.open(
    source,
    "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() ORDER BY table_schema = 'main' DESC, table_schema, table_name, ordinal_position",
  );
  try {
    const tables = new Map<string, SourceTable>();
    for await (const batch of reader.batches()) {
      for (const { row } of batch) {
        const name = row.table_schema === 'main' ? String(row.table_name) : `${String(row.table_schema)}.${String(row.table_name)}`;
        const table = tables.get(name) ?? { name, columns: [] };
        table.columns.push({ name: String(row.column_name), type: String(row.data_type).toLowerCase() });
        tables.set(name, table);
      }
    }
    return [...tables.values()];
  } finally {
    await reader.close();
  }
}

/** The reason a CSV or NDJSON source's file has no columns: it holds nothing (its path is right). */
export const EMPTY_FILE = 'The file is empty';

/**
 * The tables of a source and their columns (the SQL editor's completions, a test's listing). A CSV or
 * NDJSON file is one table named after the file, with the columns of its first rows.
 */
export async function readSourceTables(source: Source, secrets: SecretResolver): Promise<SourceTable[]> {
  assertAbsolutePath(source);
  switch (source.kind) {
    case 'sqlite':
      return sqliteTables(source.path);
    case 'csv':
    case 'ndjson': {
      const reader = source.kind === 'csv' ? new CsvReader(source.path, source.delimiter) : new NdjsonReader(source.path);
      try {
        const columns = await reader.columns();
        if (columns.length === 0)
          throw new SluiceError(
            'invalid-input',
            `${source.path} is empty: ${source.kind === 'csv' ? 'a CSV file starts with a header line naming its columns' : 'an NDJSON file has one JSON object per line'}`,
            [{ path: 'path', message: EMPTY_FILE }],
          );
        return [{ name: path.basename(source.path), columns }];
      } finally {
        await reader.close();
      }
    }
    case 'postgres':
      return postgresTables(source, secrets);
    case 'duckdb':
      return duckdbTables(source);
  }
}
