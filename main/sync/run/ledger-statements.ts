// The statements a run commits with (ledger rows, snapshot moves, an in-database diff's outbox, its
// progress), by name, so the run's main thread and its ledger thread (`ledger-thread.ts`) prepare the same SQL.
import { TextChunks, TextReader } from '../text-chunks';

export const LEDGER_STATEMENTS = {
  ledger: `INSERT INTO ledger (run_id, sync_id, key, event, status, attempts, partition_key, shard_id, sequence_number,
      record_id, topic, kafka_partition, kafka_offset, error_code, error_message, data, bytes, first_attempt_at, last_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  upsert: `INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`,
  remove: 'DELETE FROM snapshot WHERE sync_id = ? AND key = ?',
  outbox: 'INSERT INTO pg_snapshot_outbox (sync_id, pk, key, fp, row, at) VALUES (?, ?, ?, ?, ?, ?)',
  /** A run's progress (`RunStore.update` runs it too; a run sending writes it in line with its ledger writes). */
  progress: 'UPDATE runs SET phase = COALESCE(?, phase), counts = COALESCE(?, counts), to_send = COALESCE(?, to_send), live = ?, updated_at = ? WHERE id = ?',
} as const;

export type LedgerStatement = keyof typeof LEDGER_STATEMENTS;

/** A value SQLite binds. */
export type SqlParam = string | number | Buffer | null;

/** One write: a statement and its parameters. */
export type LedgerOp = readonly [LedgerStatement, readonly SqlParam[]];

/** How many parameters each statement takes. */
const ARITY = Object.fromEntries(Object.entries(LEDGER_STATEMENTS).map(([name, sql]) => [name, sql.split('?').length - 1])) as Record<LedgerStatement, number>;
const NAMES = Object.keys(LEDGER_STATEMENTS) as LedgerStatement[];
const STATEMENT_INDEX = Object.fromEntries(NAMES.map((name, i) => [name, i])) as Record<LedgerStatement, number>;

/** What a parameter is, per write: null, a number, a string, the string of the write before, or bytes. */
const NULL = 0;
const NUMBER = 1;
const TEXT = 2;
const SAME = 3;
const BYTES = 4;

/**
 * One parameter place of a statement's writes, in columns that clone as a few copies: each write's
 * kind, the numbers in order (for bytes: the offset into the batch's `blob` and the length), and the
 * strings as a few texts (`text-chunks.ts`) with each one's length.
 */
export interface PackedColumn {
  kinds: Uint8Array;
  numbers: Float64Array;
  texts: string[];
  lengths: Int32Array;
}

/**
 * A batch of writes as it goes to the ledger thread, cheap to clone: per statement its writes'
 * parameters as columns (statements of different tables are independent in one transaction; each
 * keeps its writes' order), and every Buffer's bytes in one `blob` (transferred, not copied). A
 * string equal to the one at its place in the statement's previous write (a run's id, the event, the
 * status, the topic, an answer's times) is marked so, not sent again. Cloned as arrays of values, a
 * 1M-record run's batches cost the main thread about a second to send and the thread more to take
 * apart; a small Buffer cloned on its own takes the whole 8 KiB pool slab it lives in.
 */
export interface PackedBatch {
  statements: Partial<Record<LedgerStatement, { writes: number; columns: PackedColumn[] }>>;
  blob: ArrayBuffer;
}

/** A typed array's values so far, in an array kept from batch to batch (grown by doubling). */
class Growable<T extends Uint8Array | Int32Array | Float64Array> {
  length = 0;

  constructor(
    private values: T,
    private readonly make: (capacity: number) => T,
  ) {}

  push(v: number): void {
    if (this.length === this.values.length) {
      const more = this.make(this.values.length * 2);
      more.set(this.values);
      this.values = more;
    }
    this.values[this.length++] = v;
  }

  /** A copy of the values (exactly sized). */
  take(): T {
    return this.values.slice(0, this.length) as T;
  }
}

/**
 * A column as it is packed. Its kinds, numbers and lengths go in typed arrays kept for the next batch:
 * as JS arrays grown by push, a 1M-record run allocated about 1 KB per record on the main thread
 * (8 bytes an element, copied at each growth, held until the batch went, so promoted to the old
 * generation), the largest source of its garbage.
 */
class ColumnPacker {
  readonly kinds = new Growable(new Uint8Array(256), (n) => new Uint8Array(n));
  readonly numbers = new Growable(new Float64Array(256), (n) => new Float64Array(n));
  readonly lengths = new Growable(new Int32Array(256), (n) => new Int32Array(n));
  texts = new TextChunks();
  last: SqlParam | undefined;

  finish(): PackedColumn {
    return { kinds: this.kinds.take(), numbers: this.numbers.take(), texts: this.texts.finish(), lengths: this.lengths.take() };
  }

  clear(): void {
    this.kinds.length = this.numbers.length = this.lengths.length = 0;
    this.texts = new TextChunks();
    this.last = undefined;
  }
}

/**
 * Packs writes as they are made (`add`), so each write's own arrays are garbage at once rather than
 * held until the batch goes; `finish` answers the batch and starts an empty one.
 */
export class BatchPacker {
  /** Per statement (by its index in LEDGER_STATEMENTS), a packer per parameter place, kept from batch to batch. */
  private readonly columns: ColumnPacker[][] = NAMES.map((name) => Array.from({ length: ARITY[name] }, () => new ColumnPacker()));
  private writes: number[] = NAMES.map(() => 0);
  private chunks: Buffer[] = [];
  private offset = 0;
  /** Writes added since the last `finish`. */
  size = 0;
  /** Characters of text added since the last `finish` (a batch of large rows goes early: `LedgerThread`). */
  chars = 0;

  add([name, values]: LedgerOp): void {
    const s = STATEMENT_INDEX[name];
    const columns = this.columns[s]!;
    this.writes[s]!++;
    this.size++;
    for (let j = 0; j < values.length; j++) {
      const v = values[j]!;
      const c = columns[j]!;
      if (typeof v === 'string') {
        if (v === c.last) c.kinds.push(SAME);
        else {
          c.kinds.push(TEXT);
          c.texts.add(v);
          c.lengths.push(v.length);
          this.chars += v.length;
        }
      } else if (v === null) c.kinds.push(NULL);
      else if (typeof v === 'number') {
        c.kinds.push(NUMBER);
        c.numbers.push(v);
      } else {
        c.kinds.push(BYTES);
        c.numbers.push(this.offset);
        c.numbers.push(v.length);
        this.chunks.push(v);
        this.offset += v.length;
      }
      c.last = v;
    }
  }

  finish(): PackedBatch {
    // One ArrayBuffer of its own (never a view of the shared pool, which transferring would take away).
    const blob = new ArrayBuffer(this.offset);
    const into = new Uint8Array(blob);
    let at = 0;
    for (const c of this.chunks) {
      into.set(c, at);
      at += c.length;
    }
    const statements: PackedBatch['statements'] = {};
    this.columns.forEach((columns, s) => {
      if (this.writes[s]! > 0) statements[NAMES[s]!] = { writes: this.writes[s]!, columns: columns.map((c) => c.finish()) };
    });
    this.clear();
    return { statements, blob };
  }

  /** Drops the writes added since the last `finish`. */
  clear(): void {
    for (const columns of this.columns) for (const c of columns) c.clear();
    this.writes = NAMES.map(() => 0);
    this.chunks = [];
    this.offset = 0;
    this.size = 0;
    this.chars = 0;
  }
}

/** Writes `column`'s values into `list` (`writes` writes of `arity` parameters each) at place `place`. */
function unpackColumn(column: PackedColumn, blob: ArrayBuffer, list: SqlParam[], place: number, arity: number, writes: number): void {
  const { kinds, numbers, lengths } = column;
  const texts = new TextReader(column.texts);
  let number = 0;
  let string = 0;
  let last: SqlParam = null;
  for (let w = 0; w < writes; w++) {
    const kind = kinds[w]!;
    let v: SqlParam = null;
    if (kind === SAME) v = last;
    else if (kind === TEXT) v = texts.next(lengths[string++]!);
    else if (kind === NUMBER) v = numbers[number++]!;
    else if (kind === BYTES) {
      v = Buffer.from(blob, numbers[number]!, numbers[number + 1]!);
      number += 2;
    }
    list[w * arity + place] = v;
    last = v;
  }
}

/**
 * Rows a ledger thread's INSERT binds at once: one statement for many rows. One statement per row,
 * SQLite's per-statement work came to about an eighth of the thread's time on a 1M-record run.
 */
export const ROWS_PER_INSERT = 32;

/** `sql`, an INSERT of one row of values, made to insert `rows` rows; undefined for other statements. */
export function manyRowsSql(sql: string, rows: number): string | undefined {
  const values = /VALUES (\([?, ]+\))/.exec(sql);
  return values ? sql.replace(values[0], `VALUES ${new Array<string>(rows).fill(values[1]!).join(', ')}`) : undefined;
}

/**
 * `sql`, an INSERT of one row of values, made to insert `rows` rows whose parameters at the places
 * `shared` marks are the same in every row: those are bound once, the others per row in a VALUES list
 * (`INSERT … SELECT ?, column1, … FROM (VALUES …)`); undefined for other statements. A run's ledger
 * rows share most places (its id, the event, the status, the topic, an answer's times, the nulls of
 * another kind's places): bound once per 32 rows, they cost the ledger thread about 0.5 s less CPU
 * per 1M records. Parameters go as `sharedParams` orders them.
 */
export function sharedPlacesSql(sql: string, rows: number, shared: readonly boolean[]): string | undefined {
  const m = /^(INSERT INTO \w+\s*\([^)]*\))\s*VALUES\s*\([?,\s]+\)([\s\S]*)$/.exec(sql);
  if (!m) return undefined;
  let k = 0;
  const values = shared.map((s) => (s ? '?' : `column${++k}`));
  const row = `(${new Array<string>(k).fill('?').join(', ')})`;
  const rest = m[2]!.trim();
  // An upsert's ON CONFLICT after a SELECT needs a WHERE before it (SQLite's parsing ambiguity).
  return `${m[1]} SELECT ${values.join(', ')} FROM (VALUES ${new Array<string>(rows).fill(row).join(', ')})${rest ? ` WHERE true ${rest}` : ''}`;
}

/**
 * For `rows` writes of `arity` parameters each (`params`, flat): which places hold the same value in
 * every row (by ===: bytes only as the very same Buffer; at least one place is left per row), as a key for a statement
 * cache, and the parameters in `sharedPlacesSql`'s order: the shared ones once, then each row's others.
 */
export function sharedParams(params: readonly SqlParam[], arity: number, rows: number): { shared: boolean[]; key: string; args: SqlParam[] } {
  const shared = new Array<boolean>(arity);
  for (let p = 0; p < arity; p++) {
    const v = params[p];
    let same = true;
    for (let r = 1; r < rows && same; r++) same = params[r * arity + p] === v;
    shared[p] = same;
  }
  if (shared.every(Boolean)) shared[arity - 1] = false;
  const args: SqlParam[] = [];
  for (let p = 0; p < arity; p++) if (shared[p]) args.push(params[p]!);
  for (let r = 0; r < rows; r++) for (let p = 0; p < arity; p++) if (!shared[p]) args.push(params[r * arity + p]!);
  return { shared, key: shared.map((s) => (s ? '1' : '0')).join(''), args };
}

/**
 * Runs a packed batch's writes, each Buffer back in its place (a view of the blob): `run(statement,
 * parameters, rows)` with the parameters of `rows` writes of that statement, `rowsAtOnce(statement)`
 * at a time while that many are left (default 1), then one by one.
 */
export function unpackBatch(
  batch: PackedBatch,
  run: (name: LedgerStatement, params: SqlParam[], rows: number) => void,
  rowsAtOnce: (name: LedgerStatement) => number = () => 1,
): void {
  for (const name of NAMES) {
    const packed = batch.statements[name];
    if (!packed) continue;
    const n = ARITY[name];
    const list = new Array<SqlParam>(n * packed.writes);
    packed.columns.forEach((column, place) => unpackColumn(column, batch.blob, list, place, n, packed.writes));
    const many = rowsAtOnce(name);
    let i = 0;
    if (many > 1) for (; i + n * many <= list.length; i += n * many) run(name, list.slice(i, i + n * many), many);
    for (; i < list.length; i += n) run(name, list.slice(i, i + n), 1);
  }
}
