// What of a run arrived, in words, and the records a cancelled run gave up: the destination had answered them
// with an error worth retrying (throttled, unreachable, timed out), and the cancel stopped their retries. They
// are in the ledger as failed (so the next run, and "Retry failed records only", send them again), their reason
// ending with NOT_TRIED_AGAIN; a run's counts and its summaries say them apart from the records the destination failed.
import type { Format } from '../format/format';
import type { RunCounts, RunFailures, RunSummary } from './run';

/** The end of a given-up record's reason in the ledger, after the destination's own message. */
export const NOT_TRIED_AGAIN = '(not tried again: the run was cancelled)';

/** The code of a record whose request a cancel gave up before the destination answered it (Kafka's, Kinesis', Firehose's publishers). */
export const CANCEL_ABORTED = 'AbortError';

/** Whether a failed record's reason says the cancel stopped its retries (not the destination). */
export function givenUpByCancel(message: string | null): boolean {
  return message?.endsWith(NOT_TRIED_AGAIN) ?? false;
}

/** A given-up record's reason without NOT_TRIED_AGAIN (the destination's answer), else the reason as it is. */
export function withoutCancelNote(message: string | null): string | null {
  return message !== null && givenUpByCancel(message) ? message.slice(0, -NOT_TRIED_AGAIN.length).trimEnd() : message;
}

/** Of a run's failed records, those the destination failed: not refused before sending, nor given up by a cancel. */
export function failedAtDestination(c: Pick<RunCounts, 'failed' | 'refused' | 'givenUp'>): number {
  return c.failed - c.refused - c.givenUp;
}

/** How much of a run arrived, as the CLI's run report and the app's run page both say it: "delivered 297 of 301; 3 failed at the destination; 1 refused before sending". */
export function deliveredLine(
  run: Pick<RunSummary, 'status' | 'toSend' | 'counts'>,
  failures: Pick<RunFailures, 'failed' | 'givenUp' | 'rejected'>,
  format: Format,
): string {
  const c = run.counts;
  if (run.toSend === 0 && c.acknowledged === 0 && failures.failed === 0 && failures.rejected === 0) {
    // "delivered 0 of 0" said nothing: a run with nothing to send says so, and why when it is that nothing changed.
    if (run.status !== 'succeeded') return 'nothing was sent';
    const unchanged = c.added + c.changed + c.removed + c.skippedByTrigger + c.rejectedRows === 0;
    // No row read, none gone: the model is empty (a first run said "every row is as last delivered", of rows never delivered).
    if (unchanged && c.read === 0 && c.unchanged === 0) return 'nothing to send: the model has no rows';
    return unchanged ? 'nothing to send: every row is as last delivered' : 'nothing to send';
  }
  const parts = [`delivered ${format.number(run.counts.acknowledged)} of ${format.number(run.toSend)}`];
  if (failures.failed > failures.givenUp) parts.push(`${format.number(failures.failed - failures.givenUp)} failed at the destination`);
  if (failures.givenUp > 0) parts.push(`${format.number(failures.givenUp)} not tried again (the run was cancelled)`);
  if (failures.rejected > 0) parts.push(`${format.number(failures.rejected)} refused before sending`);
  return parts.join('; ');
}
