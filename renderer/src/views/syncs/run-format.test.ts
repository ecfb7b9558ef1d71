import { describe, expect, it } from 'vitest';
import type { DryRunPlan, LedgerEntry, RowReject, RunSummary } from '../../../../shared/config/sync';
import { deliveredLine } from '../../../../shared/config/sync';
import { fmt } from '../../../../shared/format/format';
import {
  agoWords,
  failureReasonLine,
  landedAt,
  statusLabel,
  notSentCount,
  notSentHeading,
  notSentWhy,
  planRejections,
  progressHeadline,
  progressPercent,
  runDuration,
  splitRejects,
} from './run-format';

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
  refused: 0,
  givenUp: 0,
};
const run = (patch: Partial<RunSummary>): RunSummary =>
  ({ id: 7, status: 'running', phase: 'sending', toSend: 200, counts, ...patch }) as unknown as RunSummary;

describe('run-format', () => {
  it("labels a dry run's badge with what a real run would refuse, never as sent", () => {
    expect(statusLabel(run({ status: 'partial', dryRun: false }))).toBe('Partly sent');
    expect(statusLabel(run({ status: 'partial', dryRun: true }))).toBe('Dry run: 12 would be refused');
    expect(statusLabel(run({ status: 'succeeded', dryRun: true }))).toBe('Dry run: none refused');
    expect(statusLabel(run({ status: 'failed', dryRun: true }))).toBe('Dry run failed');
    for (const status of ['running', 'succeeded', 'partial', 'failed', 'cancelled'] as const)
      expect(statusLabel(run({ status, dryRun: true }))).not.toMatch(/sent/i);
  });

  it('says how long ago a dry run was', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(agoWords('2026-01-01T11:59:30Z', now)).toBe('just now');
    expect(agoWords('2026-01-01T11:58:00Z', now)).toBe('2 min ago');
    expect(agoWords('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(agoWords('2025-12-31T12:00:00Z', now)).toBe('1 day ago');
  });

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
    // A source that says nothing while it is read: the headline says so, as the CLI's line does.
    const silent = { server: 'PostgreSQL server db.example:5432', seconds: 12 };
    expect(progressHeadline(run({ phase: 'reading', counts: { ...counts, read: 2000 }, sourceSilent: silent }))).toBe(
      'reading the model… 2,000 rows — PostgreSQL server db.example:5432 not answering for 12 s',
    );
    expect(progressHeadline(run({ phase: 'reading', sourceSilent: null }))).not.toContain('answering');
    expect(progressHeadline(run({ phase: 'diffing' }))).toMatch(/^comparing .* with what was delivered…$/);
    expect(progressHeadline(run({}))).toBe('sending: 40/200 delivered (20%), 10 failed');
    expect(progressPercent(run({}))).toEqual({ delivered: 20, failed: 5 });
    expect(progressPercent(run({ toSend: 10 }))).toEqual({ delivered: 100, failed: 0 });
    expect(progressPercent(run({ toSend: 0 }))).toBeNull();
    expect(progressPercent(run({ phase: 'reading' }))).toBeNull();
    expect(progressPercent(run({ dryRun: true, counts: { ...counts, rendered: 100 } }))).toEqual({ delivered: 50, failed: 5 });
  });

  it('says records delivered, not sends, and records being retried while the broker is down, in the words of the CLI progress line', () => {
    // 10,000 sends (retries counted again) of 3,000 records, 1,200 of them delivered.
    const down = run({
      toSend: 3_000,
      counts: { ...counts, acknowledged: 1_200, failed: 0, sent: 10_000 },
      retrying: { records: 1_800, stalled: { unreachable: true, server: 'broker', code: 'KafkaJSConnectionError', seconds: 12 } },
    });
    // The same words as main/cli/progress-line.test.ts for this run.
    expect(progressHeadline(down)).toBe('sending: 1,200/3,000 delivered (40%), 0 failed, 1,800 retrying — broker unreachable for 12 s');
    expect(progressHeadline(down)).not.toContain('10,000');
    expect(progressPercent(down)).toEqual({ delivered: 40, failed: 0 });
  });

  it('says records a cancel stopped the retries of apart from those the destination failed', () => {
    const cancelling = run({ toSend: 1_500, counts: { ...counts, acknowledged: 300, failed: 1_203, refused: 1, givenUp: 1_200 } });
    // The same words as main/cli/progress-line.test.ts for this run.
    expect(progressHeadline(cancelling)).toBe('sending: 300/1,500 delivered (20%), 2 failed, 1 refused before sending, 1,200 not tried again (cancelled)');
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
    expect(notSentCount(run({}), notSent, null)).toBe(3);
    // A real run counts the records refused before sending from its ledger (every one; the list stops at 1,000).
    expect(notSentCount(run({}), notSent, { rejected: 1_500 })).toBe(1_502);
    // A dry run writes no ledger: its counts hold every record it refused (10 failed) besides the rows refused for their keys (2).
    expect(notSentCount(run({ dryRun: true }), notSent, { rejected: 0 })).toBe(12);
  });

  it('heads the rows not sent with their real total and how many are listed, and says why in the words of their reasons', () => {
    const listed = Array.from({ length: 200 }, (_, i) => ({ reason: i % 2 ? 'render-error' : 'no-partition-key', detail: `row ${i}` })) as RowReject[];
    const dry = run({ dryRun: true, counts: { ...counts, failed: 3_000, rejectedRows: 0 } });
    expect(notSentHeading(dry, listed, null)).toBe('Rows not sent: refused before sending (3,000, the first 200 listed)');
    expect(notSentHeading(dry, listed.slice(0, 3), null)).toBe('Rows not sent: refused before sending (3,000, the first 3 listed)');
    expect(notSentHeading(run({ dryRun: true, counts: { ...counts, failed: 3, rejectedRows: 0 } }), listed.slice(0, 3), null)).toBe(
      'Rows not sent: refused before sending (3)',
    );
    expect(notSentWhy(listed)).toBe('their record could not be made (a template error, no partition key: it is null or empty)');
    expect(notSentWhy([{ reason: 'too-large' }, { reason: 'duplicate-key' }] as RowReject[])).toBe(
      'their record could not be made (too large) or their key is missing or repeated',
    );
  });

  it('says what did not arrive apart: records the destination failed, with their reasons, and records refused before sending', () => {
    const failures = {
      failed: 3,
      givenUp: 0,
      rejected: 1,
      reasons: [
        { status: 'failed' as const, errorCode: 'MESSAGE_TOO_LARGE', errorMessage: 'the broker refuses this record as too large', count: 3, exampleKey: '100' },
      ],
      moreReasons: 0,
    };
    const ended = run({ status: 'partial', toSend: 301, counts: { ...counts, acknowledged: 297, failed: 4 } });
    expect(deliveredLine(ended, failures, fmt)).toBe('delivered 297 of 301; 3 failed at the destination; 1 refused before sending');
    expect(deliveredLine(ended, { failed: 0, givenUp: 0, rejected: 0 }, fmt)).toBe('delivered 297 of 301');
    // A cancelled run's records the cancel gave up are not the destination's failures.
    const cancelled = run({ status: 'cancelled', toSend: 1_500, counts: { ...counts, acknowledged: 300, failed: 1_202, givenUp: 1_200 } });
    expect(deliveredLine(cancelled, { failed: 1_202, givenUp: 1_200, rejected: 0 }, fmt)).toBe(
      'delivered 300 of 1,500; 2 failed at the destination; 1,200 not tried again (the run was cancelled)',
    );
    expect(deliveredLine(cancelled, { failed: 1_200, givenUp: 1_200, rejected: 0 }, fmt)).toBe(
      'delivered 300 of 1,500; 1,200 not tried again (the run was cancelled)',
    );
    // Nothing to send: said so (it read "delivered 0 of 0"), and why when no row changed.
    const none = { failed: 0, givenUp: 0, rejected: 0 };
    const zero = { ...counts, read: 5, added: 0, changed: 0, removed: 0, unchanged: 5, acknowledged: 0, failed: 0, skippedByTrigger: 0, rejectedRows: 0 };
    expect(deliveredLine(run({ status: 'succeeded', toSend: 0, counts: zero }), none, fmt)).toBe('nothing to send: every row is as last delivered');
    expect(deliveredLine(run({ status: 'succeeded', toSend: 0, counts: { ...zero, added: 5, skippedByTrigger: 5 } }), none, fmt)).toBe('nothing to send');
    expect(deliveredLine(run({ status: 'failed', toSend: 0, counts: zero }), none, fmt)).toBe('nothing was sent');
    // A model with no rows (a CSV file with its header alone): it said "every row is as last delivered", on a first run too.
    const empty = { ...zero, read: 0, unchanged: 0 };
    expect(deliveredLine(run({ status: 'succeeded', toSend: 0, counts: empty }), none, fmt)).toBe('nothing to send: the model has no rows');
    expect(failureReasonLine(failures.reasons[0]!)).toBe('3 × MESSAGE_TOO_LARGE: the broker refuses this record as too large (e.g. key 100)');
    expect(failureReasonLine({ ...failures.reasons[0]!, errorCode: null, errorMessage: null, count: 1_200 })).toBe(
      '1,200 × (no reason recorded) (e.g. key 100)',
    );
    // Sluice's own codes are its class names: a person reads the reason's sentence alone.
    const own = (errorCode: string, errorMessage: string) => failureReasonLine({ status: 'rejected', errorCode, errorMessage, count: 2, exampleKey: '7' });
    expect(own('RenderError', 'The template output is not valid JSON: unexpected "x" at line 1, column 1')).toBe(
      '2 × The template output is not valid JSON: unexpected "x" at line 1, column 1 (e.g. key 7)',
    );
    expect(own('RenderError', 'the topic is empty')).toBe('2 × The topic is empty (e.g. key 7)');
    expect(own('RecordTooLarge', 'The record (its data) is 1.1 MiB; the destination takes at most 1 MiB')).toBe(
      '2 × The record (its data) is 1.1 MiB; the destination takes at most 1 MiB (e.g. key 7)',
    );
    // An empty key is said so (it read "(e.g. key )").
    expect(failureReasonLine({ ...failures.reasons[0]!, errorCode: 'RenderError', errorMessage: 'the partition key is empty', exampleKey: '' })).toBe(
      '3 × The partition key is empty (e.g. an empty key)',
    );
  });

  it("lists a dry run's rejections per reason", () => {
    const plan = { rejected: { total: 4, perReason: { 'too-large': 3, 'null-key': 1 }, first: [] } } as unknown as DryRunPlan;
    expect(planRejections(plan)).toBe('3 too large, 1 null primary key');
  });
});
