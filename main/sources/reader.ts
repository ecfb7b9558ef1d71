import type { Column, Row } from '../../shared/config/source';

/** How a sync reads a model: columns, then rows in batches (so a million rows never sit in memory). */
export interface ModelReader {
  columns(): Promise<Column[]>;
  /** Row batches in model order; `rowNumber` is 1-based (the data line for files). */
  batches(batchSize?: number): AsyncIterable<{ rowNumber: number; row: Row }[]>;
  /**
   * The rows as a run stages and diffs them, when that differs from `batches` (an NDJSON line's own
   * fields; `batches` adds the model's other columns as null, `withColumns`).
   */
  storedBatches?(batchSize?: number): AsyncIterable<{ rowNumber: number; row: Row }[]>;
  /** Ends the reading; a read in progress stops with it, on the source's side too (a PostgreSQL query is cancelled on the server, a DuckDB query interrupted). */
  close(): Promise<void>;
  /** The source's server while it has said nothing for a while as a read waits on it ("PostgreSQL server db:5432"), and for how long; else null. */
  silence?(): { server: string; seconds: number } | null;
  /**
   * The columns in which the rows read so far held, as a number, a number Sluice carries as its text
   * (`isNumberText`: a SQLite INTEGER past 2^53, an NDJSON number), and (where the reader can tell) never
   * a text of one: they hold numbers whatever their type says (`numberColumns`, `withNumbersRead`).
   */
  numbersRead?(): string[];
}

export const DEFAULT_BATCH = 2000;
