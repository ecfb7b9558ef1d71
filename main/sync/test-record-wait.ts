import type { Destination } from '../../shared/config/destination';
import { TEST_RECORD_WAIT_MS } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import { engineKind } from '../destinations/kinds/registry';
import type { EngineServices } from '../engine/services';

/** Why a test record stopped waiting. */
type Ending = 'cancelled' | 'timed-out';

/** The test records still waiting, per engine, by the attempt id their callers chose (`cancelTestRecord`). */
const waiting = new WeakMap<EngineServices, Map<string, TestRecordWait>>();

/**
 * One test record's wait for its destination: bounded (`waitMs`), and given up at once when its caller
 * cancels it. `signal` goes to the publisher (and the read-back), which give their requests up when it
 * aborts; `givenUp` then words why, with the destination.
 */
export class TestRecordWait {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private ending: Ending | undefined;

  private constructor(
    private readonly engine: EngineServices,
    private readonly attempt: string | undefined,
    private readonly waitMs: number,
  ) {}

  /** Starts the wait of a test record (`attempt`: the caller's id for it, so it can be cancelled). */
  static start(engine: EngineServices, attempt: string | undefined, waitMs = TEST_RECORD_WAIT_MS): TestRecordWait {
    let sends = waiting.get(engine);
    if (!sends) waiting.set(engine, (sends = new Map()));
    if (attempt !== undefined && sends.has(attempt))
      throw new SluiceError('conflict', `A test record with the attempt id "${attempt}" is already being sent`, [
        { path: 'attempt', message: 'Already in use' },
      ]);
    const wait = new TestRecordWait(engine, attempt, waitMs);
    if (attempt !== undefined) sends.set(attempt, wait);
    return wait;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `work` (the record being made: its row read), unless the test record is given up first: then the abort's reason, `work` left to end unheard. */
  unlessGivenUp<T>(work: Promise<T>): Promise<T> {
    const { signal } = this.controller;
    work.catch(() => undefined);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** The record goes to the destination now: its answer is waited for `waitMs` at most. */
  sending(): void {
    this.timer ??= setTimeout(() => this.end('timed-out'), this.waitMs);
  }

  /** Stops waiting (`cancelled` by the caller, or `timed-out`); false when it had already stopped. */
  end(why: Ending): boolean {
    if (this.ending) return false;
    this.ending = why;
    // (Words the Debugger's calls given up say, "Connection error: the test record was cancelled", and a read-back given up: "Sent, but it could not be read back: …".)
    this.controller.abort(
      new Error(why === 'cancelled' ? 'the test record was cancelled' : `the test record had no answer within ${Math.round(this.waitMs / 1000)} s`),
    );
    return true;
  }

  /** The send has ended (answered, failed or given up): it can no longer be cancelled. */
  done(): void {
    clearTimeout(this.timer);
    if (this.attempt !== undefined && waiting.get(this.engine)?.get(this.attempt) === this) waiting.get(this.engine)!.delete(this.attempt);
  }

  /** Why the test record to `d` was given up, in words; null while it has not been. */
  givenUp(d: Destination): SluiceError | null {
    if (!this.ending) return null;
    const kind = engineKind(d.kind);
    const server = kind.server ?? 'destination';
    if (this.ending === 'cancelled')
      return new SluiceError(
        'cancelled',
        `Cancelled: the test record to ${d.name} was given up before ${kind.label(d)} answered. If its request had already gone, the ${server} may still write it.`,
      );
    return new SluiceError(
      'unavailable',
      `No answer from ${kind.label(d)} within ${Math.round(this.waitMs / 1000)} s, so the test record to ${d.name} was given up. ` +
        `Check that the ${server} is running and not stopped or overloaded, and that the destination's address is right. If its request had already gone, the ${server} may still write it.`,
    );
  }
}

/** Gives up the test record the caller sent with this attempt id; false when none of that id is waiting (it has ended). */
export function cancelTestRecord(engine: EngineServices, attempt: string): { cancelled: boolean } {
  const wait = waiting.get(engine)?.get(attempt);
  return { cancelled: wait?.end('cancelled') ?? false };
}
