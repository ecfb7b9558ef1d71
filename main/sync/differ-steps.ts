// Two steps of the differ (main/sync/differ.ts) on its staging tables: the rows refused for their keys,
// and the events whose trigger is off.
import type { Database } from 'better-sqlite3';
import type { RowReject, SyncEvent } from '../../shared/config/sync';

/** An SQL string literal. */
export const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Rows staged with a null key part or a key on several rows: each refused (`extraRows`: the other rows
 * of a duplicated key, counted but not listed), and taken out of the staging table (duplicated keys
 * go to `temp.dups`, so their snapshot entries are not taken for removed).
 */
export function stagedKeyRejects(db: Database, primaryKey: readonly string[]): { reject: RowReject; extraRows: number }[] {
  db.exec('CREATE INDEX temp.stage_by_key ON stage (key)');
  const out: { reject: RowReject; extraRows: number }[] = [];
  const nullKeys = db.prepare('SELECT rowid AS n, row FROM temp.stage WHERE key IS NULL ORDER BY rowid').all() as { n: number; row: string }[];
  for (const r of nullKeys) {
    const row = JSON.parse(r.row) as Record<string, unknown>;
    const detail = `Row ${r.n} has no value in ${primaryKey.filter((k) => row[k] === null || row[k] === undefined).join(', ')}`;
    out.push({ reject: { reason: 'null-key', key: null, rowNumber: r.n, detail }, extraRows: 0 });
  }
  const duplicates = db
    .prepare('SELECT key, COUNT(*) AS n, MIN(rowid) AS first FROM temp.stage WHERE key IS NOT NULL GROUP BY key HAVING COUNT(*) > 1 ORDER BY first')
    .all() as { key: string; n: number; first: number }[];
  for (const d of duplicates) {
    const detail = `The key ${d.key} appears on ${d.n} rows; none of them is sent until it is unique`;
    out.push({ reject: { reason: 'duplicate-key', key: d.key, rowNumber: d.first, detail }, extraRows: d.n - 1 });
  }
  db.transaction(() => {
    db.exec('DELETE FROM temp.stage WHERE key IS NULL');
    const dup = db.prepare('INSERT INTO temp.dups (key) VALUES (?)');
    for (const d of duplicates) dup.run(d.key);
    db.exec('DELETE FROM temp.stage WHERE key IN (SELECT key FROM temp.dups)');
  })();
  return out;
}

/** Events whose trigger is off leave the work list; with `record` (not a dry run) the snapshot records them as delivered. */
export function dropUnselected(db: Database, syncId: number, unselected: readonly SyncEvent[], record: boolean): void {
  if (unselected.length === 0) return;
  db.transaction(() => {
    const at = new Date().toISOString();
    if (record) {
      if (unselected.includes('added') || unselected.includes('changed')) {
        const events = unselected
          .filter((e) => e !== 'removed')
          .map(quoteString)
          .join(', ');
        db.prepare(
          `INSERT INTO state.snapshot (sync_id, key, row, delivered_at) SELECT ?, w.key, w.row, ? FROM temp.work w WHERE w.event IN (${events})
                    ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`,
        ).run(syncId, at);
      }
      if (unselected.includes('removed')) {
        db.prepare("DELETE FROM state.snapshot WHERE sync_id = ? AND key IN (SELECT key FROM temp.work WHERE event = 'removed')").run(syncId);
      }
    }
    db.exec(`DELETE FROM temp.work WHERE event IN (${unselected.map(quoteString).join(', ')})`);
  })();
}
