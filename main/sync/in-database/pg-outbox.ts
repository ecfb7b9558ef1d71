import type { Database, Statement } from 'better-sqlite3';
import type { WorkItem } from '../differ';
import { LEDGER_STATEMENTS, type SqlParam } from '../run/ledger-statements';

/**
 * The text a batch's entries may hold (keys and rows, in characters): a JSON string of it, escaped,
 * stays well under the 512 MB that SQLite (as built) and V8 allow a string.
 */
export const OUTBOX_BATCH_CHARS = 32 * 1024 * 1024;

/** A batch of the outbox as `PgSnapshot.flush` sends it (`PgOutbox.nextBatch`). */
export interface OutboxBatch {
  /** The first and last entries' ids (`done` with the batch once PostgreSQL committed it). */
  firstId: number;
  lastId: number;
  entries: number;
  /** JSON: [{pk, key, fp, row, at}] (fp as text; at the row's place in the snapshot table when diffed, or null). */
  upserts: string;
  /** JSON: [pk]. */
  removals: string;
}

/**
 * The workspace's record of what an in-database diff's snapshot must become (issue #16): a delivered
 * record's key and fingerprint are written here in the same SQLite transaction as its ledger row, so a
 * killed run loses nothing; `PgSnapshot.flush` then moves them to PostgreSQL in batches (and the next
 * run flushes what a killed one left before it diffs). The table is migration 009's.
 */
export class PgOutbox {
  private readonly insert: Statement;
  private batch: Statement | undefined;
  private holdsStatement: Statement | undefined;
  /**
   * Batches taken and not yet done or given back, and the last entry they took: while some are out (two
   * connections write back side by side), the next batch starts after it. Only then: SQLite gives an
   * emptied table's next entry a used id again.
   */
  private out = 0;
  private taken = 0;
  /** Batches given back while others were out, oldest first: taken again as they were, before any new one (never overlapping one still out). */
  private returned: OutboxBatch[] = [];

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
    return item.event === 'removed'
      ? [this.syncId, item.pg.key, item.key, null, null, null]
      : [this.syncId, item.pg.key, item.key, item.pg.fp, item.row, item.pg.at ?? null];
  }

  /**
   * The oldest `limit` entries as PostgreSQL takes them, the last word for each key only (a batch holds
   * a key twice only across runs): the upserts as a JSON array of {pk, key, fp, row, at}, the removals as a
   * JSON array of keys, both made by SQLite. The write-back runs beside a run's sending, on its thread:
   * an object per entry, and the JSON made of them, cost it about as much as PostgreSQL's own work.
   * Null when the outbox is empty.
   */
  nextBatch(limit: number, maxChars = OUTBOX_BATCH_CHARS): OutboxBatch | null {
    // At most `limit` entries, and only as many as keep their text under `maxChars` (always one): a
    // batch is one JSON string, and 5,000 rows of 110 KB (records Kafka and Kinesis take) made one
    // past what SQLite and V8 allow — the same error every time, so the outbox never emptied.
    this.batch ??= this.db.prepare(`
      WITH taken AS MATERIALIZED (SELECT id, pk, key, fp, row, at, sum(length(pk) + length(key) + coalesce(length(row), 0)) OVER (ORDER BY id) AS upto
        FROM (SELECT * FROM pg_snapshot_outbox WHERE sync_id = ? AND id > ? ORDER BY id LIMIT ?)),
      batch AS MATERIALIZED (SELECT id, pk, key, fp, row, at FROM taken WHERE upto <= ? OR id = (SELECT min(id) FROM taken)),
      last AS (SELECT * FROM batch WHERE id IN (SELECT max(id) FROM batch GROUP BY pk))
      SELECT (SELECT min(id) FROM batch) AS firstId, (SELECT max(id) FROM batch) AS lastId, (SELECT count(*) FROM batch) AS entries,
        (SELECT json_group_array(json_object('pk', pk, 'key', key, 'fp', fp, 'row', row, 'at', at)) FROM last WHERE fp IS NOT NULL) AS upserts,
        (SELECT json_group_array(pk) FROM last WHERE fp IS NULL) AS removals`);
    if (this.out === 0) this.returned = []; // (the next batch starts at the first entry left: these among them)
    const again = this.returned.shift();
    // A batch given back is its entries again: ids are only ever added after the ones in the table.
    const r = (
      again ? this.batch.get(this.syncId, again.firstId - 1, again.entries, maxChars) : this.batch.get(this.syncId, this.after(), limit, maxChars)
    ) as OutboxBatch & {
      lastId: number | null;
    };
    if (r.lastId === null) return null;
    if (!again) this.taken = r.lastId;
    this.out++;
    return r;
  }

  /** A batch PostgreSQL did not take: taken again, whole, before any new batch. */
  giveBack(batch: OutboxBatch): void {
    this.out--;
    this.returned.push(batch);
    this.returned.sort((a, b) => a.firstId - b.firstId);
  }

  /** Where the next batch starts: after the entries batches out have taken. */
  private after(): number {
    return this.out > 0 ? this.taken : 0;
  }

  /** At least `n` entries wait, not taken by a batch (cheaper than counting them all). */
  holds(n: number): boolean {
    const given = this.out > 0 ? this.returned.reduce((sum, b) => sum + b.entries, 0) : 0;
    if (given >= n) return true;
    this.holdsStatement ??= this.db.prepare('SELECT 1 FROM pg_snapshot_outbox WHERE sync_id = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ?');
    return this.holdsStatement.get(this.syncId, this.after(), n - given - 1) !== undefined;
  }

  /** Forgets a batch's entries, once PostgreSQL committed them. */
  done(batch: Pick<OutboxBatch, 'firstId' | 'lastId'>): void {
    this.out--;
    this.db.prepare('DELETE FROM pg_snapshot_outbox WHERE sync_id = ? AND id BETWEEN ? AND ?').run(this.syncId, batch.firstId, batch.lastId);
  }

  pending(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM pg_snapshot_outbox WHERE sync_id = ?').get(this.syncId) as { n: number }).n;
  }
}
