// A SQLite model's rows read in a process of its own (`SqliteReader.batches`), so the engine's thread
// stays free while SQLite works: a query busy before its first row (an aggregate over a long recursion, a
// sort without an index, a big join) held the browser host's (or the Electron app's) one JavaScript thread
// for as long as it took — every page, run progress and Cancel waited, a minute or more. The reader asks for
// rows a batch at a time (nothing is read ahead of what it asks); closing the reader kills the process at
// once, whatever its statement is doing (better-sqlite3 cannot interrupt one). In Electron it runs as a
// worker thread (the packaged app cannot run its binary as Node): the app stays free, and a statement of a
// closed reader runs on until it ends (see `differ-stage-process.ts`).
import { parentPort, workerData } from 'node:worker_threads';
import type { Row } from '../../shared/config/source';
import { jsonSafeRow } from './values';

/** What the process is given (its first message; a thread's workerData). */
export interface ReadData {
  file: string;
  query: string;
  nativeBinding: string | undefined;
  busyTimeoutMs: number;
  /** better-sqlite3 as the reading process resolved it (a packaged app's unpacked script cannot resolve a bare name). */
  sqliteModule: string;
}

/** What the reader asks: up to `more` rows. */
export interface ReadAsk {
  more: number;
}

/**
 * What the process answers each ask: rows (all there were, when `done`) and the columns in which they held
 * an INTEGER past 2^53 (numbers, whatever the column's declared type: an expression has none), or the error
 * reading failed with.
 */
export type ReadAnswer = { rows: Row[]; done: boolean; bigIntegers: string[] } | { error: { message: string; code: string | undefined } };

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Adds to `into` the columns of a row whose value is an INTEGER past 2^53 (better-sqlite3 gives every INTEGER as a bigint here). */
function noteBigIntegers(raw: readonly unknown[], names: readonly string[], into: Set<string>): void {
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v === 'bigint' && (v > SAFE || v < -SAFE)) into.add(names[i]!);
  }
}

function open(data: ReadData): Iterator<unknown[]> & { names: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from the path the reading process resolved
  const BetterSqlite3 = require(data.sqliteModule) as typeof import('better-sqlite3');
  const db = new BetterSqlite3(data.file, { readonly: true, fileMustExist: true, timeout: data.busyTimeoutMs, nativeBinding: data.nativeBinding });
  db.pragma('query_only = ON');
  const statement = db.prepare(data.query);
  statement.safeIntegers(true);
  // Values by position, made a row by Object.fromEntries (in jsonSafeRow): better-sqlite3's row object set a
  // column named __proto__ as the object's prototype, so the column was lost (the staged path sends it).
  const names = statement.columns().map((c) => c.name);
  return Object.assign(statement.raw(true).iterate() as Iterator<unknown[]>, { names });
}

/** Answers asks from `rows`, which is opened by the first (an error opening is that ask's answer). */
function answerer(data: ReadData): (ask: ReadAsk) => ReadAnswer {
  let rows: ReturnType<typeof open> | undefined;
  return (ask) => {
    try {
      rows ??= open(data);
      const batch: Row[] = [];
      const big = new Set<string>();
      while (batch.length < ask.more) {
        const next = rows.next();
        if (next.done) return { rows: batch, done: true, bigIntegers: [...big] };
        noteBigIntegers(next.value, rows.names, big);
        batch.push(jsonSafeRow(next.value, rows.names));
      }
      return { rows: batch, done: false, bigIntegers: [...big] };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const code = (e as { code?: unknown }).code;
      return { error: { message: e.message, code: typeof code === 'string' ? code : undefined } };
    }
  };
}

if (parentPort) {
  const port = parentPort;
  const answer = answerer(workerData as ReadData);
  port.on('message', (ask: ReadAsk) => port.postMessage(answer(ask)));
} else {
  // A process: given its work by the first message, then asks; killed to stop it.
  process.once('message', (data: ReadData) => {
    const answer = answerer(data);
    process.on('message', (ask: ReadAsk) => process.send!(answer(ask)));
  });
  // The reader's process gone (killed): nothing is waiting for rows.
  process.once('disconnect', () => process.exit(0));
}
