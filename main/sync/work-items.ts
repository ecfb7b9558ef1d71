// A differ's work items (main/sync/differ.ts): what a run sends, as the work list's pages hold them.
import type { SyncEvent } from '../../shared/config/sync';

export interface WorkItem {
  seq: number;
  key: string;
  event: SyncEvent;
  row: string;
  previous: string | null;
  rowNumber: number | null;
  /**
   * In-database diff (PostgreSQL): the row's key and fingerprint as the database computes them, written back once delivered,
   * and where the key's row was in the snapshot table when the run diffed (its ctid; none for an added key).
   */
  pg?: { key: string; fp: string; at?: string };
}

/** A work-list row: seq, key, event, row, previous, row number, and the in-database diff's key, fingerprint and place (when read). */
export type PageRow = [number, string, SyncEvent, string, string | null, number | null, (string | null)?, (string | null)?, (string | null)?];

/** Work items from a page's rows (arrays, not objects: a run pages through every record). */
export function workItemsOf(rows: readonly PageRow[]): WorkItem[] {
  const items = new Array<WorkItem>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [seq, key, event, row, previous, rowNumber, pgKey, pgFp, pgAt] = rows[i]!;
    items[i] =
      pgKey == null
        ? { seq, key, event, row, previous, rowNumber }
        : { seq, key, event, row, previous, rowNumber, pg: pgAt == null ? { key: pgKey, fp: pgFp ?? '' } : { key: pgKey, fp: pgFp ?? '', at: pgAt } };
  }
  return items;
}
