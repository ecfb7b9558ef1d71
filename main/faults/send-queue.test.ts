import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { OutRecord } from '../publishers/publisher';
import { sleep } from '../sync/backoff';
import { SendQueue, type Pending } from '../sync/run/send-queue';

// The fault suite, the send loop's own limits: hundreds of thousands of records waiting for a retry,
// a record too big for a shared request, and a long run's many waits on one abort signal.

const limits = { maxBatchRecords: 500, maxBatchBytes: 900 * 1024, maxRecordBytes: 1024 * 1024 - 512 };
const publisher = { limits, recordBytes: (r: OutRecord) => r.data?.length ?? 0 };

function pending(seq: number, bytes = 10, key = `k${seq}`, notBefore = 0): Pending {
  const record: OutRecord = { kind: 'kinesis', seq, key: String(seq), event: 'added', data: Buffer.alloc(bytes), partitionKey: key };
  return { record, item: { seq, key: String(seq), event: 'added', row: '{}', previous: null, rowNumber: seq }, attempts: 1, firstAttemptAt: '', notBefore };
}

describe('fault suite: the send queue', () => {
  it('holds 300,000 records waiting for a retry: the next wake-up and batches come without a RangeError, oldest first', () => {
    const queue = new SendQueue(publisher);
    const now = 1_000_000;
    // Batches of 500 come back failed in the worst order (latest first); due times spread over a minute.
    for (let b = 599; b >= 0; b--)
      queue.addRetries(Array.from({ length: 500 }, (_, i) => pending(b * 500 + 500 - i, 10, `k${b * 500 + 500 - i}`, now + ((b * 500 + 500 - i) % 60_000))));
    expect(queue.retryCount).toBe(300_000);
    expect(queue.nextRetryAt()).toBe(now); // i = 60,000, 120,000, …: due at once
    const batch = queue.nextBatch(now + 60_000);
    expect(batch).toHaveLength(500);
    expect(batch.map((p) => p.record.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('a record between the request cap and the record limit goes alone, and the records behind it follow', () => {
    const queue = new SendQueue(publisher);
    queue.addFresh(pending(1, 100));
    queue.addFresh(pending(2, 950 * 1024));
    queue.addFresh(pending(3, 100));
    expect(queue.nextBatch(0).map((p) => p.record.seq)).toEqual([1, 3]);
    expect(queue.nextBatch(0).map((p) => p.record.seq)).toEqual([2]);
    expect(queue.freshCount).toBe(0);
  });

  it('one partition key for 3,000 records: full requests of it in order, each waiting until the one before left the wire; a failed request goes again whole, before the rest', () => {
    const queue = new SendQueue(publisher);
    for (let seq = 1; seq <= 3000; seq++) queue.addFresh(pending(seq, 10, 'tenant-1'));
    const first = queue.nextBatch(0);
    expect(first.map((p) => p.record.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    queue.markInFlight(first);
    expect(queue.nextBatch(0)).toEqual([]); // the key is on the wire
    queue.clearInFlight(first);
    const second = queue.nextBatch(0);
    expect(second.map((p) => p.record.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 501));
    queue.markInFlight(second);
    queue.clearInFlight(second);
    // The second request failed from its 100th record on: those 400 wait for a retry and hold the key.
    for (const p of second.slice(99)) p.notBefore = 50;
    queue.addRetries(second.slice(99));
    expect(queue.nextBatch(10)).toEqual([]); // not due yet, and the fresh records wait behind them
    expect(queue.nextRetryAt()).toBe(50);
    const again = queue.nextBatch(50);
    expect(again.map((p) => p.record.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 600)); // 400 retries, then 100 fresh
  });

  it('drains 100,000 waiting retries in batches without a pass over all of them per batch', () => {
    let sized = 0;
    const queue = new SendQueue({ limits, recordBytes: (r: OutRecord) => (sized++, r.data?.length ?? 0) });
    const now = 1_000_000;
    queue.addRetries(Array.from({ length: 100_000 }, (_, i) => pending(i + 1, 10, `k${i + 1}`, now)));
    let sent = 0;
    for (let batch = queue.nextBatch(now); batch.length > 0; batch = queue.nextBatch(now)) {
      expect(batch[0]!.record.seq).toBe(sent + 1); // oldest first
      sent += batch.length;
      queue.markInFlight(batch);
      queue.clearInFlight(batch);
    }
    expect(sent).toBe(100_000);
    expect(queue.retryCount).toBe(0);
    expect(sized).toBeLessThan(101_000); // each record sized about once (a scan per batch: 10 million)
  });

  it('forms the same batches as a plain scan of its rules, whatever comes back for a retry and when (a random run, seeded)', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const small = { limits: { maxBatchRecords: 7, maxBatchBytes: 100, maxRecordBytes: 100 }, recordBytes: (r: OutRecord) => r.data?.length ?? 0 };
    const queue = new SendQueue(small);
    const model = new ScanQueue(small);
    let now = 0;
    let seq = 0;
    const inFlight: Pending[][] = [];
    let compared = 0;
    for (let step = 0; step < 10_000; step++) {
      const roll = random();
      if (roll < 0.3) {
        const p = pending(++seq, random() < 0.05 ? 60 : 1 + Math.floor(random() * 20), `k${Math.floor(random() * 12)}`);
        queue.addFresh(p);
        model.addFresh(p);
      } else if (roll < 0.6) {
        const cap = random() < 0.2 ? Math.floor(random() * 3) : Number.POSITIVE_INFINITY;
        const a = queue.nextBatch(now, cap);
        const b = model.nextBatch(now, cap);
        expect(a.map((p) => p.record.seq)).toEqual(b.map((p) => p.record.seq));
        if (a.length > 0) {
          queue.markInFlight(a);
          model.markInFlight(b);
          inFlight.push(a);
          compared++;
        }
      } else if (roll < 0.85 && inFlight.length > 0) {
        const [batch] = inFlight.splice(Math.floor(random() * inFlight.length), 1);
        queue.clearInFlight(batch!);
        model.clearInFlight(batch!);
        const failed = batch!.filter(() => random() < 0.4);
        for (const p of failed) p.notBefore = now + Math.floor(random() * 50);
        queue.addRetries(failed);
        model.addRetries(failed);
      } else {
        now += Math.floor(random() * 20);
      }
      expect([queue.retryCount, queue.freshCount]).toEqual([model.retryCount, model.freshCount]);
      if (inFlight.length === 0) {
        const [a, b] = [queue.nextRetryAt(), model.nextRetryAt()];
        if (b === undefined || b > now) expect(a).toBe(b);
        else expect(a).toBeLessThanOrEqual(now); // due already
      }
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it('a long run’s waits leave no abort listeners behind on its signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(0, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const pendingSleep = sleep(60_000, controller.signal);
    controller.abort();
    await pendingSleep; // resolves at once when the run is cancelled
  });
});

/**
 * The queue's rules as a plain scan of every waiting record per batch (the send loop's queue before it
 * kept heaps): due retries oldest first, a key's oldest waiting record with the due ones behind it,
 * never a key on the wire, until one does not fit; then fresh records whose key nothing holds back
 * (a key on the wire, with a retry left waiting, or whose earlier fresh record did not fit).
 */
class ScanQueue {
  private fresh: Pending[] = [];
  private retries: Pending[] = [];
  private readonly busy = new Map<string, number>();

  constructor(private readonly publisher: { limits: typeof limits; recordBytes(r: OutRecord): number }) {}

  get freshCount(): number {
    return this.fresh.length;
  }

  get retryCount(): number {
    return this.retries.length;
  }

  addFresh(p: Pending): void {
    this.fresh.push(p);
  }

  addRetries(list: Pending[]): void {
    this.retries = [...this.retries, ...list].sort((a, b) => a.record.seq - b.record.seq);
  }

  markInFlight(batch: Pending[]): void {
    for (const p of batch) this.busy.set(p.record.partitionKey, (this.busy.get(p.record.partitionKey) ?? 0) + 1);
  }

  clearInFlight(batch: Pending[]): void {
    for (const p of batch) {
      const n = this.busy.get(p.record.partitionKey)! - 1;
      if (n > 0) this.busy.set(p.record.partitionKey, n);
      else this.busy.delete(p.record.partitionKey);
    }
  }

  /** The earliest due time of a key's oldest waiting record, its key not on the wire. */
  nextRetryAt(): number | undefined {
    const seen = new Set<string>();
    let at: number | undefined;
    for (const r of this.retries) {
      const key = r.record.partitionKey;
      if (!seen.has(key) && !this.busy.has(key) && (at === undefined || r.notBefore < at)) at = r.notBefore;
      seen.add(key);
    }
    return at;
  }

  nextBatch(now: number, maxRecords = Number.POSITIVE_INFINITY): Pending[] {
    const max = Math.min(this.publisher.limits.maxBatchRecords, maxRecords);
    const batch: Pending[] = [];
    let bytes = 0;
    const fits = (p: Pending) =>
      batch.length < max && (batch.length === 0 || bytes + this.publisher.recordBytes(p.record) <= this.publisher.limits.maxBatchBytes);
    const firsts: Pending[] = [];
    const seen = new Set<string>();
    for (const r of this.retries) {
      const key = r.record.partitionKey;
      if (!seen.has(key) && !this.busy.has(key) && r.notBefore <= now) firsts.push(r);
      seen.add(key);
    }
    retries: for (const r of firsts) {
      if (!fits(r)) break;
      // The key's oldest record, and the ones of its key behind it that are due, while they fit.
      const same = this.retries.filter((q) => q.record.partitionKey === r.record.partitionKey);
      for (const q of same) {
        if (q !== r && q.notBefore > now) break;
        if (q !== r && !fits(q)) break retries;
        batch.push(q);
        bytes += this.publisher.recordBytes(q.record);
      }
    }
    this.retries = this.retries.filter((r) => !batch.includes(r));
    const held = new Set([...this.busy.keys(), ...this.retries.map((r) => r.record.partitionKey)]);
    const keep: Pending[] = [];
    for (const p of this.fresh) {
      const key = p.record.partitionKey;
      if (!held.has(key) && fits(p)) {
        batch.push(p);
        bytes += this.publisher.recordBytes(p.record);
      } else {
        keep.push(p);
        held.add(key);
      }
    }
    this.fresh = keep;
    return batch;
  }
}
