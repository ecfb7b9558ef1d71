import type { Database, Statement } from 'better-sqlite3';
import type { WorkItem } from '../differ';
import { LEDGER_STATEMENTS, type SqlParam } from '../run/ledger-statements';

/** One snapshot change waiting to be written to PostgreSQL: an upsert (fp set) or a removal (fp null). */
export interface OutboxEntry {
  id: number;
  pk: string;
  key: string;
  fp: string | null;
  row: string | null;
}

/**
 * The workspace's record of what an in-database diff's snapshot must become (issue #16): a delivered
 * record's key and fingerprint are written here in the same SQLite transaction as its ledger row, so a
 * killed run loses nothing; `PgSnapshot.flush` then moves them to PostgreSQL in batches (and the next
 * run flushes what a killed one left before it diffs). The table is migration 009's.
 */
export class PgOutbox {
  private readonly insert: Statement;

  constructor(
    private readonly db: Database,
    readonly syncId: number,
  ) {
    this.insert = db.prepare(LEDGER_STATEMENTS.outbox);
  }

  /** The snapshot takes this item as delivered (call inside the ledger's transaction). */
  put(item: Pick<WorkItem, 'key' | 'event' | 'row' | 'pg'>): void {
    this.insert.run(this.entry(item));
  }

  /** The outbox row for a delivered item, in `LEDGER_STATEMENTS.outbox`'s order (a run commits it with its ledger row). */
  entry(item: Pick<WorkItem, 'key' | 'event' | 'row' | 'pg'>): SqlParam[] {
    if (!item.pg) throw new Error(`The work item for key ${item.key} has no in-database key`);
    return item.event === 'removed' ? [this.syncId, item.pg.key, item.key, null, null] : [this.syncId, item.pg.key, item.key, item.pg.fp, item.row];
  }

  /** Up to `limit` entries, oldest first. */
  next(limit: number): OutboxEntry[] {
    return this.db
      .prepare('SELECT id, pk, key, fp, row FROM pg_snapshot_outbox WHERE sync_id = ? ORDER BY id LIMIT ?')
      .all(this.syncId, limit) as OutboxEntry[];
  }

  /** Forgets entries up to `id`, once PostgreSQL committed them. */
  done(id: number): void {
    this.db.prepare('DELETE FROM pg_snapshot_outbox WHERE sync_id = ? AND id <= ?').run(this.syncId, id);
  }

  pending(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM pg_snapshot_outbox WHERE sync_id = ?').get(this.syncId) as { n: number }).n;
  }
}
