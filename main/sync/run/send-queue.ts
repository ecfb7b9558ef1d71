import type { OutRecord, Publisher } from '../../publishers/publisher';
import type { WorkItem } from '../differ';

/** A record on its way: its work item, how often it was tried, and when it may go next. */
export interface Pending {
  record: OutRecord;
  item: WorkItem;
  attempts: number;
  firstAttemptAt: string;
  /** Date.now() of the first attempt (for the unreachable-destination budget). */
  firstAttemptMs?: number;
  notBefore: number;
}

/**
 * What is waiting to be sent: fresh records in work-list order and records waiting for a retry.
 * A partition key that is on the wire, or has a record waiting for a retry, holds back every later
 * record with that key.
 */
export class SendQueue {
  private fresh: Pending[] = [];
  /** Kept in work-list order (by seq). */
  private retries: Pending[] = [];
  private readonly busyKeys = new Map<string, number>();

  constructor(private readonly publisher: Pick<Publisher, 'limits' | 'recordBytes'>) {}

  get freshCount(): number {
    return this.fresh.length;
  }

  get retryCount(): number {
    return this.retries.length;
  }

  addFresh(p: Pending): void {
    this.fresh.push(p);
  }

  addRetry(p: Pending): void {
    this.addRetries([p]);
  }

  /**
   * A batch's records that wait for a retry, merged into the retry list in work-list order: appended
   * when they all come after it (the usual case), else one linear merge — never a re-sort or an
   * insertion per record, so hundreds of thousands of waiting records stay cheap.
   */
  addRetries(list: Pending[]): void {
    if (list.length === 0) return;
    const incoming = [...list].sort((a, b) => a.record.seq - b.record.seq);
    const last = this.retries[this.retries.length - 1];
    if (!last || last.record.seq < incoming[0]!.record.seq) {
      for (const p of incoming) this.retries.push(p);
      return;
    }
    const merged: Pending[] = new Array<Pending>(this.retries.length + incoming.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.retries.length && j < incoming.length) merged[k++] = this.retries[i]!.record.seq <= incoming[j]!.record.seq ? this.retries[i++]! : incoming[j++]!;
    while (i < this.retries.length) merged[k++] = this.retries[i++]!;
    while (j < incoming.length) merged[k++] = incoming[j++]!;
    this.retries = merged;
  }

  markInFlight(batch: Pending[]): void {
    for (const p of batch) this.busyKeys.set(p.record.partitionKey, (this.busyKeys.get(p.record.partitionKey) ?? 0) + 1);
  }

  clearInFlight(batch: Pending[]): void {
    for (const p of batch) {
      const n = (this.busyKeys.get(p.record.partitionKey) ?? 1) - 1;
      if (n > 0) this.busyKeys.set(p.record.partitionKey, n);
      else this.busyKeys.delete(p.record.partitionKey);
    }
  }

  /** When the earliest waiting retry is due (a loop, not a spread: the list can hold millions). */
  nextRetryAt(): number | undefined {
    let at: number | undefined;
    for (const r of this.retries) if (at === undefined || r.notBefore < at) at = r.notBefore;
    return at;
  }

  /**
   * Due retries first (oldest record first), then fresh records, within the publisher's limits. A
   * record that fits the destination's record limit but not a whole batch's (Kafka: a record between
   * the 900 KiB request cap and the 1 MiB record limit) goes alone, in a batch of its own.
   */
  nextBatch(now: number, maxRecords = Number.POSITIVE_INFINITY): Pending[] {
    const { maxBatchBytes } = this.publisher.limits;
    const maxBatchRecords = Math.min(this.publisher.limits.maxBatchRecords, maxRecords);
    const batch: Pending[] = [];
    const held = new Set<string>(this.busyKeys.keys());
    for (const r of this.retries) held.add(r.record.partitionKey);
    let bytes = 0;
    const take = (list: Pending[], isRetry: boolean): Pending[] => {
      const keep: Pending[] = [];
      const firstOfKey = new Set<string>();
      for (const p of list) {
        const key = p.record.partitionKey;
        const size = this.publisher.recordBytes(p.record);
        let ok = batch.length < maxBatchRecords && (batch.length === 0 || bytes + size <= maxBatchBytes);
        if (isRetry) {
          // Only the oldest waiting record of a key may go, when due and its key is not on the wire.
          ok &&= p.notBefore <= now && !this.busyKeys.has(key) && !firstOfKey.has(key);
          firstOfKey.add(key);
        } else {
          ok &&= !held.has(key);
        }
        if (ok) {
          batch.push(p);
          bytes += size;
          if (!isRetry) held.add(key);
        } else {
          keep.push(p);
          if (!isRetry) held.add(key); // later records of this key wait behind it
        }
      }
      return keep;
    };
    this.retries = take(this.retries, true);
    // A key whose retry just joined this batch holds back its fresh successors until it is acknowledged.
    for (const p of batch) held.add(p.record.partitionKey);
    this.fresh = take(this.fresh, false);
    return batch;
  }
}
