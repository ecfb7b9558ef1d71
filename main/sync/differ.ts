import type { Database } from 'better-sqlite3';
import type { Column } from '../../shared/config/source';
import type { RowReject, SyncEvent } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import type { ModelReader } from '../sources/reader';
import { rowFingerprint, rowKey } from './row-identity';

/**
 * Diffs a model against a sync's snapshot inside SQLite, so memory stays flat however many rows:
 * rows stream into a TEMP staging table (key, hash, row), then SQL classifies them.
 *
 * Rules (also in ARCHITECTURE.md):
 * - added:    key in the model, not in the snapshot.
 * - changed:  key in both, row hash differs.
 * - removed:  key in the snapshot, not in the model.
 * - unchanged: key in both, same hash — nothing happens.
 * - a row whose key has a null part, or whose key appears more than once in the model, is rejected:
 *   listed in the run, never sent, and its snapshot entry (if any) is left as it was — a duplicated
 *   key is not "removed".
 */
export interface DiffCounts {
  read: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  rejectedRows: number;
}

export interface WorkItem {
  seq: number;
  key: string;
  event: SyncEvent;
  row: string;
  previous: string | null;
  hash: string | null;
  rowNumber: number | null;
}

const MAX_LISTED_REJECTS = 1000;

export class Differ {
  private readonly rejects: RowReject[] = [];
  private rejectCount = 0;

  constructor(
    private readonly db: Database,
    private readonly syncId: number,
  ) {
    db.exec(`
      DROP TABLE IF EXISTS temp.stage;
      DROP TABLE IF EXISTS temp.work;
      CREATE TEMP TABLE stage (key TEXT PRIMARY KEY, hash TEXT NOT NULL, row TEXT NOT NULL, row_number INTEGER NOT NULL, dup INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
      CREATE TEMP TABLE work (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, event TEXT NOT NULL, row TEXT NOT NULL, previous TEXT, hash TEXT, row_number INTEGER);
    `);
  }

  /** Streams every model row into staging. Returns the columns seen. */
  async stage(reader: ModelReader, primaryKey: readonly string[], onProgress: (read: number) => void): Promise<{ columns: Column[]; read: number }> {
    const columns = await reader.columns();
    const missing = primaryKey.filter((k) => !columns.some((c) => c.name === k));
    if (missing.length > 0 && columns.length > 0) {
      throw new SluiceError(
        'invalid-input',
        `The primary-key column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the model (its columns: ${columns.map((c) => c.name).join(', ')})`,
        [{ path: 'primaryKey', message: `Not a column of the model: ${missing.join(', ')}` }],
      );
    }
    const insert = this.db.prepare('INSERT INTO stage (key, hash, row, row_number) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET dup = dup + 1');
    let read = 0;
    const insertBatch = this.db.transaction((batch: { rowNumber: number; row: Record<string, unknown> }[]) => {
      for (const { rowNumber, row } of batch) {
        const key = rowKey(row as never, primaryKey);
        if (key === undefined) {
          this.reject({ reason: 'null-key', key: null, rowNumber, detail: `Row ${rowNumber} has no value in ${primaryKey.filter((k) => row[k] === null || row[k] === undefined).join(', ')}` });
          continue;
        }
        const { json, hash } = rowFingerprint(row as never);
        insert.run(key, hash, json, rowNumber);
      }
    });
    for await (const batch of reader.batches()) {
      insertBatch(batch);
      read += batch.length;
      onProgress(read);
    }
    const duplicates = this.db.prepare('SELECT key, dup + 1 AS n, row_number FROM stage WHERE dup > 0 ORDER BY row_number').all() as { key: string; n: number; row_number: number }[];
    for (const d of duplicates) {
      this.reject({ reason: 'duplicate-key', key: d.key, rowNumber: d.row_number, detail: `The key ${d.key} appears on ${d.n} rows; none of them is sent until it is unique` });
      this.rejectCount += d.n - 1;
    }
    return { columns, read };
  }

  /**
   * Classifies staged rows. Events in `selected` go to the work list (in model order, removals
   * last); the others are applied to the snapshot at once unless `recordUnselected` is false
   * (dry runs). Returns the counts.
   */
  classify(selected: ReadonlySet<SyncEvent>, recordUnselected: boolean, read: number): DiffCounts & { toSend: number; skippedByTrigger: number } {
    const db = this.db;
    const sid = this.syncId;
    const counts = {
      added: (db.prepare('SELECT COUNT(*) AS n FROM stage s WHERE s.dup = 0 AND NOT EXISTS (SELECT 1 FROM snapshot p WHERE p.sync_id = ? AND p.key = s.key)').get(sid) as { n: number }).n,
      changed: (db.prepare('SELECT COUNT(*) AS n FROM stage s JOIN snapshot p ON p.sync_id = ? AND p.key = s.key WHERE s.dup = 0 AND p.hash <> s.hash').get(sid) as { n: number }).n,
      removed: (db.prepare('SELECT COUNT(*) AS n FROM snapshot p WHERE p.sync_id = ? AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.key = p.key)').get(sid) as { n: number }).n,
      unchanged: (db.prepare('SELECT COUNT(*) AS n FROM stage s JOIN snapshot p ON p.sync_id = ? AND p.key = s.key WHERE s.dup = 0 AND p.hash = s.hash').get(sid) as { n: number }).n,
    };
    db.transaction(() => {
      if (selected.has('added')) {
        db.prepare(`INSERT INTO work (key, event, row, previous, hash, row_number)
                    SELECT s.key, 'added', s.row, NULL, s.hash, s.row_number FROM stage s
                    WHERE s.dup = 0 AND NOT EXISTS (SELECT 1 FROM snapshot p WHERE p.sync_id = ? AND p.key = s.key) ORDER BY s.row_number`).run(sid);
      }
      if (selected.has('changed')) {
        db.prepare(`INSERT INTO work (key, event, row, previous, hash, row_number)
                    SELECT s.key, 'changed', s.row, p.row, s.hash, s.row_number FROM stage s JOIN snapshot p ON p.sync_id = ? AND p.key = s.key
                    WHERE s.dup = 0 AND p.hash <> s.hash ORDER BY s.row_number`).run(sid);
      }
      if (selected.has('removed')) {
        db.prepare(`INSERT INTO work (key, event, row, previous, hash, row_number)
                    SELECT p.key, 'removed', p.row, p.row, NULL, NULL FROM snapshot p
                    WHERE p.sync_id = ? AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.key = p.key) ORDER BY p.key`).run(sid);
      }
      if (!recordUnselected) return;
      const at = new Date().toISOString();
      if (!selected.has('added')) {
        db.prepare(`INSERT INTO snapshot (sync_id, key, hash, row, delivered_at) SELECT ?, s.key, s.hash, s.row, ? FROM stage s
                    WHERE s.dup = 0 AND NOT EXISTS (SELECT 1 FROM snapshot p WHERE p.sync_id = ? AND p.key = s.key)`).run(sid, at, sid);
      }
      if (!selected.has('changed')) {
        db.prepare(`UPDATE snapshot SET hash = s.hash, row = s.row, delivered_at = ? FROM stage s
                    WHERE snapshot.sync_id = ? AND snapshot.key = s.key AND s.dup = 0 AND snapshot.hash <> s.hash`).run(at, sid);
      }
      if (!selected.has('removed')) {
        db.prepare('DELETE FROM snapshot WHERE sync_id = ? AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.key = snapshot.key)').run(sid);
      }
    })();
    const toSend = (db.prepare('SELECT COUNT(*) AS n FROM work').get() as { n: number }).n;
    const skippedByTrigger = (['added', 'changed', 'removed'] as const).filter((e) => !selected.has(e)).reduce((n, e) => n + counts[e], 0);
    return { read, ...counts, rejectedRows: this.rejectCount, toSend, skippedByTrigger };
  }

  /** Keeps only work items whose key is in `keys` (retry failed records only). */
  restrictTo(keysSql: string, params: unknown[]): number {
    this.db.prepare(`DELETE FROM work WHERE key NOT IN (${keysSql})`).run(...params);
    return (this.db.prepare('SELECT COUNT(*) AS n FROM work').get() as { n: number }).n;
  }

  /** Work items after `afterSeq`, in order, `limit` at a time (keyset paging: no open cursor). */
  page(afterSeq: number, limit: number): WorkItem[] {
    return (
      this.db.prepare('SELECT seq, key, event, row, previous, hash, row_number FROM work WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as {
        seq: number;
        key: string;
        event: SyncEvent;
        row: string;
        previous: string | null;
        hash: string | null;
        row_number: number | null;
      }[]
    ).map((r) => ({ seq: r.seq, key: r.key, event: r.event, row: r.row, previous: r.previous, hash: r.hash, rowNumber: r.row_number }));
  }

  listedRejects(): RowReject[] {
    return this.rejects;
  }

  reject(reject: RowReject): void {
    this.rejectCount++;
    if (this.rejects.length < MAX_LISTED_REJECTS) this.rejects.push(reject);
  }

  dispose(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.stage; DROP TABLE IF EXISTS temp.work;');
  }
}
