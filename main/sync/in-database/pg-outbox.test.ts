import { describe, expect, it } from 'vitest';
import { freshOutbox } from '../../testing/pg-outbox';
import type { PgOutbox } from './pg-outbox';
import { closeAfterEach } from '../../testing/lifecycle';

// The outbox's batches as two connections take them side by side (pg-write-back.ts), on a real
// workspace database.

const cleanups = closeAfterEach();

function outboxOf(entries: number): PgOutbox {
  const { outbox, cleanup } = freshOutbox();
  cleanups.push(cleanup);
  for (let i = 1; i <= entries; i++) put(outbox, i);
  return outbox;
}

const put = (outbox: PgOutbox, i: number) => outbox.put({ key: String(i), event: 'changed', row: `{"id":${i}}`, pg: { key: String(i), fp: String(i) } });
const keysOf = (batch: { upserts: string } | null) => (batch ? (JSON.parse(batch.upserts) as { pk: string }[]).map((e) => e.pk) : null);

describe('the outbox taken by two writers', () => {
  it('gives each batch out its own entries; a batch done before an earlier one forgets only its own', () => {
    const outbox = outboxOf(5);
    const first = outbox.nextBatch(2)!;
    const second = outbox.nextBatch(2)!;
    expect([keysOf(first), keysOf(second)]).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(outbox.holds(1)).toBe(true);
    expect(outbox.holds(2)).toBe(false); // (only entry 5 is not taken)
    outbox.done(second);
    expect(outbox.pending()).toBe(3);
    expect(keysOf(outbox.nextBatch(2))).toEqual(['5']);
    expect(outbox.nextBatch(2)).toBeNull();
  });

  it('a batch given back is taken again, whole, before new entries and never with entries of a batch still out', () => {
    const outbox = outboxOf(6);
    const first = outbox.nextBatch(2)!;
    const second = outbox.nextBatch(2)!;
    outbox.giveBack(first);
    expect(outbox.holds(4)).toBe(true); // (1, 2 given back; 5, 6 never taken)
    expect(outbox.holds(5)).toBe(false);
    const again = outbox.nextBatch(5)!;
    expect(keysOf(again)).toEqual(['1', '2']);
    expect(keysOf(outbox.nextBatch(5))).toEqual(['5', '6']);
    outbox.done(again);
    outbox.done(second);
    expect(outbox.pending()).toBe(2);
  });

  it('the batch given back last, and every entry left, are taken again once no batch is out', () => {
    const outbox = outboxOf(5);
    const first = outbox.nextBatch(2)!;
    const second = outbox.nextBatch(2)!;
    outbox.giveBack(second);
    outbox.giveBack(first);
    expect(keysOf(outbox.nextBatch(10))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('an entry put after the table was emptied (SQLite gives it a used id again) is taken once no batch is out', () => {
    const outbox = outboxOf(3);
    outbox.done(outbox.nextBatch(3)!);
    expect(outbox.pending()).toBe(0);
    put(outbox, 9);
    expect(outbox.holds(1)).toBe(true);
    expect(keysOf(outbox.nextBatch(3))).toEqual(['9']);
  });

  it("takes only as many entries as keep a batch's text under its cap, always one, and the rest after", () => {
    const { outbox, cleanup } = freshOutbox();
    cleanups.push(cleanup);
    const big = (i: number) => outbox.put({ key: String(i), event: 'changed', row: `{"t":"${'x'.repeat(990)}"}`, pg: { key: String(i), fp: '1' } });
    for (let i = 1; i <= 5; i++) big(i);
    // Each entry is 1,000 characters of row and 2 of key: two fit under 2,500, a third does not.
    const first = outbox.nextBatch(10, 2500)!;
    expect([keysOf(first), first.entries]).toEqual([['1', '2'], 2]);
    // One entry larger than the cap still goes, alone.
    const second = outbox.nextBatch(10, 100)!;
    expect(keysOf(second)).toEqual(['3']);
    // Given back, a batch is taken again as it was.
    outbox.giveBack(second);
    outbox.done(first);
    expect(keysOf(outbox.nextBatch(10, 100))).toEqual(['3']);
    expect(keysOf(outbox.nextBatch(10))).toEqual(['4', '5']);
  });
});
