// The statements a run commits with (ledger rows, snapshot moves, an in-database diff's outbox), by
// name, so the run's main thread and its ledger thread (`ledger-thread.ts`) prepare the same SQL.

export const LEDGER_STATEMENTS = {
  ledger: `INSERT INTO ledger (run_id, sync_id, key, event, status, attempts, partition_key, shard_id, sequence_number,
      record_id, topic, kafka_partition, kafka_offset, error_code, error_message, data, bytes, first_attempt_at, last_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  upsert: `INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`,
  remove: 'DELETE FROM snapshot WHERE sync_id = ? AND key = ?',
  outbox: 'INSERT INTO pg_snapshot_outbox (sync_id, pk, key, fp, row) VALUES (?, ?, ?, ?, ?)',
} as const;

export type LedgerStatement = keyof typeof LEDGER_STATEMENTS;

/** A value SQLite binds. */
export type SqlParam = string | number | bigint | Buffer | null;

/** One write: a statement and its parameters. */
export type LedgerOp = readonly [LedgerStatement, readonly SqlParam[]];

/**
 * A batch of writes as it goes to the ledger thread: every Buffer parameter moved into one `blob`
 * (transferred, not copied) and replaced by null, `refs` saying where each was (op, parameter, offset,
 * length). Structured cloning a small Buffer copies the whole 8 KiB pool slab it lives in: sent as
 * they are, a run's record payloads cost the main thread more than the SQL they replaced.
 */
export interface PackedBatch {
  ops: LedgerOp[];
  blob: ArrayBuffer;
  refs: Int32Array;
}

export function packBlobs(ops: LedgerOp[]): PackedBatch {
  const refs: number[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  const packed = ops.map(([name, params], i): LedgerOp => {
    if (!params.some((p) => Buffer.isBuffer(p))) return [name, params];
    return [
      name,
      params.map((p, j) => {
        if (!Buffer.isBuffer(p)) return p;
        refs.push(i, j, offset, p.length);
        chunks.push(p);
        offset += p.length;
        return null;
      }),
    ];
  });
  // One ArrayBuffer of its own (never a view of the shared pool, which transferring would take away).
  const blob = new ArrayBuffer(offset);
  const into = Buffer.from(blob);
  let at = 0;
  for (const c of chunks) at += c.copy(into, at);
  return { ops: packed, blob, refs: Int32Array.from(refs) };
}

/** The writes of a packed batch, each Buffer parameter back in its place (a view of the blob). */
export function unpackBlobs(batch: PackedBatch): LedgerOp[] {
  const { ops, blob, refs } = batch;
  for (let k = 0; k < refs.length; k += 4) {
    const params = ops[refs[k]!]![1] as SqlParam[];
    params[refs[k + 1]!] = Buffer.from(blob, refs[k + 2]!, refs[k + 3]!);
  }
  return ops;
}
