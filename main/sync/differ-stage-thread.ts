// The differ's staging thread (`Differ.stageSqlite`): its own connection to the differ's scratch file,
// with the model and the workspace database attached as the differ's connection has them, runs the one
// statement that stages a SQLite model (`sqliteStagingSql`) and indexes the staged keys, so the run's
// main thread stays free meanwhile. The statement calls `sluice_ok` every few thousand rows: it reports
// how many rows are staged, and throws once the run asks the thread to stop (a cancel).
import { isUtf8 } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { indexStagedKeys } from './staged-key-index';

/** What the thread is given. */
export interface StageThreadData {
  scratch: string;
  modelFile: string;
  stateFile: string;
  sql: string;
  /** A statement run after it, before the keys are indexed (`sqliteNotUtf8Sql`). */
  after?: string;
  /** One Int32: set to 1 to stop the statement at its next check. */
  stop: SharedArrayBuffer;
  nativeBinding: string | undefined;
  busyTimeoutMs: number;
  /** better-sqlite3 as the starting thread resolved it: from a packaged app's unpacked script, a bare name would not resolve. */
  sqliteModule: string;
}

/** What the thread answers: rows staged now and then, then once how it ended. */
export type StageThreadMessage =
  { progress: number } | { done: { read: number; unique: boolean } } | { stopped: true } | { error: { message: string; code: string | undefined } };

/** The message the statement fails with when the run asked the thread to stop. */
export const STOPPED = 'sluice: staging stopped';
/** How often (at most) the thread reports the rows staged so far. */
const PROGRESS_MS = 250;

const data = workerData as StageThreadData;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from the path the run's thread resolved
const BetterSqlite3 = require(data.sqliteModule) as typeof import('better-sqlite3');
const stop = new Int32Array(data.stop);
const post = (message: StageThreadMessage) => parentPort!.postMessage(message);

function stage(): { read: number; unique: boolean } {
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
    db.function('sluice_base64', { deterministic: true }, (blob: unknown) => (blob === null ? null : Buffer.from(blob as Uint8Array).toString('base64')));
    let reported = Date.now();
    db.function('sluice_ok', (staged: unknown) => {
      if (Atomics.load(stop, 0) !== 0) throw new Error(STOPPED);
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
    if (Atomics.load(stop, 0) !== 0) throw new Error(STOPPED);
    if (data.after) db.prepare(data.after).run();
    return { read, unique: indexStagedKeys(db) };
  } finally {
    db.close();
  }
}

try {
  post({ done: stage() });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  if (e.message === STOPPED || Atomics.load(stop, 0) !== 0) post({ stopped: true });
  else post({ error: { message: e.message, code: typeof code === 'string' ? code : undefined } });
}
