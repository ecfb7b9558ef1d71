import fs from 'node:fs';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type { Column } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { nativeBindingPath } from '../state/native-binding';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { sqlError } from './sql-error';
import { jsonSafeRow } from './values';

/** A SQL query over a SQLite file, opened read-only. */
export class SqliteReader implements ModelReader {
  private readonly db: Database;
  private readonly statement: Statement;

  constructor(
    readonly file: string,
    readonly query: string,
  ) {
    if (!fs.existsSync(file)) throw new SluiceError('invalid-input', `The SQLite file ${file} does not exist`, [{ path: 'path', message: 'No such file' }]);
    try {
      this.db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBindingPath() });
      this.db.pragma('query_only = ON');
    } catch (err) {
      throw new SluiceError('invalid-input', `${file} could not be opened as a SQLite database: ${(err as Error).message}`);
    }
    try {
      this.statement = this.db.prepare(query);
    } catch (err) {
      this.db.close();
      throw sqlError(query, (err as Error).message);
    }
    if (!this.statement.reader) {
      this.db.close();
      throw new SluiceError('invalid-input', 'The model query must return rows (a SELECT)', [{ path: 'query', message: 'Not a query that returns rows' }]);
    }
    this.statement.safeIntegers(true);
  }

  async columns(): Promise<Column[]> {
    return this.statement.columns().map((c) => ({ name: c.name, type: (c.type ?? 'any').toLowerCase() || 'any' }));
  }

  async *batches(batchSize = DEFAULT_BATCH) {
    let batch: { rowNumber: number; row: ReturnType<typeof jsonSafeRow> }[] = [];
    let rowNumber = 0;
    try {
      for (const raw of this.statement.iterate() as Iterable<Record<string, unknown>>) {
        batch.push({ rowNumber: ++rowNumber, row: jsonSafeRow(raw) });
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      throw sqlError(this.query, (err as Error).message);
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
