// The statements a run commits with (ledger rows, snapshot moves, an in-database diff's outbox, its
// progress), by
// name, so the run's main thread and its ledger thread (`ledger-thread.ts`) prepare the same SQL.

export const LEDGER_STATEMENTS = {
  ledger: `INSERT INTO ledger (run_id, sync_id, key, event, status, attempts, partition_key, shard_id, sequence_number,
      record_id, topic, kafka_partition, kafka_offset, error_code, error_message, data, bytes, first_attempt_at, last_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  upsert: `INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`,
  remove: 'DELETE FROM snapshot WHERE sync_id = ? AND key = ?',
  outbox: 'INSERT INTO pg_snapshot_outbox (sync_id, pk, key, fp, row, at) VALUES (?, ?, ?, ?, ?, ?)',
  /** A run's progress (`RunStore.update` runs it too; a run sending writes it in line with its ledger writes). */
  progress: 'UPDATE runs SET phase = COALESCE(?, phase), counts = COALESCE(?, counts), to_send = COALESCE(?, to_send), updated_at = ? WHERE id = ?',
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

/**
 * A batch of writes as it goes to the ledger thread, cheap to clone: per statement one flat list of
 * every write's parameters (statements of different tables are independent in one transaction; each
 * keeps its writes' order), and every Buffer parameter moved into one `blob` (transferred, not copied)
 * and replaced by null, `refs` saying where each was (statement, position, offset, length). Cloned one
 * by one, the writes' arrays cost the main thread more than the SQL they replaced, and a small
 * Buffer clones with the whole 8 KiB pool slab it lives in. A string equal to the one at its place in
 * the statement's previous write (a run's id, the event, the status, the topic, an answer's times)
 * travels as `undefined`, which clones for nothing.
 */
export interface PackedBatch {
  params: Partial<Record<LedgerStatement, (SqlParam | undefined)[]>>;
  blob: ArrayBuffer;
  refs: Int32Array;
}

/**
 * Packs writes as they are made (`add`), so each write's own arrays are garbage at once rather than
 * held until the batch goes; `finish` answers the batch and starts an empty one.
 */
export class BatchPacker {
  /** Per statement (by its index in LEDGER_STATEMENTS), its writes' parameters so far, and its last write's. */
  private lists: (SqlParam | undefined)[][] = NAMES.map(() => []);
  private previous: (readonly SqlParam[] | undefined)[] = NAMES.map(() => undefined);
  private refs: number[] = [];
  private chunks: Buffer[] = [];
  private offset = 0;
  /** Writes added since the last `finish`. */
  size = 0;

  add([name, values]: LedgerOp): void {
    const s = STATEMENT_INDEX[name];
    const list = this.lists[s]!;
    const before = this.previous[s];
    this.previous[s] = values;
    this.size++;
    for (let j = 0; j < values.length; j++) {
      const v = values[j]!;
      if (typeof v === 'string') list.push(before !== undefined && before[j] === v ? undefined : v);
      else if (v === null || typeof v === 'number') list.push(v);
      else {
        this.refs.push(s, list.length, this.offset, v.length);
        this.chunks.push(v);
        this.offset += v.length;
        list.push(null);
      }
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
    const params: PackedBatch['params'] = {};
    this.lists.forEach((list, s) => {
      if (list.length > 0) params[NAMES[s]!] = list;
    });
    const batch = { params, blob, refs: Int32Array.from(this.refs) };
    this.clear();
    return batch;
  }

  /** Drops the writes added since the last `finish`. */
  clear(): void {
    this.lists = NAMES.map(() => []);
    this.previous = NAMES.map(() => undefined);
    this.refs = [];
    this.chunks = [];
    this.offset = 0;
    this.size = 0;
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
 * Runs a packed batch's writes, each Buffer back in its place (a view of the blob): `run(statement,
 * parameters, rows)` with the parameters of `rows` writes of that statement, `rowsAtOnce(statement)`
 * at a time while that many are left (default 1), then one by one.
 */
export function unpackBatch(
  batch: PackedBatch,
  run: (name: LedgerStatement, params: SqlParam[], rows: number) => void,
  rowsAtOnce: (name: LedgerStatement) => number = () => 1,
): void {
  const { params, blob, refs } = batch;
  for (let k = 0; k < refs.length; k += 4) params[NAMES[refs[k]!]!]![refs[k + 1]!] = Buffer.from(blob, refs[k + 2]!, refs[k + 3]!);
  for (const name of NAMES) {
    const list = params[name] as SqlParam[] | undefined;
    if (!list) continue;
    const n = ARITY[name];
    for (let i = n; i < list.length; i++) if (list[i] === undefined) list[i] = list[i - n]!;
    const many = rowsAtOnce(name);
    let i = 0;
    if (many > 1) for (; i + n * many <= list.length; i += n * many) run(name, list.slice(i, i + n * many), many);
    for (; i < list.length; i += n) run(name, list.slice(i, i + n), 1);
  }
}
