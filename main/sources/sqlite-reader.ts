import fs from 'node:fs';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { asSubquery } from '../../shared/config/model-query';
import type { Column } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { nativeBindingPath } from '../state/native-binding';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { MODEL_BUSY_TIMEOUT_MS, modelFileError } from './sqlite-file-error';
import { sqlError } from './sql-error';
import { readRowsInProcess, type RowsInProcess } from './sqlite-read-client';

/**
 * An error while reading the model's SQLite file: a lock, a damaged file or a disk error is said as
 * that, about the file (not as an error in the user's SQL); anything else is a SQL error with its place.
 */
function readError(file: string, query: string, err: unknown): SluiceError {
  return modelFileError(file, err) ?? collationError(file, err) ?? sqlError(query, (err as Error).message);
}

function collationError(file: string, err: unknown): SluiceError | undefined {
  const collation = /^no such collation sequence: (.+)$/.exec((err as Error).message)?.[1];
  if (collation) {
    // The file was made by an app with a collation of its own (Android's LOCALIZED and UNICODE).
    return new SluiceError(
      'invalid-input',
      `SQL error: the query compares or sorts a column declared with the collation ${collation}, which belongs to the app that made ${file} and which Sluice does not have. Write COLLATE NOCASE or COLLATE BINARY after that column where the query compares or sorts it (ORDER BY name COLLATE NOCASE). (${(err as Error).message})`,
      [{ path: 'query', message: `Compare or sort ${collation} columns with COLLATE NOCASE or COLLATE BINARY` }],
    );
  }
  return undefined;
}

/** Names of what SQLite looks up in `main` (a connection's first database) alone: the schema and its views of it. (Text in a string or comment matching them only reads the model row by row.) */
const READS_MAIN = /\b(?:sqlite_(?:master|schema|temp_master|temp_schema)|dbstat|pragma_\w+)\b/i;

/** A SQL query over a SQLite file, opened read-only. */
export class SqliteReader implements ModelReader {
  private readonly db: Database;
  private readonly statement: Statement;
  /** The rows being read (`batches`), if they are. */
  private reading: RowsInProcess | undefined;

  constructor(
    readonly file: string,
    readonly query: string,
  ) {
    if (!fs.existsSync(file)) throw new SluiceError('invalid-input', `The SQLite file ${file} does not exist`, [{ path: 'path', message: 'No such file' }]);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      throw new SluiceError('invalid-input', `The SQLite file ${file} is a folder, not a file: give the path of the database file in it`, [
        { path: 'path', message: 'A folder, not a file' },
      ]);
    }
    if (stat && !stat.isFile()) {
      // A named pipe blocked the open until something wrote to it: the engine's thread (the app, `sluice apply`) with it.
      throw new SluiceError(
        'invalid-input',
        `The SQLite file ${file} is not a regular file (a named pipe, socket or device): give the path of the database file`,
        [{ path: 'path', message: 'Not a regular file' }],
      );
    }
    try {
      this.db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: MODEL_BUSY_TIMEOUT_MS, nativeBinding: nativeBindingPath() });
      this.db.pragma('query_only = ON');
    } catch (err) {
      throw new SluiceError('invalid-input', `${file} could not be opened as a SQLite database: ${(err as Error).message}`);
    }
    try {
      this.statement = this.db.prepare(query);
    } catch (err) {
      this.db.close();
      throw readError(file, query, err);
    }
    if (!this.statement.reader) {
      this.db.close();
      throw new SluiceError('invalid-input', 'The model query must return rows (a SELECT)', [{ path: 'query', message: 'Not a query that returns rows' }]);
    }
    if (!this.statement.readonly) {
      // (an INSERT, UPDATE or DELETE … RETURNING returns rows: it failed as "attempt to write a readonly database")
      this.db.close();
      throw new SluiceError(
        'invalid-input',
        'The model query writes to the database (an INSERT, UPDATE or DELETE … RETURNING): a model only reads its rows; write a SELECT',
        [{ path: 'query', message: 'A query that writes: write a SELECT' }],
      );
    }
    try {
      // Bound once, to nothing: a query with a parameter (a `?` or `:since` from a tool's copied query) fails here, in words.
      this.statement.bind();
    } catch {
      this.db.close();
      throw new SluiceError(
        'invalid-input',
        'The model query has a parameter (?, :name, @name or $name), which Sluice has no value for: write the value into the query (WHERE id > 100, not WHERE id > ?)',
        [{ path: 'query', message: 'A parameter has no value: write the value instead' }],
      );
    }
    this.statement.safeIntegers(true);
  }

  /**
   * Whether the model can be staged inside SQLite, where the query is read as a subquery. A column
   * declared with a collation this SQLite does not have (an app's own: Android's LOCALIZED or UNICODE)
   * fails any subquery over it, though the query alone reads; such a model is read row by row instead,
   * as is one SQLite reads alone but not as a subquery (a PRAGMA, a query ending in an unclosed comment).
   * The staging statement reads the file attached beside the differ's scratch file, which is its
   * `main`: a query over the schema (sqlite_schema, dbstat, pragma_table_list) would read the scratch
   * file's, and a file with a view that names `main.` cannot be attached at all; both are read row by row.
   */
  stagesInSqlite(): boolean {
    if (READS_MAIN.test(this.query)) return false;
    try {
      this.db.prepare(`SELECT 1 FROM (${asSubquery(this.query)}) LIMIT 0`);
      this.db.prepare('ATTACH DATABASE ? AS sluice_attached').run(this.file);
      this.db.exec('DETACH DATABASE sluice_attached');
      return true;
    } catch (err) {
      if (/cannot reference objects in database/.test((err as Error).message)) return false;
      // (a lock or a damaged file is the file's, not the query's: the staging statement says it)
      return modelFileError(this.file, err) !== undefined;
    }
  }

  async columns(): Promise<Column[]> {
    return this.statement.columns().map((c) => ({ name: c.name, type: (c.type ?? 'any').toLowerCase() || 'any' }));
  }

  /**
   * The rows, read in a process of their own (`sqlite-read-process.ts`) a batch at a time, so this thread
   * stays free however long SQLite works; ending the read early (a preview's first rows) or closing the
   * reader kills the process.
   */
  async *batches(batchSize = DEFAULT_BATCH) {
    const rows = readRowsInProcess(this.file, this.query);
    this.reading = rows;
    let rowNumber = 0;
    try {
      for (;;) {
        const batch = await rows.next(batchSize).catch((err: unknown) => {
          throw err instanceof SluiceError ? err : readError(this.file, this.query, err);
        });
        for (const name of batch.bigIntegers) this.bigIntegers.add(name);
        if (batch.rows.length > 0) yield batch.rows.map((row) => ({ rowNumber: ++rowNumber, row }));
        if (batch.done) return;
      }
    } finally {
      rows.stop();
    }
  }

  /** Columns in which an INTEGER past 2^53 was read (`numbersRead`; the reading process notes them). */
  private readonly bigIntegers = new Set<string>();

  /** The columns in which an INTEGER past 2^53 was read: numbers, whatever the column's declared type (an expression has none). */
  numbersRead(): string[] {
    return [...this.bigIntegers];
  }

  async close(): Promise<void> {
    this.reading?.stop();
    if (this.db.open) this.db.close();
  }
}
