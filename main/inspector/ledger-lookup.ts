import type { Database } from 'better-sqlite3';
import type { LedgerEntry } from '../../shared/config/sync';

interface Row {
  id: number;
  run_id: number;
  key: string;
  event: LedgerEntry['event'];
  status: LedgerEntry['status'];
  attempts: number;
  partition_key: string | null;
  shard_id: string | null;
  sequence_number: string | null;
  record_id: string | null;
  topic: string | null;
  kafka_partition: number | null;
  kafka_offset: string | null;
  error_code: string | null;
  error_message: string | null;
  data: Buffer | null;
  bytes: number;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  destination: string;
}

const COLUMNS = `l.id, l.run_id, l.key, l.event, l.status, l.attempts, l.partition_key, l.shard_id, l.sequence_number, l.record_id, l.topic,
  l.kafka_partition, l.kafka_offset, l.error_code, l.error_message, l.data, l.bytes, l.first_attempt_at, l.last_attempt_at, s.destination`;

export interface LedgerRecord {
  entry: LedgerEntry;
  /** The destination of the entry's sync. */
  destination: string;
  /** The bytes sent (null: a tombstone, or nothing sent). */
  data: Buffer | null;
}

function toRecord(r: Row): LedgerRecord {
  return {
    destination: r.destination,
    data: r.data,
    entry: {
      id: r.id,
      runId: r.run_id,
      key: r.key,
      event: r.event,
      status: r.status,
      attempts: r.attempts,
      partitionKey: r.partition_key,
      shardId: r.shard_id,
      sequenceNumber: r.sequence_number,
      recordId: r.record_id,
      topic: r.topic,
      partition: r.kafka_partition,
      offset: r.kafka_offset,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      bytes: r.bytes,
      firstAttemptAt: r.first_attempt_at,
      lastAttemptAt: r.last_attempt_at,
    },
  };
}

/** One ledger entry with its bytes and its sync's destination. */
export function ledgerRecord(db: Database, id: number): LedgerRecord | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM ledger l JOIN syncs s ON s.id = l.sync_id WHERE l.id = ?`).get(id) as Row | undefined;
  return row && toRecord(row);
}

/** The latest acknowledged records sent to a destination (what Firehose shows instead of a read). */
export function sentTo(db: Database, destination: string, limit: number): LedgerRecord[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM ledger l JOIN syncs s ON s.id = l.sync_id
              WHERE s.destination = ? AND l.status = 'acknowledged' ORDER BY l.id DESC LIMIT ?`)
    .all(destination, limit) as Row[];
  return rows.map(toRecord);
}
