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
  const record: OutRecord = { seq, key: String(seq), event: 'added', data: Buffer.alloc(bytes), partitionKey: key };
  return { record, item: { seq, key: String(seq), event: 'added', row: '{}', previous: null, rowNumber: seq }, attempts: 1, firstAttemptAt: '', notBefore };
}

describe('fault suite: the send queue', () => {
  it('holds 300,000 records waiting for a retry: the next wake-up and batches come without a RangeError, oldest first', () => {
    const queue = new SendQueue(publisher);
    const now = 1_000_000;
    // Batches of 500 come back failed in the worst order (latest first); due times spread over a minute.
    for (let b = 599; b >= 0; b--) queue.addRetries(Array.from({ length: 500 }, (_, i) => pending(b * 500 + 500 - i, 10, `k${b * 500 + 500 - i}`, now + ((b * 500 + 500 - i) % 60_000))));
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

  it('a long run’s waits leave no abort listeners behind on its signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(0, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const pendingSleep = sleep(60_000, controller.signal);
    controller.abort();
    await pendingSleep; // resolves at once when the run is cancelled
  });
});
