// The differ's staging process (`Differ.stageSqlite`): its own connection to the differ's scratch file,
// with the model and the workspace database attached as the differ's connection has them, runs the one
// statement that stages a SQLite model (`sqliteStagingSql`) and indexes the staged keys, so the run's
// main thread stays free meanwhile. The statement calls `sluice_ok` every few thousand rows: it reports
// how many rows are staged. A process, not a thread: a statement busy inside SQLite (a sort, an aggregate,
// a recursive query before its first row) cannot be interrupted (better-sqlite3 has no sqlite3_interrupt),
// and a thread cannot be killed — a cancelled run's thread ran on until its statement ended, and the
// process (the CLI, the app) could not exit until then: Node joins its threads at exit. A process is
// killed at once (`stageInProcess`'s stop). In Electron it runs as a worker thread, as before: the packaged
// app's fuses forbid running its binary as Node (no ELECTRON_RUN_AS_NODE), so it cannot fork it; a thread
// stops at the statement's next check (a SharedArrayBuffer flag), or when the statement ends.
import { isUtf8 } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { indexStagedKeys } from './staged-key-index';

/** What the process is given (its first message). */
export interface StageData {
  scratch: string;
  modelFile: string;
  stateFile: string;
  sql: string;
  /** A statement run after it, before the keys are indexed (`sqliteNotUtf8Sql`). */
  after?: string;
  nativeBinding: string | undefined;
  busyTimeoutMs: number;
  /** On a thread (Electron): one Int32, set to 1 to stop the statement at its next check. */
  stop?: SharedArrayBuffer;
  /** better-sqlite3 as the starting process resolved it: from a packaged app's unpacked script, a bare name would not resolve. */
  sqliteModule: string;
}

/** What the process answers: rows staged now and then, then once how it ended. */
export type StageMessage = { progress: number } | { done: StagedModel } | { stopped: true } | { error: { message: string; code: string | undefined } };

/** A model staged: its rows, whether their keys are unique, and the columns (by position) that held an INTEGER past 2^53. */
export interface StagedModel {
  read: number;
  unique: boolean;
  bigIntegers: number[];
}

/** The message the statement fails with when the run asked the thread to stop. */
const STOPPED = 'sluice: staging stopped';

/** How often (at most) the process reports the rows staged so far. */
const PROGRESS_MS = 250;

/**
 * Sends a message to the run's thread: over the IPC pipe in a process (written at once, also from inside
 * the statement, before the event loop runs again), or the thread's port. `then` once it is sent.
 */
const post = (message: StageMessage, then: () => void = () => undefined): void => {
  if (parentPort) {
    parentPort.postMessage(message);
    then();
  } else process.send!(message, then);
};

function stage(data: StageData): StagedModel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from the path the run's process resolved
  const BetterSqlite3 = require(data.sqliteModule) as typeof import('better-sqlite3');
  const db = new BetterSqlite3(data.scratch, { nativeBinding: data.nativeBinding });
  try {
    db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
    db.pragma('synchronous = OFF');
    db.pragma('temp_store = FILE');
    db.pragma('cache_size = -65536');
    // A REAL as JavaScript writes the number (a key's text, as the JavaScript path makes it: jsonSafe, then String).
    db.function('sluice_js_number', { deterministic: true }, (real: unknown) => String(real));
    // Text as JavaScript reads it (bytes that are not UTF-8 as U+FFFD), and whether a text's bytes are UTF-8.
    db.function('sluice_text', { deterministic: true }, (text: unknown) => text);
    db.function('sluice_replaced', { deterministic: true }, (text: unknown) => (typeof text === 'string' && text.includes('\uFFFD') ? 1 : 0));
    db.function('sluice_utf8', { deterministic: true }, (bytes: unknown) => (bytes === null || isUtf8(bytes as Uint8Array) ? 1 : 0));
    // An INTEGER past 2^53 as its exact text, noting its column (the query's column by position): an
    // expression's column has no declared type, and such a value says it holds numbers (`numbersRead`).
    const bigIntegers = new Set<number>();
    db.function('sluice_big_integer', { safeIntegers: true }, (integer: unknown, column: unknown) => {
      bigIntegers.add(Number(column));
      return String(integer);
    });
    db.function('sluice_base64', { deterministic: true }, (blob: unknown) => (blob === null ? null : Buffer.from(blob as Uint8Array).toString('base64')));
    let reported = Date.now();
    const stop = data.stop && new Int32Array(data.stop);
    db.function('sluice_ok', (staged: unknown) => {
      if (stop && Atomics.load(stop, 0) !== 0) throw new Error(STOPPED);
      const now = Date.now();
      if (now - reported >= PROGRESS_MS) {
        reported = now;
        post({ progress: Number(staged) });
      }
      return 1;
    });
    // Plain-path attach (this SQLite build takes no URI filenames); only SELECTs ever touch them.
    db.prepare('ATTACH DATABASE ? AS model').run(data.modelFile);
    db.prepare('ATTACH DATABASE ? AS state').run(data.stateFile);
    const read = db.prepare(data.sql).run().changes;
    if (stop && Atomics.load(stop, 0) !== 0) throw new Error(STOPPED);
    if (data.after) db.prepare(data.after).run();
    return { read, unique: indexStagedKeys(db), bigIntegers: [...bigIntegers] };
  } finally {
    db.close();
  }
}

/** Stages, and answers how it ended. */
function answer(data: StageData): StageMessage {
  try {
    return { done: stage(data) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { code?: unknown }).code;
    if (e.message === STOPPED) return { stopped: true };
    return { error: { message: e.message, code: typeof code === 'string' ? code : undefined } };
  }
}

if (parentPort) post(answer(workerData as StageData));
else {
  // A process: given its work by the first message; killed to stop it.
  process.once('message', (data: StageData) => post(answer(data), () => process.exit(0)));
  // The run's process gone (killed): nothing is waiting for the answer.
  process.once('disconnect', () => process.exit(0));
}
