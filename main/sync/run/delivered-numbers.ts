// The columns in which a sync's runs sent a number carried as its text (past 2^53, past a double's range) as a JSON
// number (`syncs.number_columns`). A removed row is rendered from its snapshot row, where such a value is text, and a
// run's number columns are those of the rows it read (by type, and `numbersRead`): when no row read had such a number
// in a column (the only one with it was removed), its removal went out as a string, where it was delivered as a
// number. A removed row's number columns are now the run's and every one an earlier run sent so.
import type { Database } from 'better-sqlite3';
import type { NumberColumns } from '../../../shared/config/number-columns';
import type { RunContext } from './context';

/** The columns the sync's runs sent numbers carried as text in as numbers, as noted. */
function noted(db: Database, syncId: number): string[] {
  const row = db.prepare('SELECT number_columns FROM syncs WHERE id = ?').get(syncId) as { number_columns: string | null } | undefined;
  if (!row?.number_columns) return [];
  const parsed: unknown = JSON.parse(row.number_columns);
  return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
}

/**
 * The run's number columns (`read`: those of the rows it read) with a removed row's: those and the ones earlier runs
 * sent numbers in. A real run notes its own with them before it sends anything (a dry run notes nothing).
 */
export function withDeliveredNumbers(ctx: Pick<RunContext, 'deps' | 'sync' | 'options'>, read: readonly string[]): NumberColumns {
  const before = noted(ctx.deps.db, ctx.sync.id);
  const removed = [...new Set([...before, ...read])];
  if (!ctx.options.dryRun && removed.length > before.length) {
    ctx.deps.db.prepare('UPDATE syncs SET number_columns = ? WHERE id = ?').run(JSON.stringify(removed), ctx.sync.id);
  }
  return { read, removed };
}
