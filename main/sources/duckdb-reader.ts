import fs from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, type Json } from '@duckdb/node-api';
import type { Column, Row, Source } from '../../shared/config/source';
import { asSubquery } from '../../shared/config/model-query';
import { SluiceError } from '../../shared/ipc/errors';
import { sluiceDuckDBConverter } from './duckdb-values';
import { fileError } from './file-readers';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { sqlError } from './sql-error';

type DuckdbSource = Extract<Source, { kind: 'duckdb' }>;

const FILE_MODEL = /^\/[^\n]*\.(parquet|csv|tsv|json|jsonl|ndjson)(\.gz|\.zst)?$/i;
const WRAP = 'SELECT * FROM (';

/**
 * A model's DuckDB SQL. A model may be a bare absolute file path (a Parquet, CSV or JSON file): it
 * is read whole, its format told by its extension (DuckDB's `FROM 'file'`).
 */
export function duckdbQuery(query: string): string {
  const text = query.trim();
  return FILE_MODEL.test(text) ? `SELECT * FROM '${text.replace(/'/g, "''")}'` : query;
}

/**
 * A DuckDB error in words, with the line and column in the model's query when DuckDB points at one
 * (its "LINE n:" excerpt and caret are of the SQL it ran, `WRAP` + the query on the first line).
 */
export function duckdbError(query: string, ran: string, err: unknown, prefix = 0): SluiceError {
  const message = (err as Error).message ?? String(err);
  const [head] = message.split('\n\n');
  const summary = (head ?? message).replace(/\n/g, ' ');
  const excerpt = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (excerpt) {
    const line = Number(excerpt[1]);
    const caret = excerpt[3]!.length - `LINE ${excerpt[1]}: `.length;
    const lineText = ran.split('\n')[line - 1] ?? '';
    // DuckDB shortens a long line around the error with "..."; only trust an excerpt that is the line itself.
    if (caret >= 0 && lineText.startsWith(excerpt[2]!.replace(/\.\.\.$/, ''))) {
      const lines = ran.split('\n');
      let offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + caret;
      offset -= prefix;
      if (offset >= 0 && offset <= query.length) return sqlError(query, `DuckDB: ${summary}`, offset + 1);
    }
  }
  const token = /Referenced column "([^"]+)"/.exec(summary)?.[1] ?? /Table with name (\S+) does not exist/.exec(summary)?.[1];
  const at = token ? query.indexOf(token) : -1;
  if (at >= 0) return sqlError(query, `DuckDB: ${summary}`, at + 1);
  return new SluiceError('invalid-input', `DuckDB: ${summary}`, [{ path: 'query', message: summary }]);
}

/**
 * A DuckDB query — usually over Parquet, CSV or JSON files (`read_parquet('/data/x.parquet')`) —
 * streamed chunk by chunk (DuckDB's own 2,048-row vectors), so ten million rows never sit in memory.
 * The database file, when the source names one, is opened read-only; else DuckDB runs in memory.
 */
export class DuckdbReader implements ModelReader {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly query: string,
  ) {}

  static async open(source: DuckdbSource, query: string): Promise<DuckdbReader> {
    if (!query.trim())
      throw new SluiceError(
        'invalid-input',
        "The model has no query: write DuckDB SQL (for example SELECT * FROM read_parquet('/data/orders.parquet')) or give the path of a Parquet, CSV or JSON file",
        [{ path: 'query', message: 'Required for a DuckDB model' }],
      );
    let instance: DuckDBInstance;
    if (source.database) {
      try {
        if (!fs.statSync(source.database).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      } catch (err) {
        throw fileError(source.database, err);
      }
      try {
        instance = await DuckDBInstance.create(source.database, { access_mode: 'READ_ONLY' });
      } catch (err) {
        throw new SluiceError('invalid-input', `${source.database} could not be opened as a DuckDB database: ${(err as Error).message}`, [
          { path: 'database', message: (err as Error).message },
        ]);
      }
    } else {
      instance = await DuckDBInstance.create(':memory:');
    }
    const connection = await instance.connect();
    return new DuckdbReader(instance, connection, duckdbQuery(query));
  }

  /** The query's columns, asked once per reader (its open checks them; the preview, key check and run read them again). */
  private columnsAsked: Promise<Column[]> | undefined;

  columns(): Promise<Column[]> {
    return (this.columnsAsked ??= this.askColumns());
  }

  private async askColumns(): Promise<Column[]> {
    const ran = `${WRAP}${asSubquery(this.query)}) AS sluice_model LIMIT 0`;
    try {
      const result = await this.connection.run(ran);
      const types = result.columnTypes();
      const own = await this.ownNames();
      const names = own?.length === types.length ? own : result.columnNames();
      return names.map((name, i) => ({ name, type: types[i]!.toString().toLowerCase() }));
    } catch (err) {
      throw duckdbError(this.query, ran, err, WRAP.length);
    }
  }

  /**
   * The names of the query's own columns, as its rows have them. Read as a subquery, DuckDB renames a
   * column whose name an earlier one has, in any case ("id", "id" or "ID" became "id_1", "ID_1"), which no
   * row carries. Null if the query cannot be prepared alone (the subquery's names are used then).
   */
  private async ownNames(): Promise<string[] | null> {
    try {
      const prepared = await this.connection.prepare(asSubquery(this.query));
      try {
        return Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i));
      } finally {
        prepared.destroySync();
      }
    } catch {
      return null;
    }
  }

  async *batches(batchSize = DEFAULT_BATCH): AsyncGenerator<{ rowNumber: number; row: Row }[]> {
    let result;
    try {
      result = await this.connection.stream(this.query);
    } catch (err) {
      throw duckdbError(this.query, this.query, err);
    }
    let rowNumber = 0;
    let batch: { rowNumber: number; row: Row }[] = [];
    try {
      for await (const rows of result.yieldConvertedRowObjects(sluiceDuckDBConverter)) {
        for (const r of rows) {
          // A column named __proto__ stays a column (fromEntries, not assignment).
          batch.push({ rowNumber: ++rowNumber, row: Object.fromEntries(Object.keys(r).map((k) => [k, (r[k] ?? null) as Json])) as Row });
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
    } catch (err) {
      if (err instanceof SluiceError) throw err;
      throw duckdbError(this.query, this.query, err);
    }
    if (batch.length > 0) yield batch;
  }

  /** Ends the reading; a query still running (a cancelled run or test record) is interrupted first, else DuckDB's threads ran it to its end. */
  async close(): Promise<void> {
    try {
      this.connection.interrupt();
      this.connection.closeSync();
      this.instance.closeSync();
    } catch {
      // already closed
    }
  }
}
