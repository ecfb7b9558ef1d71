import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/config/run';
import { ZERO_COUNTS } from '../sync/run-store';
import { progressLine } from './sync-command';

const run = (over: Partial<RunSummary>, c: Partial<RunSummary['counts']> = {}): RunSummary => ({
  id: 1,
  sync: 's',
  status: 'running',
  dryRun: false,
  phase: 'sending',
  startedAt: '',
  finishedAt: null,
  counts: { ...ZERO_COUNTS, ...c },
  toSend: 0,
  ratePerSecond: 0,
  etaSeconds: null,
  error: null,
  perShard: null,
  ...over,
});

describe('the CLI progress line', () => {
  it('writes counts as the summary does and the rate as whole records a second', () => {
    expect(progressLine(run({ toSend: 1_000_000, ratePerSecond: 112279.7, etaSeconds: 2 }, { acknowledged: 789_000, failed: 1_000 }))).toBe(
      'sending: 790,000/1,000,000 (79%), 1,000 failed, 112,280 records/s, ETA 2 s',
    );
    expect(progressLine(run({ toSend: 20, ratePerSecond: 0.46 }, { acknowledged: 3 }))).toBe('sending: 3/20 (15%), 0 failed, 0.5 records/s');
    expect(progressLine(run({ phase: 'reading' }, { read: 1_234_567 }))).toBe('reading: 1,234,567 rows');
    expect(progressLine(run({ phase: 'diffing' }, { read: 1_234_567 }))).toBe('diffing 1,234,567 rows');
  });
});
