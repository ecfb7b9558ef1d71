// A run's ledger thread (`LedgerThread`): its own connection to the workspace database, committing
// each batch of writes it is sent in one transaction, and answering with the error SQLite gave if any.
import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import {
  LEDGER_STATEMENTS,
  manyRowsSql,
  ROWS_PER_INSERT,
  sharedParams,
  sharedPlacesSql,
  unpackBatch,
  type LedgerStatement,
  type PackedBatch,
  type SqlParam,
} from './ledger-statements';

/** Statements of shared places kept at most (each mix of shared places is one; a run makes a few). */
const MAX_SHARED_STATEMENTS = 64;

const { file, nativeBinding, busyTimeoutMs, sqliteModule } = workerData as {
  file: string;
  nativeBinding: string | undefined;
  busyTimeoutMs: number;
  /** better-sqlite3 as the starting thread resolved it: from a packaged app's unpacked script, a bare name would not resolve. */
  sqliteModule: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from the path the run's thread resolved
const BetterSqlite3 = require(sqliteModule) as typeof import('better-sqlite3');

/** What the thread answers for a batch: nothing on success, else the error's name, code and message. */
export interface LedgerThreadAnswer {
  error?: { name: string; code: string | undefined; message: string };
}

function open(): { commit(batch: PackedBatch): void; close(): void } {
  const db = new BetterSqlite3(file, { nativeBinding });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A 32 MiB page cache (SQLite's default is 2 MiB): the ledger's key index and the snapshot take rows
  // in no order of theirs, and a 1M-row Kafka sync ran about 4 % faster with 64 MiB (13.3 s against
  // 13.9 s); 32 MiB keeps most of that and a 10M-row run's peak memory lower.
  db.pragma('cache_size = -32768');
  const names = Object.keys(LEDGER_STATEMENTS) as LedgerStatement[];
  const one = new Map(names.map((name) => [name, db.prepare(LEDGER_STATEMENTS[name])]));
  const many = new Map(
    names.flatMap((name) => {
      const sql = manyRowsSql(LEDGER_STATEMENTS[name], ROWS_PER_INSERT);
      return sql ? [[name, db.prepare(sql)] as const] : [];
    }),
  );
  // Statements binding the places a run of rows shares once (`sharedPlacesSql`), by statement and places.
  const shared = new Map<string, Statement>();
  const runMany = (name: LedgerStatement, params: SqlParam[], rows: number) => {
    const { shared: places, key, args } = sharedParams(params, params.length / rows, rows);
    const id = `${name}:${key}`;
    let statement = shared.get(id);
    if (!statement && shared.size < MAX_SHARED_STATEMENTS) shared.set(id, (statement = db.prepare(sharedPlacesSql(LEDGER_STATEMENTS[name], rows, places)!)));
    if (statement) statement.run(args);
    else many.get(name)!.run(params);
  };
  const commit = db.transaction((batch: PackedBatch) =>
    unpackBatch(
      batch,
      (name, params, rows) => (rows === 1 ? one.get(name)!.run(params) : runMany(name, params, rows)),
      (name) => (many.has(name) ? ROWS_PER_INSERT : 1),
    ),
  );
  return { commit, close: () => db.close() };
}

function answer(err: unknown): LedgerThreadAnswer {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { error: { name: e.name, code: typeof code === 'string' ? code : undefined, message: e.message } };
}

let db: ReturnType<typeof open> | undefined;
let openError: unknown;
try {
  db = open();
} catch (err) {
  openError = err;
}

parentPort!.on('message', (message: PackedBatch | 'close') => {
  if (message === 'close') {
    db?.close();
    parentPort!.close();
    return;
  }
  if (!db) return parentPort!.postMessage(answer(openError));
  try {
    db.commit(message);
    parentPort!.postMessage({});
  } catch (err) {
    parentPort!.postMessage(answer(err));
  }
});
