import path from 'node:path';
import { ANOTHER_WORKSPACE, readOnlyAdvice, writeProblem } from './file-access';

/** How long a workspace connection waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** The SQLite result code of a better-sqlite3 error (`SQLITE_BUSY`, `SQLITE_IOERR_WRITE`, …), else undefined. */
export function sqliteErrorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * A message a person can act on for an error SQLite gave while working with the database `file`
 * (the full path of the workspace's sluice.db): what happened to which file, and what to do.
 * Undefined for anything that is not a SQLite error about the file, the disk or a lock (e.g. a
 * syntax error or a constraint), which the caller reports as it did before.
 */
export function describeSqliteError(err: unknown, file: string): string | undefined {
  const code = sqliteErrorCode(err);
  if (code === undefined) return undefined;
  const sqlite = `(${code}: ${(err as Error).message})`;
  const primary = code.split('_').slice(0, 2).join('_'); // SQLITE_IOERR_WRITE → SQLITE_IOERR
  switch (primary) {
    case 'SQLITE_FULL':
      return `The disk holding the workspace is full: Sluice could not write to ${file}. Free some space on that disk, then try again. ${sqlite}`;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return (
        `Another process holds the workspace database's write lock (${file}) and did not release it within ${BUSY_TIMEOUT_MS / 1000} s. ` +
        `Wait for it or close it (another Sluice app, \`sluice\` command or sync run using this workspace), then try again. ${sqlite}`
      );
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return `Sluice cannot write to ${file}: ${readOnlyCause(code, file)}. ${readOnlyAdvice()} ${sqlite}`;
    case 'SQLITE_CANTOPEN': {
      const problem = writeProblem(file);
      return problem
        ? `Sluice cannot open ${file}: ${problem.cause}. ${problem.advice} ${sqlite}`
        : `Sluice cannot open ${file}. Check that the file and its folder exist and that your user may read and write both, or ${ANOTHER_WORKSPACE}. ${sqlite}`;
    }
    case 'SQLITE_IOERR':
      if (code === 'SQLITE_IOERR_NOMEM') return outOfMemory(file, sqlite);
      return (
        `Reading or writing ${file} failed at the disk: the disk may be failing, disconnected (a removed drive, a network share) or full. ` +
        `Check the disk, then try again; if it keeps failing, copy the workspace folder to a healthy disk and use that copy. ${sqlite}`
      );
    case 'SQLITE_CORRUPT':
      return (
        `${file} is damaged and Sluice cannot use it safely. Keep a copy for a bug report, then restore the workspace from a backup, ` +
        `or move sluice.db aside (rename it) to start afresh with an empty workspace. ${sqlite}`
      );
    case 'SQLITE_NOTADB':
      return (
        `${file} is not a SQLite database (perhaps truncated or overwritten). Restore it from a backup, ` +
        `or move it aside (rename it) to start afresh with an empty workspace. ${sqlite}`
      );
    case 'SQLITE_NOMEM':
      return outOfMemory(file, sqlite);
    default:
      return undefined;
  }
}

function outOfMemory(file: string, sqlite: string): string {
  return `Sluice ran out of memory working with ${file}. Close other programs, then try again. ${sqlite}`;
}

function readOnlyCause(code: string, file: string): string {
  if (code === 'SQLITE_READONLY_DBMOVED') return 'the file was moved, renamed or deleted while Sluice had it open; start Sluice again';
  const problem = writeProblem(file);
  if (problem) return problem.cause;
  if (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_READONLY_CANTINIT' || code === 'SQLITE_READONLY_CANTLOCK') {
    return `read-only: Sluice cannot create the database's -wal and -shm files in ${path.dirname(file)}`;
  }
  return 'read-only (the file, its folder or the disk does not allow writing)';
}
