import type { RunRetrying } from '../../../shared/config/sync';
import type { RecordResult } from '../../publishers/publisher';
import type { Pending } from './send-queue';

/** A destination that has settled no record for this long, every answer an error, is said to be stalled in the run's progress. */
export const STALL_SHOWN_MS = 2000;
/** Requests on the wire with no answer at all for this long: the progress says the destination is not answering (a hung broker). */
export const SILENCE_SHOWN_MS = 5000;

type Failure = { code: string; message: string; unreachable: boolean };

/**
 * Why a destination that settles nothing stopped a run, in words: it "did not answer" (its requests timed out:
 * a hung broker, a black hole), "could not be reached" (refused, dropped), or answered and "settled no record".
 */
export function stallWords(failure: Failure): string {
  if (!failure.unreachable) return 'settled no record';
  // By its message: the AWS SDK's code for a dropped connection is TimeoutError too ('socket hang up').
  return /timed out/i.test(failure.message) ? 'did not answer' : 'could not be reached';
}

/**
 * What a run's answers say while it sends: when a record last settled (acknowledged, or refused for
 * good), the last error of answers that settled none since, and how many records being sent again are
 * on the wire. The delivery stops a run whose destination settles nothing for its budget; the progress
 * tells records being retried and a destination that settles none apart from records delivered.
 */
export class AnswerWatch {
  /** `steadyMs()` of the last answer that settled a record, or of the first request. */
  private settledAt: number | undefined;
  /** The error of the last answer, when no answer settled a record since the one before it. */
  private failure: Failure | undefined;
  /** Records on the wire that were sent before (a retry, or sent again behind one). */
  private retriesOnWire = 0;
  /** Requests on the wire, and since when one has been waiting with no answer of any kind. */
  private onWire = 0;
  private quietSince = 0;

  /** A batch went out (its records' attempts counted). */
  launched(batch: readonly Pending[], attemptMs: number): void {
    this.settledAt ??= attemptMs;
    if (this.onWire++ === 0) this.quietSince = attemptMs;
    for (const p of batch) if (p.attempts > 1) this.retriesOnWire++;
  }

  /**
   * A batch was answered (or its request failed): whether an answer settled a record. Otherwise its
   * last error, and whether every failed answer was the destination out of reach, are kept.
   */
  answered(batch: readonly Pending[], outcome: readonly RecordResult[], now: number): boolean {
    this.onWire--;
    this.quietSince = now;
    for (const p of batch) if (p.attempts > 1) this.retriesOnWire--;
    let failure: Extract<RecordResult, { ok: false }> | undefined;
    let unreachable = true;
    for (const r of outcome) {
      if (r.ok || !r.retryable) {
        this.settledAt = now;
        this.failure = undefined;
        return true;
      }
      failure = r;
      if (r.unreachable !== true) unreachable = false;
    }
    if (failure) this.failure = { code: failure.code, message: failure.message, unreachable };
    return false;
  }

  /** How long no answer has settled a record, and the last error since, if any. */
  stall(now: number): { ms: number; failure: Failure } | undefined {
    return this.failure ? { ms: now - (this.settledAt ?? now), failure: this.failure } : undefined;
  }

  /** The progress's records being retried (`waiting`: those in the queue for a retry) and, past STALL_SHOWN_MS, the stall. */
  retrying(waiting: number, now: number, server: string): RunRetrying {
    const stall = this.stall(now);
    const quiet = this.onWire > 0 ? now - this.quietSince : 0;
    let stalled: RunRetrying['stalled'] = null;
    if (stall && stall.ms >= STALL_SHOWN_MS)
      stalled = { unreachable: stall.failure.unreachable, server, code: stall.failure.code, seconds: Math.floor(stall.ms / 1000) };
    else if (quiet >= SILENCE_SHOWN_MS) stalled = { unreachable: false, server, code: '', seconds: Math.floor(quiet / 1000), silent: true };
    return { records: waiting + this.retriesOnWire, stalled };
  }
}
