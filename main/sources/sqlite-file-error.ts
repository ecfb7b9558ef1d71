// A SQLite model file's own trouble (a lock, a damaged file, a disk error) in words, about the file: for
// the reader (sqlite-reader.ts) and for the differ's staging process, which reads the file after the reader
// checked the query (another program's write can come between). No better-sqlite3 here: the staging
// thread's bundle loads better-sqlite3 from the path its starter resolved.
import { SluiceError } from '../../shared/ipc/errors';
import { BUSY_TIMEOUT_MS, sqliteErrorCode } from '../state/sqlite-errors';

/** How long the reader (and the staging process) waits for another process's lock on the model's file before saying so. */
export const MODEL_BUSY_TIMEOUT_MS = BUSY_TIMEOUT_MS;

/** A lock, a damaged file or a disk error while reading the model's SQLite file `file`, in words; undefined for any other error. */
export function modelFileError(file: string, err: unknown): SluiceError | undefined {
  const code = sqliteErrorCode(err) ?? '';
  const sqlite = `(${code}: ${(err as Error).message})`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new SluiceError(
      'conflict',
      `The SQLite file ${file} is locked by another process that is writing to it; Sluice waited ${MODEL_BUSY_TIMEOUT_MS / 1000} s. Let that program finish its write (or close it), then run again. ${sqlite}`,
      [{ path: 'path', message: 'The file is locked by another process' }],
    );
  }
  if (code === 'SQLITE_READONLY_ROLLBACK') {
    // A hot journal: rolling it back writes the file, and Sluice opens model files read-only.
    return new SluiceError(
      'conflict',
      `${file} holds a write a program left unfinished (it stopped while writing; ${file}-journal is still there). Sluice reads the file without writing to it, so it cannot roll that write back: open the file once in the program that made it, or run sqlite3 "${file}" "PRAGMA quick_check;", which rolls it back, then run again. ${sqlite}`,
      [{ path: 'path', message: 'A program left an unfinished write in the file' }],
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new SluiceError('invalid-input', `${file} is damaged or is not a SQLite database. ${sqlite}`, [
      { path: 'path', message: 'Not a readable SQLite database' },
    ]);
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return new SluiceError('invalid-input', `Sluice could not read ${file} from its disk. ${sqlite}`, [
      { path: 'path', message: 'The file could not be read' },
    ]);
  }
  return undefined;
}
