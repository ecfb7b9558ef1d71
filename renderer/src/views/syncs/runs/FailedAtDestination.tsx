import type { RunFailures } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { failureReasonLine } from '../run-format';

/**
 * The records a run's destination failed (in its ledger as failed: refused, or still failing after their
 * retries), the most frequent reasons with an example key, and a button that lists them in the records below.
 * Records a cancel gave up are not among them (`NotTriedAgain`).
 */
export function FailedAtDestination({ failures, onShow }: { failures: RunFailures; onShow: () => void }) {
  const failed = failures.failed - failures.givenUp;
  if (failed === 0) return null;
  return (
    <section aria-label="Failed at the destination">
      <h4>Failed at the destination ({fmt.number(failed)})</h4>
      <p className="muted small">
        The destination refused these records, or they still failed after their retries: they were not delivered, and they stay pending, so the next run sends
        them again.
      </p>
      <ul className="rejects" aria-label="Why the destination failed records">
        {failures.reasons.map((r, i) => (
          <li key={i}>{failureReasonLine(r)}</li>
        ))}
        {failures.moreReasons > 0 && <li className="muted">… and {fmt.count(failures.moreReasons, 'more reason')}</li>}
      </ul>
      <button type="button" className="ghost" onClick={onShow}>
        Show the {fmt.count(failed, 'failed record')}
      </button>
    </section>
  );
}

/**
 * The records a cancelled run gave up: the destination had answered them with an error worth retrying
 * (throttled, unreachable, timed out) and the cancel stopped their retries, so it did not refuse them. In
 * the ledger as failed (the next run, and Retry failed records only, send them); a button lists them.
 */
export function NotTriedAgain({ failures, onShow }: { failures: RunFailures; onShow: () => void }) {
  if (failures.givenUp === 0) return null;
  return (
    <section aria-label="Not tried again">
      <h4>Not tried again: the run was cancelled ({fmt.number(failures.givenUp)})</h4>
      <p className="muted small">
        The destination had answered these records with an error worth retrying (throttled, unreachable, no answer in time), and the run was cancelled before
        they went again: the destination did not refuse them. They were not delivered, and they stay pending, so the next run sends them.
      </p>
      <button type="button" className="ghost" onClick={onShow}>
        Show the {fmt.count(failures.givenUp, 'record')} not tried again
      </button>
    </section>
  );
}
