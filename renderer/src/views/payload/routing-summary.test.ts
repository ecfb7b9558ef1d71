import { describe, expect, it } from 'vitest';
import { routingSummary } from './routing-summary';

const sample = { rows: 2000, modelRows: 3000, buckets: [], errors: 0, roundRobin: 0, skipped: 0 };

describe("the routing preview's summary line", () => {
  it('lists the sample and the topology', () => {
    expect(routingSummary({ sample, topology: [{ id: 'orders', detail: '4 partitions' }] })).toBe('2,000 of 3,000 rows sampled · orders: 4 partitions');
  });

  it('leaves out a topology it could not read when every row is rejected: no empty part between the dots', () => {
    expect(routingSummary({ sample: { ...sample, errors: 2000 }, topology: [] })).toBe(
      '2,000 of 3,000 rows sampled · 2,000 rows would be rejected (a template error, no route, or a topic or partition the destination lacks)',
    );
  });

  it('adds skipped and round-robin records', () => {
    expect(routingSummary({ sample: { ...sample, skipped: 1, roundRobin: 3 }, topology: [{ id: 's', detail: 'd' }] })).toBe(
      '2,000 of 3,000 rows sampled · s: d · 1 row matches no route and would be skipped · 3 keyless records spread round-robin',
    );
  });
});
