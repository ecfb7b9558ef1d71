import type { Worker } from 'node:worker_threads';
import { nativeBindingPath } from '../../state/native-binding';
import { BUSY_TIMEOUT_MS } from '../../state/sqlite-errors';
import { startThread } from '../thread-script';
import { BatchPacker, type LedgerOp, type PackedBatch } from './ledger-statements';
import type { LedgerSink } from './ledger-sink';
import type { LedgerThreadAnswer } from './ledger-thread';

/** Writes a batch holds before it goes even while another is on the thread: keeps each transaction, and so another connection's wait for the write lock, short. */
const MAX_BATCH_WRITES = 4000;
/** Characters of text a batch holds before it goes even while another is on the thread (rows of 300 KB: a few hundred writes). */
const MAX_BATCH_CHARS = 64 * 1024 * 1024;

/**
 * A ledger sink on a thread of its own (`ledger-thread.ts`, its own connection to the workspace): the
 * run's main thread hands it each unit and goes on reading, rendering and sending. Units made while a
 * batch is on the thread wait and go together as the next batch (one transaction), up to
 * MAX_BATCH_WRITES. A unit's `onCommitted` runs once its batch committed, and only then. The first
 * error (SQLite's, packing a batch, or the thread stopping) goes to `onError`; no batch goes after it.
 * Batches already on the thread are answered still, and those that committed are counted (one behind a
 * batch that waited out another process's write lock commits once the lock is let go): what the run
 * reports is what its ledger holds.
 */
export class LedgerThread implements LedgerSink {
  private readonly worker: Worker;
  /** Writes made since the last batch went, packed as they come. */
  private readonly held = new BatchPacker();
  private heldDone: (() => void)[] = [];
  /** Batches sent to the thread and not answered yet, oldest first. */
  private readonly onThread: { ops: number; done: (() => void)[] }[] = [];
  private onThreadOps = 0;
  private failure: Error | undefined;
  private closing = false;
  /** The thread has stopped: batches still on it are not answered. */
  private exited = false;
  private readonly waiters: { max: number; resolve(): void }[] = [];

  constructor(
    file: string,
    private readonly onError: (err: Error) => void,
  ) {
    this.worker = startThread(__dirname, 'ledger-thread', {
      file,
      nativeBinding: nativeBindingPath(),
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      sqliteModule: require.resolve('better-sqlite3'),
    });
    this.worker.on('message', (answer: LedgerThreadAnswer) => this.answered(answer));
    this.worker.on('error', (err) => this.gone(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (!this.closing || this.onThread.length > 0)
        this.gone(new Error(`The ledger thread stopped (exit code ${code}) before it had written every ledger row`));
    });
  }

  get backlog(): number {
    return this.held.size + this.onThreadOps;
  }

  add(op: LedgerOp): void {
    if (!this.failure) this.held.add(op);
  }

  commit(onCommitted?: () => void): void {
    if (this.failure) return;
    if (onCommitted) this.heldDone.push(onCommitted);
    if (this.onThread.length === 0 || this.held.size >= MAX_BATCH_WRITES || this.held.chars >= MAX_BATCH_CHARS) this.post();
  }

  below(max: number): Promise<void> {
    if (this.reached(max)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ max, resolve }));
  }

  async close(): Promise<void> {
    if (!this.failure) this.post();
    // Every batch on the thread answered, after a failure too: one may still commit (terminated
    // instead, a batch that committed as it ended was counted by no one).
    await this.below(0);
    this.closing = true;
    if (!this.exited) {
      const exited = new Promise((resolve) => this.worker.once('exit', resolve));
      this.worker.postMessage('close');
      await exited;
    }
    if (this.failure) throw this.failure;
  }

  private post(): void {
    if (this.failure || (this.held.size === 0 && this.heldDone.length === 0)) return;
    const ops = this.held.size;
    let batch: PackedBatch;
    try {
      batch = this.held.finish();
    } catch (err) {
      // (nothing of the batch is written: its records still differ from the snapshot, and the next run sends them)
      return this.fail(err instanceof Error ? err : new Error(String(err)));
    }
    this.onThread.push({ ops, done: this.heldDone });
    this.onThreadOps += ops;
    this.worker.postMessage(batch, [batch.blob]);
    this.heldDone = [];
  }

  /** A batch's answer (batches are answered in the order they were sent). */
  private answered(answer: LedgerThreadAnswer): void {
    const batch = this.onThread.shift();
    this.onThreadOps -= batch?.ops ?? 0;
    if (answer.error) this.fail(Object.assign(new Error(answer.error.message), { name: answer.error.name, code: answer.error.code }));
    // Committed: its units are counted, even once the run has stopped on a later unit's error.
    else for (const f of batch?.done ?? []) f();
    if (this.onThread.length === 0) this.post();
    this.wake();
  }

  /** The first error stops the sink: units not sent yet are dropped (their records still differ from the snapshot: the next run sends them). */
  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.held.clear();
    this.heldDone = [];
    this.onError(err);
    this.wake();
  }

  /** The thread stopped: what was on it is not answered (a transaction a thread ends in is rolled back). */
  private gone(err: Error): void {
    this.onThread.length = 0;
    this.onThreadOps = 0;
    this.fail(err);
    this.wake();
  }

  /**
   * At most `max` writes wait; at 0, also no unit waits for its commit. Once failed, nothing waits to
   * send, and only `below(0)` waits, for the answers of the batches on the thread.
   */
  private reached(max: number): boolean {
    if (this.failure) return max > 0 || this.onThread.length === 0;
    return this.backlog <= max && (max > 0 || (this.onThread.length === 0 && this.heldDone.length === 0));
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (this.reached(w.max)) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}
