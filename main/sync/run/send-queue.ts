import type { OutRecord, Publisher } from '../../publishers/publisher';
import type { WorkItem } from '../differ';

/** A record on its way: its work item, how often it was tried, and when it may go next. */
export interface Pending {
  record: OutRecord;
  item: WorkItem;
  attempts: number;
  firstAttemptAt: string;
  /** `steadyMs()` of the first attempt (for the unreachable-destination budget). */
  firstAttemptMs?: number;
  /** `steadyMs()` before which a retry does not go (0: at once). */
  notBefore: number;
}

/** A binary heap: `before(a, b)` is true when `a` comes out first. */
class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const { items, before } = this;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent]!;
      if (!before(item, above)) break;
      items[i] = above;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const { items, before } = this;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (n === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(items[r]!, items[l]!) ? r : l;
      const below = items[child]!;
      if (!before(below, last)) break;
      items[i] = below;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * What is waiting to be sent: fresh records in work-list order and records waiting for a retry.
 * A request may carry many records of one partition key (in work-list order: Kafka appends a
 * partition's records of a request whole or not at all, and Kinesis answers per record, which the
 * ledger writer's order guard covers). A partition key that is on the wire in another request, or
 * has a record waiting for a retry that is not in this request, holds back every later record with
 * that key, so a retry can never be overtaken by its successors.
 *
 * Retries are kept per partition key (a key's waiting records go in order, oldest first); the first
 * record of each key that is not on the wire is in one of two heaps — by when it is due, then, once
 * due, by its place in the work list — so forming a batch costs the records it takes (and the few
 * entries it finds outdated), not a pass over every record waiting: a broker outage can leave
 * hundreds of thousands of them. An entry is checked when it comes out of a heap (its key may have
 * gone on the wire since, or an older record of its key come back) and dropped if it no longer
 * applies; the key's first record is put back when its key leaves the wire.
 */
export class SendQueue {
  private fresh: Pending[] = [];
  /** Per partition key, its records waiting for a retry, in work-list order (by seq). */
  private readonly retries = new Map<string, Pending[]>();
  private retryTotal = 0;
  /** First records of their key, key not on the wire, not due yet: soonest first. */
  private readonly waiting = new Heap<Pending>((a, b) => a.notBefore < b.notBefore || (a.notBefore === b.notBefore && a.record.seq < b.record.seq));
  /** First records of their key, key not on the wire, due: oldest record first. */
  private readonly due = new Heap<Pending>((a, b) => a.record.seq < b.record.seq);
  /** Records with an entry in `waiting` or `due`. */
  private readonly scheduled = new Set<Pending>();
  private readonly busyKeys = new Map<string, number>();

  constructor(private readonly publisher: Pick<Publisher, 'limits' | 'recordBytes'>) {}

  get freshCount(): number {
    return this.fresh.length;
  }

  get retryCount(): number {
    return this.retryTotal;
  }

  addFresh(p: Pending): void {
    this.fresh.push(p);
  }

  addRetry(p: Pending): void {
    this.addRetries([p]);
  }

  /** A batch's records that wait for a retry, each behind the older records of its key that wait too. */
  addRetries(list: Pending[]): void {
    for (const p of list) {
      const key = p.record.partitionKey;
      const queue = this.retries.get(key);
      if (!queue) this.retries.set(key, [p]);
      else {
        // A failed request's records of a key come back in order, after the older ones: appended, as a rule.
        let i = queue.length;
        while (i > 0 && queue[i - 1]!.record.seq > p.record.seq) i--;
        queue.splice(i, 0, p);
      }
      this.retryTotal++;
      this.schedule(key);
    }
  }

  markInFlight(batch: Pending[]): void {
    for (const p of batch) this.busyKeys.set(p.record.partitionKey, (this.busyKeys.get(p.record.partitionKey) ?? 0) + 1);
  }

  clearInFlight(batch: Pending[]): void {
    for (const p of batch) {
      const key = p.record.partitionKey;
      const n = (this.busyKeys.get(key) ?? 1) - 1;
      if (n > 0) this.busyKeys.set(key, n);
      else {
        this.busyKeys.delete(key);
        this.schedule(key);
      }
    }
  }

  /** When the earliest retry that may go is due (its key's first waiting record, its key not on the wire). */
  nextRetryAt(): number | undefined {
    const due = this.top(this.due);
    const waiting = this.top(this.waiting);
    if (due === undefined) return waiting?.notBefore;
    return waiting === undefined ? due.notBefore : Math.min(due.notBefore, waiting.notBefore);
  }

  /**
   * Due retries first (oldest record first, until one does not fit), then fresh records, within the
   * publisher's limits. A record that fits the destination's record limit but not a whole batch's
   * (Kafka: a record between the 900 KiB request cap and the 1 MiB record limit) goes alone, in a
   * batch of its own.
   */
  nextBatch(now: number, maxRecords = Number.POSITIVE_INFINITY): Pending[] {
    const { maxBatchBytes } = this.publisher.limits;
    const maxBatchRecords = Math.min(this.publisher.limits.maxBatchRecords, maxRecords);
    const batch: Pending[] = [];
    let bytes = 0;
    const fits = (size: number) => batch.length < maxBatchRecords && (batch.length === 0 || bytes + size <= maxBatchBytes);

    for (let p = this.top(this.waiting); p && p.notBefore <= now; p = this.top(this.waiting)) this.due.push(this.waiting.pop()!);
    const taken = new Set<string>();
    let full = false;
    for (let p = this.top(this.due); p && !full; p = this.top(this.due)) {
      const size = this.publisher.recordBytes(p.record);
      if (!fits(size)) break;
      this.due.pop();
      this.scheduled.delete(p);
      const key = p.record.partitionKey;
      const queue = this.retries.get(key)!;
      // The key's oldest waiting record goes, and with it the ones behind it that are due and fit.
      let i = 0;
      for (;;) {
        const q = queue[i]!;
        batch.push(q);
        bytes += i === 0 ? size : this.publisher.recordBytes(q.record);
        i++;
        const next = queue[i];
        if (!next || next.notBefore > now) break;
        if (!fits(this.publisher.recordBytes(next.record))) {
          full = true;
          break;
        }
      }
      queue.splice(0, i);
      if (queue.length === 0) this.retries.delete(key);
      this.retryTotal -= i;
      taken.add(key);
    }

    // A key on the wire, or with a record waiting for a retry that did not join this batch, holds back
    // its fresh records; so does a key whose fresh record did not fit (its successors wait behind it).
    const held = new Set<string>();
    const keep: Pending[] = [];
    for (const p of this.fresh) {
      const key = p.record.partitionKey;
      if (held.has(key) || this.busyKeys.has(key) || this.retries.has(key)) {
        keep.push(p);
        continue;
      }
      const size = this.publisher.recordBytes(p.record);
      if (fits(size)) {
        batch.push(p);
        bytes += size;
      } else {
        held.add(key);
        keep.push(p);
      }
    }
    this.fresh = keep;
    // A key whose retries went keeps its later waiting records (if any) in line; they wait while the key is on the wire.
    for (const key of taken) this.schedule(key);
    return batch;
  }

  /** Puts the key's first waiting record in line, unless its key is on the wire or it is there already. */
  private schedule(key: string): void {
    const first = this.retries.get(key)?.[0];
    if (!first || this.busyKeys.has(key) || this.scheduled.has(first)) return;
    this.scheduled.add(first);
    this.waiting.push(first);
  }

  /** The heap's first entry that still applies (its key's first waiting record, the key not on the wire); outdated ones are dropped. */
  private top(heap: Heap<Pending>): Pending | undefined {
    for (let p = heap.peek(); p; p = heap.peek()) {
      const key = p.record.partitionKey;
      if (this.retries.get(key)?.[0] === p && !this.busyKeys.has(key)) return p;
      heap.pop();
      this.scheduled.delete(p);
    }
    return undefined;
  }
}
