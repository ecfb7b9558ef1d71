// The differ's scratch file, and starting and stopping its staging thread (`differ-stage-thread.ts`) from the run's thread.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { modelFileError } from '../sources/sqlite-file-error';
import { nativeBindingPath } from '../state/native-binding';
import { BUSY_TIMEOUT_MS } from '../state/sqlite-errors';
import type { StageThreadData, StageThreadMessage } from './differ-stage-thread';
import { stagingError } from './differ-steps';
import { startThread } from './thread-script';

/** SQLite's codes of a failed write: the staging thread writes only its scratch file. */
const WRITE_ERROR = /^SQLITE_(?:IOERR_(?:WRITE|FSYNC|DIR_FSYNC|TRUNCATE|DELETE)|FULL)/;
const SCRATCH = /^sluice-diff-(\d+)-[\w-]+\.sqlite(?:-journal)?$/;
let swept = false;
/** A scratch file of a process that is gone is deleted once it has not changed for this long (a process of another PID namespace sharing the temp folder may still use it). */
const STALE_MS = 60 * 60 * 1000;

/**
 * A new scratch file's path in the OS temp folder, named for this process. The first of a process also
 * deletes those left by processes that are gone (killed before their differ was disposed), untouched for an hour.
 */
export function scratchFile(): string {
  const dir = os.tmpdir();
  if (!swept) {
    swept = true;
    for (const name of fs.readdirSync(dir)) {
      const pid = Number(SCRATCH.exec(name)?.[1]);
      const file = path.join(dir, name);
      if (pid && pid !== process.pid && !alive(pid) && untouchedFor(file, STALE_MS)) removeScratch(file);
    }
  }
  return path.join(dir, `sluice-diff-${process.pid}-${randomUUID()}.sqlite`);
}

function untouchedFor(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

/** Deletes a scratch file and its journal (quietly: one already gone, or held open elsewhere on Windows, is left). */
export function removeScratch(file: string): void {
  for (const f of [file, `${file}-journal`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      // (the next process's sweep deletes it)
    }
  }
}

/**
 * Opens the differ's connection on its scratch file, with its empty staging and work tables (names a
 * model table will not have: the staging thread's model query looks up main before the model).
 */
export function openScratch(file: string): Database {
  const db = new BetterSqlite3(file, { nativeBinding: nativeBindingPath() });
  try {
    // Thrown away whatever happens: never synced to disk. (Its rollback journal stays: better-sqlite3's
    // defensive mode ignores journal_mode = OFF; an INSERT into an empty table journals next to nothing.)
    for (const pragma of ['busy_timeout = 10000', 'synchronous = OFF', 'temp_store = FILE', 'cache_size = -65536']) db.pragma(pragma);
    // sluice_stage: one row per model row, seq (the rowid) = the row's number; a null row is one unchanged since last delivered. Indexed by key after loading.
    db.exec(`
      CREATE TABLE sluice_stage (seq INTEGER PRIMARY KEY, key TEXT, row TEXT);
      CREATE TABLE sluice_dups (key TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE sluice_work (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, event TEXT NOT NULL, row TEXT NOT NULL, previous TEXT, row_number INTEGER, pg_key TEXT, pg_fp TEXT, pg_at TEXT);
    `);
    return db;
  } catch (err) {
    db.close();
    removeScratch(file);
    throw err;
  }
}

/** A staging thread at work. */
export interface StagingThread {
  /** The rows staged and whether their keys are unique; null when stopped; rejects with the model's error (`stagingError`). */
  readonly done: Promise<{ read: number; unique: boolean } | null>;
  /** Stops the statement at its next check (a few thousand rows on); resolves once the thread has ended. */
  stop(): Promise<void>;
}

/**
 * Runs the staging statement `sql` on a thread of its own, against the differ's scratch file with the
 * model and the workspace database attached. `onProgress` hears the rows staged so far a few times a
 * second (while SQLite reads rows in the model's order: not while it sorts them).
 */
export function stageOnThread(
  files: Pick<StageThreadData, 'scratch' | 'modelFile' | 'stateFile' | 'sql' | 'after'>,
  onProgress: (read: number) => void,
): StagingThread {
  const stopFlag = new SharedArrayBuffer(4);
  const data: StageThreadData = {
    ...files,
    stop: stopFlag,
    nativeBinding: nativeBindingPath(),
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    sqliteModule: require.resolve('better-sqlite3'),
  };
  const worker = startThread(__dirname, 'differ-stage-thread', data);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // A lock, a damaged file or a disk error reading is about the model's file (it can come after the reader
  // checked the query), said as the reader says it; a failed write is the scratch file's.
  const failure = (err: Error) =>
    (WRITE_ERROR.test(String((err as { code?: unknown }).code)) ? undefined : modelFileError(files.modelFile, err)) ?? stagingError(err);
  const done = new Promise<{ read: number; unique: boolean } | null>((resolve, reject) => {
    worker.on('message', (m: StageThreadMessage) => {
      if ('progress' in m) {
        if (m.progress > 0) onProgress(m.progress);
      } else if ('done' in m) resolve(m.done);
      else if ('stopped' in m) resolve(null);
      else reject(failure(Object.assign(new Error(m.error.message), { code: m.error.code })));
    });
    worker.on('error', (err) => reject(failure(err)));
    void exit.then(() => reject(new Error('The staging thread stopped before it had staged the model')));
  });
  return {
    done,
    stop: async () => {
      Atomics.store(new Int32Array(stopFlag), 0, 1);
      if (!exited) await worker.terminate();
      await exit;
    },
  };
}
