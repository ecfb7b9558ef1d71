import type { RecordResult } from '../publishers/publisher';
import { steadyMs } from './steady-clock';

/** Answers that mean "slow down": the stream or the account is over its write limits. */
export const THROTTLE_CODES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'ServiceUnavailableException',
  'LimitExceededException',
  'KMSThrottlingException',
]);

export interface SendRateOptions {
  /** The floor the rate never drops below (records/s). */
  minRate: number;
  /** How much of the rate is kept on throttling (multiplicative decrease). */
  decrease: number;
  /** Records/s added per batch that comes back without throttling (additive increase), at least… */
  increase: number;
  /** …or this fraction of the current rate, whichever is larger. */
  increaseFraction: number;
  /** Throttled answers within this many ms of a cut belong to the same burst and do not cut again. */
  cutHoldMs: number;
}

export const DEFAULT_SEND_RATE: SendRateOptions = { minRate: 20, decrease: 0.5, increase: 25, increaseFraction: 0.05, cutHoldMs: 500 };

/**
 * AIMD on the records per second the runner sends. Unlimited until the destination first throttles;
 * then the rate is cut to half of what was being accepted, climbs back a little with every clean
 * batch, and is cut again on the next throttle. A token bucket holding half a second of records turns
 * the rate into how many records the next batch may carry.
 */
export class SendRate {
  private rate = Number.POSITIVE_INFINITY;
  private tokens = 0;
  private last: number;
  private lastCut = Number.NEGATIVE_INFINITY;
  /** Acknowledged records per 100 ms slot over the last second, to know what was being accepted. */
  private readonly accepted: { slot: number; n: number }[] = [];
  private cuts = 0;

  constructor(
    private readonly options: SendRateOptions = DEFAULT_SEND_RATE,
    now: number = steadyMs(),
  ) {
    this.last = now;
  }

  /** The current limit in records/s (Infinity before the first throttle). */
  get recordsPerSecond(): number {
    return this.rate;
  }

  /** How often the rate has been cut in this run. */
  get timesCut(): number {
    return this.cuts;
  }

  private capacity(): number {
    return Math.max(1, this.rate / 2);
  }

  private refill(now: number): void {
    if (!Number.isFinite(this.rate)) return;
    this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** How many records may go now (Infinity while unlimited). */
  allowance(now: number = steadyMs()): number {
    if (!Number.isFinite(this.rate)) return Number.POSITIVE_INFINITY;
    this.refill(now);
    return this.waitMs(now) > 0 ? 0 : Math.floor(this.tokens);
  }

  /** Records leave: they use up tokens. */
  take(records: number, now: number = steadyMs()): void {
    if (!Number.isFinite(this.rate)) return;
    this.refill(now);
    this.tokens -= records;
  }

  /** How long to wait before a worthwhile batch (a tenth of a second of records, at least one) may go. */
  waitMs(now: number = steadyMs()): number {
    if (!Number.isFinite(this.rate)) return 0;
    this.refill(now);
    const want = Math.min(this.capacity(), Math.max(1, this.rate / 10));
    return this.tokens >= want ? 0 : Math.ceil(((want - this.tokens) / this.rate) * 1000);
  }

  /** A batch's answer: throttled records cut the rate, a clean batch lets it climb. */
  observe(results: RecordResult[], now: number = steadyMs()): void {
    let ok = 0;
    let throttled = 0;
    for (const r of results) {
      if (r.ok) ok++;
      else if (THROTTLE_CODES.has(r.code)) throttled++;
    }
    this.count(ok, now);
    if (throttled > 0) {
      if (now - this.lastCut < this.options.cutHoldMs) return;
      const acceptedLastSecond = this.accepted.reduce((sum, s) => sum + s.n, 0);
      const base = Number.isFinite(this.rate)
        ? Math.min(this.rate, Math.max(acceptedLastSecond, this.options.minRate))
        : Math.max(acceptedLastSecond, this.options.minRate);
      this.rate = Math.max(this.options.minRate, base * this.options.decrease);
      this.tokens = Math.min(this.tokens, 0);
      this.last = now;
      this.lastCut = now;
      this.cuts++;
    } else if (Number.isFinite(this.rate) && ok > 0) {
      this.refill(now);
      this.rate += Math.max(this.options.increase, this.rate * this.options.increaseFraction);
    }
  }

  private count(ok: number, now: number): void {
    const slot = Math.floor(now / 100);
    const lastSlot = this.accepted[this.accepted.length - 1];
    if (lastSlot && lastSlot.slot === slot) lastSlot.n += ok;
    else this.accepted.push({ slot, n: ok });
    while (this.accepted.length && this.accepted[0]!.slot <= slot - 10) this.accepted.shift();
  }
}
