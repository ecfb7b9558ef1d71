import { describe, expect, it } from 'vitest';
import { recordsLeftLine, type RunSummary } from './run';

const counts = {
  read: 10,
  added: 10,
  changed: 0,
  removed: 0,
  unchanged: 0,
  skippedByTrigger: 0,
  skippedUnmatched: 1,
  rejectedRows: 0,
  rendered: 10,
  sent: 6,
  acknowledged: 5,
  failed: 2,
};
const run = (status: RunSummary['status'], over: Partial<Pick<RunSummary, 'dryRun' | 'toSend'>> = {}) => ({
  status,
  dryRun: false,
  toSend: 10,
  counts,
  ...over,
});

describe('the records a run left pending', () => {
  it('counts those neither answered, refused nor skipped, in words that say they go next time', () => {
    expect(recordsLeftLine(run('failed'))).toBe('2 records not sent before the run stopped; they stay pending for the next run');
    expect(recordsLeftLine(run('cancelled', { toSend: 9 }))).toBe('1 record not sent before the run was cancelled; it stays pending for the next run');
    expect(recordsLeftLine(run('failed', { toSend: 1_000_000 }))).toContain('999,992 records not sent');
  });

  it('says nothing of a run still going, a dry run, or one that settled every record', () => {
    expect(recordsLeftLine(run('running'))).toBeNull();
    expect(recordsLeftLine(run('failed', { dryRun: true }))).toBeNull();
    expect(recordsLeftLine(run('partial', { toSend: 8 }))).toBeNull();
  });
});
