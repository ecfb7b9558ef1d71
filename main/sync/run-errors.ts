import { SluiceError } from '../../shared/ipc/errors';

/** What went wrong in a run, in words a person can act on (a SQLite error names the workspace's cause). */
export function describeRunError(err: unknown, dbPath: string): string {
  if (err instanceof SluiceError) return err.message;
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_FULL')) return `The disk holding the workspace (${dbPath}) is full: the run stopped before recording more (${message}). Free some space and run again; rows not recorded as sent are sent then.`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return `Another process held the workspace database's write lock (${dbPath}) for too long: the run stopped (${message}). Run again when it is done; rows not recorded as sent are sent then.`;
  if (code.startsWith('SQLITE_')) return `The workspace database (${dbPath}) failed: ${code}: ${message}. Rows not recorded as sent are sent by the next run.`;
  return `Unexpected error: ${message}`;
}
