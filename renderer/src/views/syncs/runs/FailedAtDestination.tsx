import type { RunFailures } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { failureReasonLine } from '../run-format';

/**
 * The records a run's destination failed (in its ledger as failed: refused, or still failing after their
 * retries), the most frequent reasons with an example key, and a button that lists them in the records below.
 */
export function FailedAtDestination({ failures, onShow }: { failures: RunFailures; onShow: () => void }) {
  if (failures.failed === 0) return null;
  return (
    <section aria-label="Failed at the destination">
      <h4>Failed at the destination ({fmt.number(failures.failed)})</h4>
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
        Show the {fmt.count(failures.failed, 'failed record')}
      </button>
    </section>
  );
}
