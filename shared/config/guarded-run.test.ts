import { describe, expect, it } from 'vitest';
import { createFormat } from '../format/format';
import { removedCount, wouldRemove } from './guarded-run';
import { massRemovalStop, RunCountsSchema, type RunSummary } from './run';

const fmt = createFormat({ locale: 'en-US' });
const counts = {
  ...(Object.fromEntries(Object.keys(RunCountsSchema.shape).map((k) => [k, 0])) as RunSummary['counts']),
  read: 3,
  removed: 1_700,
  unchanged: 3,
};
const stopped = { status: 'failed' as const, dryRun: false, error: massRemovalStop(1_700, 1_703), counts };

describe('a run the mass-removal guard stopped', () => {
  it('removed nothing: its count is 0, and the removals it stopped are its reason', () => {
    expect(wouldRemove(stopped)).toBe(1_700);
    expect(removedCount(stopped, fmt.number)).toBe('0 (stopped: would remove 1,700)');
  });

  it('any other run shows the removals it found: sent, failed for another reason, or a dry run that only warned', () => {
    expect(removedCount({ ...stopped, status: 'succeeded', error: null }, fmt.number)).toBe('1,700');
    expect(removedCount({ ...stopped, error: 'Kinesis unreachable' }, fmt.number)).toBe('1,700');
    expect(wouldRemove({ ...stopped, dryRun: true, status: 'succeeded' })).toBeNull();
  });
});
