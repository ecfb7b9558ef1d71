import type { Database, Statement } from 'better-sqlite3';
import { LEDGER_STATEMENTS, type LedgerOp, type LedgerStatement } from './ledger-statements';
import { LedgerThread } from './ledger-thread-client';

/** Work lists of at least this many records commit on a ledger thread (below it, starting one costs more). */
export const LEDGER_THREAD_THRESHOLD = 20_000;

/**
 * Where a run's ledger rows and snapshot moves go. Writes are added in units (one answered batch: each
 * record's ledger row with its snapshot move); a unit commits whole or not at all, and `onCommitted`
 * runs once it has. Units commit in the order they were made.
 */
export interface LedgerSink {
  add(op: LedgerOp): void;
  /** Ends the current unit. */
  commit(onCommitted?: () => void): void;
  /** Writes made but not committed yet. */
  readonly backlog: number;
  /** Resolves once the backlog is at most `max` (or the sink has failed; `below(0)` then waits still for the answers of batches already on a ledger thread, which may commit). */
  below(max: number): Promise<void>;
  /** Commits what is left and lets go of the thread; rejects with the first write error. */
  close(): Promise<void>;
}

/**
 * Commits each unit at once, in a transaction on the run's connection: what SQLite throws (a full
 * disk, a held write lock) is thrown by `commit`, and nothing of the unit is written.
 */
export class InlineSink implements LedgerSink {
  private ops: LedgerOp[] = [];
  private readonly statements = new Map<LedgerStatement, Statement>();

  constructor(private readonly db: Database) {}

  get backlog(): number {
    return this.ops.length;
  }

  add(op: LedgerOp): void {
    this.ops.push(op);
  }

  commit(onCommitted?: () => void): void {
    const ops = this.ops;
    this.ops = [];
    if (ops.length > 0) this.db.transaction(() => ops.forEach(([name, params]) => this.statement(name).run(params)))();
    onCommitted?.();
  }

  below(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.commit();
    return Promise.resolve();
  }

  private statement(name: LedgerStatement): Statement {
    let s = this.statements.get(name);
    if (!s) this.statements.set(name, (s = this.db.prepare(LEDGER_STATEMENTS[name])));
    return s;
  }
}

/**
 * The ledger sink for a run of `toSend` records: long work lists commit on a ledger thread (its own
 * connection to the workspace, off the main thread that reads, renders and sends), short ones inline.
 * A thread's write error is handed to `onError` (the run stops with it).
 */
export function ledgerSinkFor(db: Database, toSend: number, threshold: number | undefined, onError: (err: Error) => void): LedgerSink {
  return toSend >= (threshold ?? LEDGER_THREAD_THRESHOLD) ? new LedgerThread(db.name, onError) : new InlineSink(db);
}
