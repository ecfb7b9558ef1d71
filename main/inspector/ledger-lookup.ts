import type { Database } from 'better-sqlite3';
import type { LedgerEntry } from '../../shared/config/sync';
import { LEDGER_COLUMNS, toLedgerEntry, type LedgerRow } from '../sync/ledger-store';

interface Row extends LedgerRow {
  data: Buffer | null;
  destination: string;
}

const COLUMNS = `${LEDGER_COLUMNS.split(', ')
  .map((c) => `l.${c}`)
  .join(', ')}, l.data, s.destination`;

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
    entry: toLedgerEntry(r),
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
    .prepare(
      `SELECT ${COLUMNS} FROM ledger l JOIN syncs s ON s.id = l.sync_id
              WHERE s.destination = ? AND l.status = 'acknowledged' ORDER BY l.id DESC LIMIT ?`,
    )
    .all(destination, limit) as Row[];
  return rows.map(toRecord);
}
