import { describe, expect, it } from 'vitest';
import type { DryRunPlan, LedgerEntry, RowReject, RunSummary } from '../../../../shared/config/sync';
import { landedAt, notSentCount, planRejections, progressHeadline, progressPercent, runDuration, splitRejects } from './run-format';

const counts = {
  read: 1200,
  added: 0,
  changed: 0,
  removed: 0,
  unchanged: 0,
  rendered: 0,
  sent: 0,
  acknowledged: 40,
  failed: 10,
  rejectedRows: 2,
  skippedByTrigger: 0,
  skippedUnmatched: 0,
};
const run = (patch: Partial<RunSummary>): RunSummary =>
  ({ id: 7, status: 'running', phase: 'sending', toSend: 200, counts, ...patch }) as unknown as RunSummary;

describe('run-format', () => {
  it('writes how long a run took, or has taken so far', () => {
    const started = run({ startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null });
    expect(runDuration(started, Date.parse('2026-01-01T00:00:02.000Z'))).toBe(runDuration(run({ ...started, finishedAt: '2026-01-01T00:00:02.000Z' }), 0));
  });

  it('says where a record landed, by what the destination answered', () => {
    const entry = (patch: Partial<LedgerEntry>) =>
      ({ shardId: null, sequenceNumber: null, recordId: null, topic: null, partition: null, offset: null, ...patch }) as LedgerEntry;
    expect(landedAt(entry({ shardId: 'shardId-000', sequenceNumber: '42' }))).toBe('shardId-000 · 42');
    expect(landedAt(entry({ recordId: 'abc' }))).toBe('abc');
    expect(landedAt(entry({ topic: 'orders', partition: 3, offset: '9' }))).toBe('orders-3@9');
    expect(landedAt(entry({ topic: 'orders' }))).toBe('orders-?@?');
    expect(landedAt(entry({}))).toBe('');
  });

  it('heads the progress card by phase, with a percentage only while sending', () => {
    expect(progressHeadline(run({ phase: 'reading' }))).toMatch(/^reading the model… /);
    expect(progressHeadline(run({ phase: 'diffing' }))).toMatch(/^comparing .* with what was delivered…$/);
    expect(progressHeadline(run({}))).toMatch(/^sending 50 of 200$/);
    expect(progressPercent(run({}))).toBe(25);
    expect(progressPercent(run({ toSend: 10 }))).toBe(100);
    expect(progressPercent(run({ toSend: 0 }))).toBeNull();
    expect(progressPercent(run({ phase: 'reading' }))).toBeNull();
  });

  it('splits rejects into not sent and skipped, and counts key problems apart from rejected rows', () => {
    const rejects = [
      { reason: 'too-large', detail: 'a' },
      { reason: 'unmatched', detail: 'b' },
      { reason: 'null-key', detail: 'c' },
    ] as RowReject[];
    const { notSent, skipped } = splitRejects(rejects);
    expect(notSent.map((r) => r.detail)).toEqual(['a', 'c']);
    expect(skipped.map((r) => r.detail)).toEqual(['b']);
    expect(notSentCount(run({}), notSent)).toBe(3);
  });

  it("lists a dry run's rejections per reason", () => {
    const plan = { rejected: { total: 4, perReason: { 'too-large': 3, 'null-key': 1 }, first: [] } } as unknown as DryRunPlan;
    expect(planRejections(plan)).toBe('3 too large, 1 null primary key');
  });
});
