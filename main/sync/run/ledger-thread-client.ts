import type { Worker } from 'node:worker_threads';
import { nativeBindingPath } from '../../state/native-binding';
import { BUSY_TIMEOUT_MS } from '../../state/sqlite-errors';
import { startThread } from '../thread-script';
import { packBatch, type LedgerOp } from './ledger-statements';
import type { LedgerSink } from './ledger-sink';
import type { LedgerThreadAnswer } from './ledger-thread';

/**
 * A ledger sink on a thread of its own (`ledger-thread.ts`, its own connection to the workspace): the
 * run's main thread hands it each unit and goes on reading, rendering and sending. One batch is on the
 * thread at a time; units made meanwhile wait and go together as the next batch (one transaction), so
 * the slower the disk, the larger the batches. A unit's `onCommitted` runs once its batch committed.
 * The first error (SQLite's, or the thread stopping) goes to `onError`; nothing is written after it.
 */
export class LedgerThread implements LedgerSink {
  private readonly worker: Worker;
  private held: LedgerOp[] = [];
  private heldDone: (() => void)[] = [];
  private onThread: { ops: number; done: (() => void)[] } | undefined;
  private failure: Error | undefined;
  private closing = false;
  private readonly waiters: { max: number; resolve(): void }[] = [];

  constructor(file: string, private readonly onError: (err: Error) => void) {
    this.worker = startThread(__dirname, 'ledger-thread', { file, nativeBinding: nativeBindingPath(), busyTimeoutMs: BUSY_TIMEOUT_MS });
    this.worker.on('message', (answer: LedgerThreadAnswer) => this.answered(answer));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (!this.closing || this.onThread) this.fail(new Error(`The ledger thread stopped (exit code ${code}) before it had written every ledger row`));
    });
  }

  get backlog(): number {
    return this.held.length + (this.onThread?.ops ?? 0);
  }

  add(op: LedgerOp): void {
    if (!this.failure) this.held.push(op);
  }

  commit(onCommitted?: () => void): void {
    if (this.failure) return;
    if (onCommitted) this.heldDone.push(onCommitted);
    if (!this.onThread) this.post();
  }

  below(max: number): Promise<void> {
    if (this.reached(max)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ max, resolve }));
  }

  async close(): Promise<void> {
    if (!this.failure) this.post();
    await this.below(0);
    this.closing = true;
    if (!this.failure) {
      const exited = new Promise((resolve) => this.worker.once('exit', resolve));
      this.worker.postMessage('close');
      await exited;
    } else await this.worker.terminate();
    if (this.failure) throw this.failure;
  }

  private post(): void {
    if (this.onThread || (this.held.length === 0 && this.heldDone.length === 0)) return;
    this.onThread = { ops: this.held.length, done: this.heldDone };
    const batch = packBatch(this.held);
    this.worker.postMessage(batch, [batch.blob]);
    this.held = [];
    this.heldDone = [];
  }

  private answered(answer: LedgerThreadAnswer): void {
    if (answer.error) {
      this.fail(Object.assign(new Error(answer.error.message), { name: answer.error.name, code: answer.error.code }));
      return;
    }
    const done = this.onThread?.done ?? [];
    this.onThread = undefined;
    for (const f of done) f();
    this.post();
    this.wake();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.held = [];
    this.heldDone = [];
    this.onThread = undefined;
    this.onError(err);
    this.wake();
  }

  /** Failed, or at most `max` writes wait; at 0, also no unit waits for its commit. */
  private reached(max: number): boolean {
    if (this.failure) return true;
    return this.backlog <= max && (max > 0 || (!this.onThread && this.heldDone.length === 0));
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
