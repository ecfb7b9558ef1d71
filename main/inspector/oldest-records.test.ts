import { describe, expect, it } from 'vitest';
import { OldestRecords } from './oldest-records';

describe('OldestRecords', () => {
  it('keeps only the limit oldest of what several readers offer, oldest first, and refuses what is newer once full', () => {
    const oldest = new OldestRecords<number>(3, (a, b) => a - b);
    // Two "shards", each oldest first, interleaved as their pages arrive.
    expect([5, 7].map((n) => oldest.offer(n))).toEqual([true, true]);
    expect([1, 2].map((n) => oldest.offer(n))).toEqual([true, true]);
    expect(oldest.records()).toEqual([1, 2, 5]);
    expect(oldest.full).toBe(true);
    expect(oldest.offer(9)).toBe(false);
    expect(oldest.offer(3)).toBe(true);
    expect(oldest.records()).toEqual([1, 2, 3]);
  });
});
