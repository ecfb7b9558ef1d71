import { describe, expect, it } from 'vitest';
import { createFormat } from '../format/format';
import { RunCountsSchema, recordsLeftLine, withRateSoFar, type RunSummary } from './run';

const fmt = createFormat({ locale: 'en-US' });

/** Of 10 to send: 5 acknowledged, 2 failed, 1 skipped (no Firehose route), so 2 left. */
const counts = {
  ...(Object.fromEntries(Object.keys(RunCountsSchema.shape).map((k) => [k, 0])) as RunSummary['counts']),
  read: 10,
  added: 10,
  skippedUnmatched: 1,
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
    expect(recordsLeftLine(run('failed'), fmt)).toBe('2 records not sent before the run stopped; they stay pending for the next run');
    expect(recordsLeftLine(run('cancelled', { toSend: 9 }), fmt)).toBe('1 record not sent before the run was cancelled; it stays pending for the next run');
    expect(recordsLeftLine(run('failed', { toSend: 1_000_000 }), fmt)).toContain('999,992 records not sent');
  });

  it('says nothing of a run still going, a dry run, or one that settled every record', () => {
    expect(recordsLeftLine(run('running'), fmt)).toBeNull();
    expect(recordsLeftLine(run('failed', { dryRun: true }), fmt)).toBeNull();
    expect(recordsLeftLine(run('partial', { toSend: 8 }), fmt)).toBeNull();
  });
});

describe('withRateSoFar', () => {
  const going = {
    ...run('running', { toSend: 1000 }),
    counts: { ...counts, acknowledged: 300, failed: 0, skippedUnmatched: 0 },
    id: 1,
    sync: 's',
    phase: 'sending',
    startedAt: '2026-12-05T10:00:00.000Z',
    finishedAt: null,
    ratePerSecond: 0,
    etaSeconds: null,
    error: null,
  } as RunSummary;

  it("works out a running run's rate and time left from its start (the runs table keeps no rate)", () => {
    expect(withRateSoFar(going, Date.parse('2026-12-05T10:00:10.000Z'))).toMatchObject({ ratePerSecond: 30, etaSeconds: 24 });
  });

  it('leaves an ended run as it is', () => {
    const ended = { ...going, status: 'succeeded' as const, ratePerSecond: 12 };
    expect(withRateSoFar(ended, Date.now())).toBe(ended);
  });
});
