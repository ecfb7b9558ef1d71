import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import type { Column, Row } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { inferType, jsonSafeRow } from './values';

const SAMPLE = 1000;

function requireFile(file: string): void {
  if (!fs.existsSync(file)) throw new SluiceError('invalid-input', `The file ${file} does not exist`, [{ path: 'path', message: 'No such file' }]);
}

async function sampleColumns(reader: ModelReader): Promise<Column[]> {
  const rows: Row[] = [];
  for await (const batch of reader.batches(SAMPLE)) {
    rows.push(...batch.map((b) => b.row));
    break;
  }
  const names: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
  return names.map((name) => ({ name, type: inferType(rows.map((r) => r[name] ?? null)) }));
}

/** A whole CSV file: the header names the columns; empty fields are null; values stay text. */
export class CsvReader implements ModelReader {
  constructor(
    readonly file: string,
    readonly delimiter = ',',
  ) {
    requireFile(file);
  }

  columns(): Promise<Column[]> {
    return sampleColumns(this);
  }

  async *batches(batchSize = DEFAULT_BATCH) {
    const parser = fs.createReadStream(this.file).pipe(
      parse({ columns: true, delimiter: this.delimiter, bom: true, skip_empty_lines: true, info: true, cast: (value) => (value === '' ? null : value) }),
    );
    let batch: { rowNumber: number; row: Row }[] = [];
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, unknown>; info: { lines: number } }>) {
        batch.push({ rowNumber: info.lines, row: jsonSafeRow(record) });
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      const e = err as Error & { lines?: number };
      throw new SluiceError('invalid-input', `${this.file}${e.lines ? `, line ${e.lines}` : ''}: ${e.message}`);
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {}
}

/** A whole NDJSON file: one JSON object per line. A bad line stops the read and is named. */
export class NdjsonReader implements ModelReader {
  constructor(readonly file: string) {
    requireFile(file);
  }

  columns(): Promise<Column[]> {
    return sampleColumns(this);
  }

  async *batches(batchSize = DEFAULT_BATCH) {
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
    let batch: { rowNumber: number; row: Row }[] = [];
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new SluiceError('invalid-input', `${this.file}, line ${lineNumber} is not valid JSON: ${(err as Error).message}`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new SluiceError('invalid-input', `${this.file}, line ${lineNumber} is not a JSON object (each line must be one row)`);
      }
      batch.push({ rowNumber: lineNumber, row: jsonSafeRow(value as Record<string, unknown>) });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {}
}
