import { SluiceError } from '../../shared/ipc/errors';
import { describeSqliteError } from '../state/sqlite-errors';

/**
 * What went wrong in a run, in words a person can act on: a SQLite error names the workspace's cause
 * (disk full, write lock held, read-only…) and says that rows not recorded as sent go with the next run.
 */
export function describeRunError(err: unknown, dbPath: string): string {
  if (err instanceof SluiceError) return err.message;
  const sqlite = describeSqliteError(err, dbPath);
  if (sqlite) return `The run stopped: ${sqlite} Rows not recorded as sent are sent by the next run.`;
  const e = err as { code?: unknown } | null;
  if (typeof e?.code === 'string' && e.code === 'ENOSPC')
    return `The run stopped: the disk holding the workspace is full (${(err as Error).message}). Free some space, then run again; rows not recorded as sent are sent then.`;
  return `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}
