// The differ's scratch file, and starting and stopping its staging process (`differ-stage-process.ts`) from the run's thread.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { modelFileError } from '../sources/sqlite-file-error';
import { nativeBindingPath } from '../state/native-binding';
import { BUSY_TIMEOUT_MS } from '../state/sqlite-errors';
import type { StageData, StagedModel, StageMessage } from './differ-stage-process';
import { stagingError } from './differ-steps';
import { startProcess, startThread } from './thread-script';

/** SQLite's codes of a failed write: the staging process writes only its scratch file. */
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
 * model table will not have: the staging process's model query looks up main before the model).
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

/** A staging process at work. */
export interface StagingProcess {
  /** The rows staged, whether their keys are unique and the columns that held an INTEGER past 2^53; null when stopped; rejects with the model's error (`stagingError`). */
  readonly done: Promise<StagedModel | null>;
  /** Stops it (a process is killed at once, whatever its statement is doing); resolves once it has ended. */
  stop(): Promise<void>;
}

/** The staging script run as a process (Node), or as a thread where a process cannot be (Electron: `differ-stage-process.ts`). */
interface Staging {
  on(event: 'message', listener: (m: StageMessage) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  once(event: 'exit', listener: () => void): void;
}

/**
 * Runs the staging statement `sql` in a process of its own (`differ-stage-process.ts`; a thread in
 * Electron), against the differ's scratch file with the model and the workspace database attached.
 * `onProgress` hears the rows staged so far a few times a second (while SQLite reads rows in the model's
 * order: not while it sorts them).
 */
export function stageInProcess(
  files: Pick<StageData, 'scratch' | 'modelFile' | 'stateFile' | 'sql' | 'after'>,
  onProgress: (read: number) => void,
): StagingProcess {
  const data: StageData = {
    ...files,
    nativeBinding: nativeBindingPath(),
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    sqliteModule: require.resolve('better-sqlite3'),
  };
  const inElectron = process.versions.electron !== undefined;
  const stopFlag = new SharedArrayBuffer(4);
  const thread = inElectron ? startThread(__dirname, 'differ-stage-process', { ...data, stop: stopFlag }) : undefined;
  const child = thread ? undefined : startProcess(__dirname, 'differ-stage-process');
  const staging: Staging = (thread ?? child)!;
  let ended = false;
  let stopped = false;
  const exit = new Promise<void>((resolve) =>
    staging.once('exit', () => {
      ended = true;
      resolve();
    }),
  );
  // A lock, a damaged file or a disk error reading is about the model's file (it can come after the reader
  // checked the query), said as the reader says it; a failed write is the scratch file's.
  const failure = (err: Error) =>
    (WRITE_ERROR.test(String((err as { code?: unknown }).code)) ? undefined : modelFileError(files.modelFile, err)) ?? stagingError(err);
  const done = new Promise<StagedModel | null>((resolve, reject) => {
    staging.on('message', (m: StageMessage) => {
      if ('progress' in m) {
        if (m.progress > 0) onProgress(m.progress);
      } else if ('done' in m) resolve(m.done);
      else if ('stopped' in m) resolve(null);
      else reject(failure(Object.assign(new Error(m.error.message), { code: m.error.code })));
    });
    staging.on('error', (err) => reject(failure(err)));
    void exit.then(() => (stopped ? resolve(null) : reject(new Error('The staging process stopped before it had staged the model'))));
  });
  child?.send(data);
  return {
    done,
    stop: async () => {
      stopped = true;
      Atomics.store(new Int32Array(stopFlag), 0, 1);
      if (!ended) {
        if (child) child.kill('SIGKILL');
        else await thread!.terminate();
      }
      await exit;
    },
  };
}
