// Which table in the source holds a sync's in-database snapshot (migration 010's syncs.pg_snapshot).
// A name is made when a run first needs one and forgotten when the sync starts over (reset, or pointed
// at another model or destination: main/sync/sync-admin.ts, main/catalog/catalog-store.ts), so the
// next run starts from an empty table; a sync made after a deleted one, even with its id, never reads
// the deleted one's.
import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { snapshotTableName } from './pg-snapshot';

/** The sync's snapshot table, as recorded; null before its first in-database run (or since it started over). */
export function recordedSnapshotTable(db: Database, syncId: number): string | null {
  const r = db.prepare('SELECT pg_snapshot FROM syncs WHERE id = ?').get(syncId) as { pg_snapshot: string | null } | undefined;
  if (!r || r.pg_snapshot === null) return null;
  // A sync from before migration 010: its table is named by the state file and its id.
  return r.pg_snapshot === 'by-id' ? snapshotTableName(db.name, syncId) : r.pg_snapshot;
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
