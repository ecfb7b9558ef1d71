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
      'sending: 789,000/1,000,000 delivered (78%), 1,000 failed, 112,280 records/s, ETA 2 s',
    );
    expect(progressLine(run({ toSend: 20, ratePerSecond: 0.46 }, { acknowledged: 3 }))).toBe('sending: 3/20 delivered (15%), 0 failed, 0.5 records/s');
    // Records refused before sending (a template error, too large) are said apart from those the destination failed.
    expect(progressLine(run({ toSend: 20 }, { acknowledged: 3, failed: 5, refused: 2 }))).toBe(
      'sending: 3/20 delivered (15%), 3 failed, 2 refused before sending, 0 records/s',
    );
    // And records a cancel stopped the retries of: the destination did not fail them.
    expect(progressLine(run({ toSend: 1_500 }, { acknowledged: 300, failed: 1_203, refused: 1, givenUp: 1_200 }))).toBe(
      'sending: 300/1,500 delivered (20%), 2 failed, 1 refused before sending, 1,200 not tried again (cancelled), 0 records/s',
    );
    expect(progressLine(run({ phase: 'reading' }, { read: 1_234_567 }))).toBe('reading: 1,234,567 rows');
    expect(progressLine(run({ phase: 'diffing' }, { read: 1_234_567 }))).toBe('diffing 1,234,567 rows');
  });

  it('says while reading that the source is not answering, in the words of a hung broker', () => {
    const sourceSilent = { server: 'PostgreSQL server db.example:5432', seconds: 12 };
    expect(progressLine(run({ phase: 'reading', sourceSilent }, { read: 4_000 }))).toBe(
      'reading: 4,000 rows — PostgreSQL server db.example:5432 not answering for 12 s',
    );
    expect(progressLine(run({ phase: 'reading', sourceSilent: { ...sourceSilent, seconds: 125 } }))).toBe(
      'reading: 0 rows — PostgreSQL server db.example:5432 not answering for 2 min 5 s',
    );
    // Only while reading (a summary left over from the read says nothing of it).
    expect(progressLine(run({ phase: 'diffing', sourceSilent }, { read: 4_000 }))).toBe('diffing 4,000 rows');
  });

  it('counts records delivered, never sends: retries are said apart, and a destination that settles nothing replaces the rate and time left', () => {
    // 10,000 sends of 3,000 records (every retry counted again): the line still says what was delivered.
    const retrying = { records: 1_800, stalled: null };
    expect(progressLine(run({ toSend: 3_000, ratePerSecond: 800, etaSeconds: 4, retrying }, { acknowledged: 1_200, sent: 10_000 }))).toBe(
      'sending: 1,200/3,000 delivered (40%), 0 failed, 1,800 retrying, 800 records/s, ETA 4 s',
    );
    const down = { records: 1_800, stalled: { unreachable: true, server: 'broker', code: 'KafkaJSConnectionError', seconds: 12 } };
    expect(progressLine(run({ toSend: 3_000, ratePerSecond: 600, etaSeconds: null, retrying: down }, { acknowledged: 1_200, sent: 10_000 }))).toBe(
      'sending: 1,200/3,000 delivered (40%), 0 failed, 1,800 retrying — broker unreachable for 12 s',
    );
    const refusing = { records: 5, stalled: { unreachable: false, server: 'broker', code: 'NOT_LEADER_OR_FOLLOWER', seconds: 3 } };
    expect(progressLine(run({ toSend: 10, retrying: refusing }, { acknowledged: 4, failed: 1 }))).toBe(
      'sending: 4/10 delivered (40%), 1 failed, 5 retrying — broker answering NOT_LEADER_OR_FOLLOWER for 3 s',
    );
    expect(progressLine(run({ toSend: 10, dryRun: true }, { rendered: 7, failed: 1 }))).toBe('sending: 7/10 rendered (70%), 1 could not be sent, 0 records/s');
  });
});
