import type { Destination } from '../../../shared/config/destination';
import { codeAndMessage, type RunRetrying } from '../../../shared/config/sync';
import { PublishError, type RecordResult } from '../../publishers/publisher';
import { DEFAULT_BACKOFF, sleep, type BackoffPolicy } from '../backoff';
import type { Differ } from '../differ';
import { renderAheadFor, type RenderAhead } from '../render-ahead';
import { describeRunError } from '../run-errors';
import { SendQueue, type Pending } from './send-queue';
import { SendRate, THROTTLE_CODES } from '../send-rate';
import { engineKind } from '../../destinations/kinds/registry';
import { FatalRunError, PAGE, type RunContext, type RunPublisher } from './context';
import type { LedgerWriter } from './ledger-writer';
import type { RecordMaker } from './record-maker';
import { steadyMs } from '../steady-clock';
import { AnswerWatch, stallWords } from './answer-watch';

/** How often a run's progress is given while it sends, answers or not. */
const PROGRESS_TICK_MS = 1000;

/** Requests on the wire at once. */
export const MAX_IN_FLIGHT = 4;
/**
 * Ledger writes (2 a record) waiting for a ledger thread before sending pauses: bounds the memory they
 * hold, and the records a killed run sent without recording them (the next run sends them again).
 */
export const MAX_LEDGER_BACKLOG = 20_000;
/** A cancelled run's requests on the wire get this long to answer before they are aborted. */
export const CANCEL_GRACE_MS = 2000;

/**
 * Stage 4 — deliver: the work list is sent with up to MAX_IN_FLIGHT requests at once, rendered just
 * ahead of the sender (on worker threads for long lists), within the destination's limits and the
 * adaptive send rate. Order per partition key is kept: a request carries a key's records in work-list
 * order (as many as fit, so one hot key goes at full speed), and a record is never sent while an
 * earlier record with the same partition key is on the wire in another request or waiting for a retry,
 * so a retry can never overtake, or be overtaken by, its successors. Each answered batch is settled by
 * the ledger writer, whose order guard sends a key's records again behind one of them that failed.
 */
export class Delivery {
  private readonly policy: BackoffPolicy;
  private readonly rate: SendRate | undefined;
  private readonly queue: SendQueue;
  private readonly inFlight = new Set<Promise<void>>();
  private ahead: RenderAhead | undefined;
  private after = 0;
  private exhausted = false;
  private fatal: FatalRunError | undefined;
  /** Consecutive looks at a queue that held records but formed no batch. */
  private idleLooks = 0;
  /** When a record last settled, and records sent again on the wire: a destination that settles none for the policy's `unreachableMs` stops the run. */
  private readonly watch = new AnswerWatch();
  /** Aborts the requests on the wire CANCEL_GRACE_MS after a cancel (at once, a healthy destination's written records were failed and sent again). */
  private readonly abortRequests = new AbortController();
  private abortTimer: NodeJS.Timeout | undefined;
  private readonly abortLater = () => (this.abortTimer = setTimeout(() => this.abortRequests.abort(), CANCEL_GRACE_MS).unref());
  /** The budget ran out: nothing more is sent, and the run stops with this unless a request on the wire still settles a record. */
  private stalled: FatalRunError | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly differ: Differ,
    private readonly records: RecordMaker,
    private readonly ledger: LedgerWriter,
    private readonly destination: Destination,
    private readonly publisher: RunPublisher,
  ) {
    this.policy = ctx.options.backoff ?? DEFAULT_BACKOFF;
    this.rate = ctx.options.adaptiveRate === false ? undefined : new SendRate();
    this.queue = new SendQueue(publisher);
    ctx.options.signal?.addEventListener('abort', this.abortLater, { once: true });
  }

  /** Stops the run with `err` (a ledger thread's write error): nothing more is sent. */
  stop(err: Error): void {
    this.fatal ??= new FatalRunError(describeRunError(err, this.ctx.deps.db.name));
  }

  /** Sends everything (or until cancelled or a fatal error, which it throws); always closes the publisher. */
  async run(toSend: number, useRenderPool: boolean): Promise<void> {
    // Progress goes on while no answer comes (a hung broker): its events come from answers otherwise.
    const tick = setInterval(() => this.ctx.progress(), PROGRESS_TICK_MS);
    try {
      // Created inside the try, so the publisher is closed even if starting the threads fails.
      if (useRenderPool) this.startRenderPool(toSend);
      this.refill();
      await this.loop();
      if (this.fatal) throw this.fatal;
    } finally {
      clearInterval(tick);
      await Promise.allSettled(this.inFlight);
      this.ctx.options.signal?.removeEventListener('abort', this.abortLater);
      clearTimeout(this.abortTimer);
      await this.ahead?.close();
      await this.publisher.close();
    }
  }

  private startRenderPool(toSend: number): void {
    const { ctx } = this;
    const kafka = this.records.target.pool?.kafka;
    const run = { id: ctx.runId, sync: ctx.syncName, startedAt: ctx.startedAt, columns: ctx.columns, numberColumns: ctx.numberColumns };
    this.ahead = renderAheadFor(ctx.sync.definition, toSend, ctx.options.renderPoolThreshold, run, (a, n) => this.differ.page(a, n), kafka);
    if (this.ahead) ctx.deps.log.info('run.render-pool', { runId: ctx.runId, threads: this.ahead.threads, records: toSend });
  }

  private async loop(): Promise<void> {
    const { ctx, queue, inFlight } = this;
    for (;;) {
      if (!ctx.cancelled && !this.fatal && !this.stalled) this.launchWhileRoom();
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        this.refill();
        continue;
      }
      if (this.stalled && !ctx.cancelled) this.fatal ??= this.stalled;
      if (ctx.cancelled || this.fatal) return;
      if (queue.freshCount === 0 && !this.exhausted) {
        await this.ahead?.ready();
        this.refill();
        continue;
      }
      if (this.ledger.backlog >= MAX_LEDGER_BACKLOG) {
        await this.ledger.below(MAX_LEDGER_BACKLOG / 2);
        continue;
      }
      if (!(await this.waitForWork())) return;
    }
  }

  /** Sends batches while fewer than MAX_IN_FLIGHT requests are on the wire and the queue and rate allow. */
  private launchWhileRoom(): void {
    const { queue, rate, inFlight } = this;
    while (inFlight.size < MAX_IN_FLIGHT && this.ledger.backlog < MAX_LEDGER_BACKLOG) {
      const batch = queue.nextBatch(steadyMs(), rate?.allowance() ?? Number.POSITIVE_INFINITY);
      if (batch.length === 0) break;
      rate?.take(batch.length);
      this.idleLooks = 0;
      this.launch(batch);
      this.refill(); // render the next records while requests are on the wire
    }
  }

  /**
   * Nothing on the wire: waits for the next retry or for the rate's tokens. False when nothing is left
   * to send (the run's sending is done).
   */
  private async waitForWork(): Promise<boolean> {
    const { ctx, queue, rate } = this;
    const wake = queue.nextRetryAt();
    const paced = rate?.waitMs() ?? 0;
    if (wake === undefined) {
      if (queue.freshCount === 0) return false;
      // Records wait and nothing is on the wire or due for a retry: the rate holds them back (its
      // tokens may have come back since the batch was asked for, so look again after yielding). A
      // queue that still forms no batch after many looks would be a bug: stop the run saying so,
      // never spin.
      if (paced <= 0 && ++this.idleLooks > 10_000)
        throw new FatalRunError(
          `Sluice could not form a request from the ${queue.freshCount} records waiting (a bug: please report it with the diagnostics export)`,
        );
      await sleep(Math.max(paced, 1), ctx.options.signal);
      return true;
    }
    this.idleLooks = 0;
    await sleep(Math.max(0, wake - steadyMs(), paced), ctx.options.signal);
    return true;
  }

  /** Renders records into the queue until a page's worth waits or the work list is exhausted. */
  private refill(): void {
    while (!this.exhausted && this.queue.freshCount < PAGE) {
      if (this.ahead) {
        if (!this.takeRendered()) break;
        continue;
      }
      const page = this.differ.page(this.after, PAGE);
      if (page.length === 0) {
        this.exhausted = true;
        break;
      }
      this.after = page[page.length - 1]!.seq;
      for (const item of page) this.enqueue(item, this.records.render(item));
    }
  }

  /** Takes a page from the render threads; false when none is ready yet (or none is left). */
  private takeRendered(): boolean {
    const ahead = this.ahead!;
    let got: ReturnType<RenderAhead['take']>;
    try {
      got = ahead.take();
    } catch (err) {
      // A render thread stopped: the rest renders here, from the first record not yet taken.
      this.ctx.deps.log.warn('run.render-pool-lost', { error: (err as Error).message });
      void ahead.close();
      this.ahead = undefined;
      return true;
    }
    if (got === 'done') this.exhausted = true;
    if (got === undefined || got === 'done') return false;
    this.after = got.items[got.items.length - 1]!.seq;
    got.items.forEach((item, i) => this.enqueue(item, this.records.pooled(item, got.results[i]!)));
    return true;
  }

  private enqueue(item: Pending['item'], record: Pending['record'] | undefined): void {
    if (record && !this.records.oversize(this.publisher, record, item)) this.queue.addFresh({ record, item, attempts: 0, firstAttemptAt: '', notBefore: 0 });
  }

  private launch(batch: Pending[]): void {
    const attemptAt = new Date().toISOString();
    const attemptMs = steadyMs();
    for (const p of batch) {
      p.attempts++;
      if (!p.firstAttemptAt) {
        p.firstAttemptAt = attemptAt;
        p.firstAttemptMs = attemptMs;
      }
    }
    this.watch.launched(batch, attemptMs);
    this.ctx.counts.sent += batch.length;
    this.queue.markInFlight(batch);
    // This chain never rejects: whatever goes wrong while settling a batch (a failed ledger write —
    // disk full, a locked database) stops the run with its cause, instead of escaping as an
    // unhandled rejection that would take the process down.
    const request = this.publisher
      .send(
        batch.map((p) => p.record),
        this.abortRequests.signal,
      )
      .then(
        (results) => ({ results, error: undefined as PublishError | undefined }),
        (error: unknown) => ({ results: undefined, error: error instanceof PublishError ? error : new PublishError('Error', String(error), false) }),
      )
      .then(({ results, error }) => this.settle(batch, attemptAt, results, error))
      .catch((err: unknown) => {
        this.fatal ??= new FatalRunError(describeRunError(err, this.ctx.deps.db.name));
      });
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }

  private settle(batch: Pending[], attemptAt: string, results: RecordResult[] | undefined, error: PublishError | undefined): void {
    const { ctx } = this;
    this.queue.clearInFlight(batch);
    const outcome =
      results ??
      batch.map((p): RecordResult => ({
        seq: p.record.seq,
        ok: false,
        code: error!.code,
        message: error!.message,
        retryable: error!.retryable,
        ...(error!.unreachable ? { unreachable: true } : {}),
      }));
    // Counted off the wire first: a settle that throws (a ledger write) must not leave them "retrying".
    const settled = this.watch.answered(batch, outcome, steadyMs());
    const requeued = this.ledger.settle(batch, outcome, attemptAt, this.policy, this.queue);
    this.rate?.observe(outcome);
    for (const r of outcome) if (!r.ok && THROTTLE_CODES.has(r.code)) ctx.answers.throttled++;
    ctx.answers.retried += requeued;
    const label = engineKind(this.destination.kind).label(this.destination);
    if (error && !error.retryable && !ctx.cancelled) this.fatal ??= new FatalRunError(`${label}: ${codeAndMessage(error.code, error.message)}`);
    // Out of attempts: the run stops. A destination out of reach is timed instead (watchForStall), so its
    // records, each with the same budget from its first attempt, stop it there in the same words.
    if (error && requeued === 0 && !ctx.cancelled && !(error.unreachable && this.policy.unreachableMs)) {
      let tried = 0;
      for (const p of batch) if (p.attempts > tried) tried = p.attempts; // a loop: a spread of a huge batch can throw RangeError
      this.fatal ??= new FatalRunError(`${label} kept failing after ${tried} attempts: ${codeAndMessage(error.code, error.message)}`);
    }
    this.watchForStall(settled, outcome, label);
    ctx.progress();
  }

  /**
   * A destination down for good stops the run once it has settled no record for the policy's
   * `unreachableMs` and the requests still on the wire have answered without settling one either (a
   * slow one may still be acknowledged: then sending goes on). Each record's own budget alone would
   * not: fresh records keep joining the requests, each with a budget of its own, so a run of 1M rows
   * to a refused port went on for about ten minutes (writing a failure for each record) instead of
   * one. The records not settled stay pending, and the next run sends them.
   */
  private watchForStall(settled: boolean, outcome: RecordResult[], label: string): void {
    const now = steadyMs();
    const budget = this.policy.unreachableMs;
    if (!budget || this.ctx.cancelled || outcome.length === 0) return;
    if (settled) return void (this.stalled = undefined);
    const stall = this.watch.stall(now);
    if (!stall || stall.ms < budget) return;
    const { code, message } = stall.failure;
    this.stalled ??= new FatalRunError(`${label} ${stallWords(stall.failure)} for ${Math.round(stall.ms / 1000)} s: ${codeAndMessage(code, message)}`);
  }

  /** The progress's records being retried, and a destination that has settled none for a while. */
  retrying(): RunRetrying {
    // Cancelling: nothing is retried any more (requests given up would read as a destination out of reach).
    if (this.ctx.cancelled) return { records: 0, stalled: null };
    return this.watch.retrying(this.queue.retryCount, steadyMs(), engineKind(this.destination.kind).server ?? 'destination');
  }
}
