// Which table in the source holds a sync's in-database snapshot (migration 010's syncs.pg_snapshot).
// A name is made when a run first needs one and forgotten when the sync starts over (reset, or pointed
// at another model or destination: main/sync/sync-admin.ts, main/catalog/catalog-store.ts), so the
// next run starts from an empty table; a sync made after a deleted one, even with its id, never reads
// the deleted one's. A forgotten table is listed in syncs.pg_snapshot_stale until a run drops it.
import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** The sync's snapshot table, as recorded; null before its first in-database run (or since it started over). */
export function recordedSnapshotTable(db: Database, syncId: number): string | null {
  const r = db.prepare('SELECT pg_snapshot FROM syncs WHERE id = ?').get(syncId) as { pg_snapshot: string | null } | undefined;
  return r?.pg_snapshot ?? null;
}

/**
 * The sync's snapshot table; a new one (random: no sync or workspace name reaches the database's
 * catalog) is recorded before it is created, so a run killed in between leaves no table unnamed.
 */
export function snapshotTableFor(db: Database, syncId: number): string {
  const recorded = recordedSnapshotTable(db, syncId);
  if (recorded !== null) return recorded;
  const table = `snapshot_${crypto.randomBytes(12).toString('hex')}`;
  db.prepare('UPDATE syncs SET pg_snapshot = ? WHERE id = ?').run(table, syncId);
  return table;
}

/** The sync's forgotten snapshot tables, for its next in-database run to drop. */
export function staleSnapshotTables(db: Database, syncId: number): string[] {
  const r = db.prepare('SELECT pg_snapshot_stale AS stale FROM syncs WHERE id = ?').get(syncId) as { stale: string | null } | undefined;
  return r?.stale ? (JSON.parse(r.stale) as string[]) : [];
}

/** These forgotten tables are gone from the source. */
export function droppedSnapshotTables(db: Database, syncId: number, dropped: readonly string[]): void {
  const left = staleSnapshotTables(db, syncId).filter((t) => !dropped.includes(t));
  db.prepare('UPDATE syncs SET pg_snapshot_stale = ? WHERE id = ?').run(left.length > 0 ? JSON.stringify(left) : null, syncId);
}
