import { describe, expect, it } from 'vitest';
import { ALERT_BODY_MAX, runAlert } from './run-alert';
import type { RunSummary } from './sync';

function run(over: Partial<Omit<RunSummary, 'counts'>> & { counts?: Partial<RunSummary['counts']> } = {}): RunSummary {
  const { counts, ...rest } = over;
  return {
    id: 7,
    sync: 'orders-to-kafka',
    status: 'partial',
    dryRun: false,
    phase: 'done',
    startedAt: '2026-12-04T04:00:00.000Z',
    finishedAt: '2026-12-04T04:00:05.000Z',
    counts: {
      read: 10,
      added: 10,
      changed: 0,
      removed: 0,
      unchanged: 0,
      skippedByTrigger: 0,
      skippedUnmatched: 0,
      refused: 0,
      givenUp: 0,
      rejectedRows: 0,
      rendered: 10,
      sent: 10,
      acknowledged: 7,
      failed: 3,
      ...counts,
    },
    toSend: 10,
    ratePerSecond: 2,
    etaSeconds: null,
    error: null,
    perShard: null,
    topReason: { message: 'RecordTooLarge: The record is 1.2 MiB; the destination takes at most 1 MiB', count: 3 },
    ...rest,
  };
}

describe('runAlert', () => {
  it('alerts a partial run, naming the sync, the tally and the top reason', () => {
    expect(runAlert(run())).toEqual({
      title: 'Sluice: "orders-to-kafka" sent only part of its records',
      body: 'Sent 7 of 10; 3 not sent. RecordTooLarge: The record is 1.2 MiB; the destination takes at most 1 MiB (3 records)',
      tag: 'sluice-run-7',
    });
  });

  it('alerts a failed run with its fatal error before the ledger reason', () => {
    const alert = runAlert(
      run({ status: 'failed', error: 'Could not reach the brokers localhost:1 (ECONNREFUSED)', counts: { acknowledged: 0, failed: 0 }, topReason: null }),
    );
    expect(alert?.title).toBe('Sluice: "orders-to-kafka" failed');
    expect(alert?.body).toBe('Sent 0 of 10. Could not reach the brokers localhost:1 (ECONNREFUSED)');
  });

  it('says where to look when no reason is known', () => {
    expect(runAlert(run({ topReason: undefined }))?.body).toBe('Sent 7 of 10; 3 not sent. Open the run in Sluice to see why.');
  });

  it('counts rows refused for their keys as not sent, and a single record without "(1 records)"', () => {
    const alert = runAlert(
      run({ counts: { failed: 0, rejectedRows: 1, acknowledged: 9 }, topReason: { message: 'Row 4: the primary key is null', count: 1 } }),
    );
    expect(alert?.body).toBe('Sent 9 of 10; 1 not sent. Row 4: the primary key is null');
  });

  it.each([
    ['a success', run({ status: 'succeeded', topReason: null, counts: { failed: 0, acknowledged: 10 } })],
    ['a dry run that could not render records', run({ dryRun: true })],
    ['a dry run that failed', run({ dryRun: true, status: 'failed', error: 'boom' })],
    ['a run the user cancelled', run({ status: 'cancelled' })],
    ['a run still going', run({ status: 'running', phase: 'sending', finishedAt: null })],
  ])('stays quiet for %s', (_what, summary) => {
    expect(runAlert(summary)).toBeNull();
  });

  it('stays quiet when alerts are turned off', () => {
    expect(runAlert(run({ status: 'failed', error: 'boom' }), false)).toBeNull();
  });

  it('keeps a long error to one short paragraph', () => {
    const alert = runAlert(run({ status: 'failed', error: `line one\n${'x'.repeat(2000)}` }));
    expect(alert!.body.length).toBeLessThanOrEqual(ALERT_BODY_MAX);
    expect(alert!.body.length).toBeGreaterThan(ALERT_BODY_MAX - 10);
    expect(alert!.body).not.toContain('\n');
    expect(alert!.body.endsWith('…')).toBe(true);
  });
});
