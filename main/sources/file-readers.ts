import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type { Column, Row, RowValue } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { isNumberText } from '../../shared/json/number-text';
import { inferType, jsonSafeRow, losslessRow, MAY_NOT_FIT } from './values';
import { withColumns } from './sparse-rows';
import { CsvLines } from './csv-lines';
import { repeatedHeaderError, unreadableHeaderError } from './repeated-columns';
import { csvParseError } from './csv-errors';
import { findJsonError } from '../../shared/json/errors';
import { requireWellFormedLine, Utf8Check } from './utf8-check';
import { LineLengthCheck, MAX_LINE_BYTES } from './line-length';
import { requireDistinctFields } from './repeated-fields';

const SAMPLE = 1000;

/** A file that cannot be read, in words: what is wrong with which file (never a raw errno). */
export function fileError(file: string, err: unknown): SluiceError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? `it does not exist${spacedPath(file)}`
      : code === 'EISDIR'
        ? 'it is a folder, not a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied (your user may not read it)'
          : code === 'ENOTDIR'
            ? 'a part of its path is a file, not a folder'
            : code === 'ENOTREG'
              ? 'it is not a regular file (a named pipe, socket or device); save the rows to a file and point the source at it'
              : `${(err as Error).message}`;
  return new SluiceError('invalid-input', `Cannot read ${file}: ${why}`, [{ path: 'path', message: why }]);
}

/** For a path not found that starts or ends with a space (pasted with one): says so, since the message shows no quotes to see it by. */
function spacedPath(file: string): string {
  const end = /^\s/.test(file) ? 'starts' : /\s$/.test(file) ? 'ends' : null;
  return end ? ` (its path ${end} with a space: ${JSON.stringify(file)})` : '';
}

/** Fails at once, in words, for a model file that is missing, a folder, or not readable. */
function requireFile(file: string): void {
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A named pipe, socket or device: reading it blocks until something writes, and Sluice reads a model file more than once.
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw fileError(file, err);
  }
}

/**
 * A read of the file whose failure (the file removed, unreadable mid-read, a byte that is not UTF-8:
 * `Utf8Check`; with `lines`, a line too long to be a row: `LineLengthCheck`) ends the reading with that
 * error instead of going unhandled.
 */
function openFile(file: string, onError: (err: SluiceError) => void, open: Set<fs.ReadStream>, lines = false): Readable {
  const input = fs.createReadStream(file);
  let failed = false;
  const fail = (err: SluiceError) => {
    if (failed) return;
    failed = true;
    onError(err);
  };
  input.on('error', (err) => fail(fileError(file, err)));
  const checks: Transform[] = [new Utf8Check(file), ...(lines ? [new LineLengthCheck(file)] : [])];
  let checked: Readable = input;
  for (const check of checks) {
    checked = checked.pipe(check);
    check.on('error', (err) => {
      fail(err instanceof SluiceError ? err : fileError(file, err));
      input.destroy(); // (closed as failed: not said again as a read stopped before its end)
    });
  }
  open.add(input);
  input.once('close', () => {
    open.delete(input);
    // Closed before its end without an error: the reader was closed (a cancelled run); the read stops too.
    if (!input.readableEnded && !failed) onError(new SluiceError('invalid-input', `The read of ${file} was stopped before its end`));
  });
  return checked;
}

/** Ends the reads still open (a closed reader, e.g. of a cancelled run). */
function closeAll(open: Set<fs.ReadStream>): void {
  for (const input of open) input.destroy();
  open.clear();
}

/** The columns of the first rows, each typed by its values; `numberText` tells a number kept as its text (`losslessRow`) from a string. */
async function sampleColumns(reader: Pick<ModelReader, 'batches'>, numberText?: (row: Row, name: string) => boolean): Promise<Column[]> {
  const rows: Row[] = [];
  for await (const batch of reader.batches(SAMPLE)) {
    rows.push(...batch.map((b) => b.row));
    break;
  }
  const names: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
  const typed = (row: Row, name: string): RowValue => {
    const v = row[name] ?? null;
    return typeof v === 'string' && numberText?.(row, name) ? (/^-?\d+$/.test(v) ? 0 : 0.5) : v;
  };
  return names.map((name) => ({ name, type: inferType(rows.map((r) => typed(r, name))) }));
}

/** The header's names, refused in words when one is empty or used twice (a row could carry only one of them). */
function csvColumns(file: string, header: (string | null)[]): string[] {
  const seen = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = (raw ?? '').trim();
    if (name === '') throw new SluiceError('invalid-input', `${file}, line 1: column ${i + 1} of the header has no name; name every column`);
    const first = seen.get(name);
    if (first !== undefined) throw repeatedHeaderError(file, name, first + 1, i + 1);
    seen.set(name, i);
  });
  return header.map((h) => (h ?? '').trim());
}

/** A whole CSV file: the header names the columns; empty fields are null; values stay text. */
export class CsvReader implements ModelReader {
  private readonly open = new Set<fs.ReadStream>();
  /** The header's names, once a read has passed line 1. */
  private header: string[] = [];
  constructor(
    readonly file: string,
    readonly delimiter = ',',
  ) {
    requireFile(file);
  }

  /** The columns of the first rows; of a file with a header and no rows yet, the header's, as text. */
  async columns(): Promise<Column[]> {
    const sampled = await sampleColumns(this);
    return sampled.length > 0 ? sampled : this.header.map((name) => ({ name, type: 'text' }));
  }

  async *batches(batchSize = DEFAULT_BATCH) {
    // Each record's line is counted as the parser makes it (on_record), not as it is read here: the parser
    // runs ahead, so the line where it stops (an error) is the one after its last record's.
    const lines = new CsvLines();
    const parser = parse({
      columns: (header: (string | null)[]) => {
        lines.header(header);
        return (this.header = csvColumns(this.file, header));
      },
      delimiter: this.delimiter,
      bom: true,
      skip_empty_lines: true,
      // (a value past it failed as "Cannot create a string longer than 0x1fffffe8 characters", a quote never closed only at the file's end)
      max_record_size: MAX_LINE_BYTES,
      cast: (value) => (value === '' ? null : value),
      on_record: (record: Record<string, unknown>, info) => ({ rowNumber: lines.record(info, () => Object.values(record)), row: jsonSafeRow(record) }),
    });
    openFile(this.file, (err) => parser.destroy(err), this.open).pipe(parser);
    let batch: { rowNumber: number; row: Row }[] = [];
    try {
      for await (const item of parser as AsyncIterable<{ rowNumber: number; row: Row }>) {
        batch.push(item);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      if (err instanceof SluiceError) throw err;
      const at = lines.next((err as { empty_lines?: number }).empty_lines ?? 0);
      const said = csvParseError(this.file, at, err, this.header, this.delimiter);
      // (no header read: the header line itself is what the parser refused)
      throw this.header.length === 0 ? unreadableHeaderError(said) : said;
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    closeAll(this.open);
  }
}

/**
 * Where and why a line is not JSON, as the template errors say it ('expected a "quoted" key, found "}" at
 * column 9'), not JSON.parse's words (which differ between engines and name the position in bytes).
 */
function jsonLineError(line: string, err: unknown): string {
  const found = findJsonError(line);
  return found ? `${found.message} at column ${found.offset + 1}` : (err as Error).message;
}

/** A whole NDJSON file: one JSON object per line. A bad line stops the read and is named. */
export class NdjsonReader implements ModelReader {
  private readonly open = new Set<fs.ReadStream>();
  constructor(readonly file: string) {
    requireFile(file);
  }

  /** The fields of the first lines; a field whose values there are all numbers is a number column, those too large for a double included (`numberColumns`). */
  columns(): Promise<Column[]> {
    const kept = new WeakMap<Row, string[]>();
    return sampleColumns({ batches: (n = SAMPLE) => this.storedBatches(n, kept) }, (row, name) => kept.get(row)?.includes(name) ?? false);
  }

  /** Every row, with the model's columns (those of the first lines, `columns`) its line leaves out as null (`withColumns`): what previews and templates see. */
  async *batches(batchSize = DEFAULT_BATCH) {
    const names = (await this.columns()).map((c) => c.name);
    for await (const batch of this.storedBatches(batchSize)) {
      for (const { row } of batch) withColumns(row, names);
      yield batch;
    }
  }

  /**
   * The rows as their lines have them: what a run stages and diffs (it fills the missing columns when it
   * renders). `kept`: each row's fields whose number was kept as its text.
   */
  async *storedBatches(batchSize = DEFAULT_BATCH, kept?: WeakMap<Row, string[]>) {
    let failed: SluiceError | undefined;
    const input = openFile(
      this.file,
      (err) => {
        failed = err;
        lines.close();
      },
      this.open,
      true,
    );
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    lines.on('error', () => undefined); // (its input's failure, passed on once it was closed: `failed`, thrown below)
    let batch: { rowNumber: number; row: Row }[] = [];
    let lineNumber = 0;
    for await (const raw of lines) {
      lineNumber++;
      const line = lineNumber === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw; // a UTF-8 byte-order mark
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new SluiceError('invalid-input', `${this.file}, line ${lineNumber} is not valid JSON: ${jsonLineError(line, err)}`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new SluiceError('invalid-input', `${this.file}, line ${lineNumber} is not a JSON object (each line must be one row)`);
      }
      // JSON.parse rounds integers past 2^53 (two keys could become one), makes 1e400 Infinity and 1e-400 zero:
      // lines that may hold such a number are read again keeping it as its text.
      let row: Row;
      try {
        row = MAY_NOT_FIT.test(line) ? this.lossless(line, kept) : jsonSafeRow(value as Record<string, unknown>);
      } catch (err) {
        // (a value nested past what Sluice reads: JSON.parse takes any depth)
        throw new SluiceError('invalid-input', `${this.file}, line ${lineNumber}: ${(err as Error).message}`);
      }
      // (after the row: a value nested too deep is refused first, and these walk the value)
      requireWellFormedLine(this.file, lineNumber, line, value);
      requireDistinctFields(this.file, lineNumber, line, value);
      batch.push({ rowNumber: lineNumber, row });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (failed) throw failed;
    if (batch.length > 0) yield batch;
  }

  private lossless(line: string, kept: WeakMap<Row, string[]> | undefined): Row {
    const names: string[] = [];
    const row = losslessRow(line, names);
    if (kept && names.length > 0) kept.set(row, names);
    for (const name of names) this.bigNumbers.add(name);
    // (only such a line can hold a string that reads as one: MAY_NOT_FIT)
    for (const [name, v] of Object.entries(row)) if (typeof v === 'string' && !names.includes(name) && isNumberText(v)) this.numberTexts.add(name);
    return row;
  }

  /** Fields in which a line held a number a JavaScript number cannot hold (kept as its text), and fields in which one held a string of such a number. */
  private readonly bigNumbers = new Set<string>();
  private readonly numberTexts = new Set<string>();

  /**
   * The fields in which the lines read held a number past 2^53 or a double's range as a number and never
   * as a string of one (`numbersRead`): such a field with a string in other lines ({"v":"n/a"}) has the
   * type text, yet its number is a number.
   */
  numbersRead(): string[] {
    return [...this.bigNumbers].filter((name) => !this.numberTexts.has(name));
  }

  async close(): Promise<void> {
    closeAll(this.open);
  }
}
