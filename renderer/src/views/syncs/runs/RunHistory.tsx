import { recordsLeft, wouldRemove, wouldRemoveWords, type RunSummary } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { TableScroll } from '../../../components/TableScroll';
import { Time } from '../../../components/Time';
import { runDuration } from '../run-format';
import { StatusBadge } from '../StatusBadge';

/** A sync's runs, newest first; a click (or the run's button) opens one. */
export function RunHistory({ runs, openRun, onOpen }: { runs: readonly RunSummary[]; openRun: number | null; onOpen: (runId: number) => void }) {
  if (runs.length === 0) return <p className="muted">This sync has not run yet.</p>;
  return (
    <TableScroll label="Run history">
      <table className="table" aria-label="Run history">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            <th>Started</th>
            <th>Duration</th>
            <th className="num">Added</th>
            <th className="num">Changed</th>
            <th className="num">Removed</th>
            <th className="num">Sent</th>
            <th className="num">Failed</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className={`clickable ${openRun === r.id ? 'selected' : ''}`} onClick={() => onOpen(r.id)}>
              <td className="nowrap">
                {/* The row opens on a click; the button makes it a keyboard stop too. */}
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={openRun === r.id}
                  aria-label={`Run ${r.id}: show its records`}
                  onClick={() => onOpen(r.id)}
                >
                  #{r.id}
                </button>
                {r.dryRun && <span className="muted"> dry run</span>}
              </td>
              <td>
                <StatusBadge run={r} />
              </td>
              <td>
                <Time iso={r.startedAt} />
              </td>
              <td>{runDuration(r)}</td>
              <td className="num">{fmt.number(r.counts.added)}</td>
              <td className="num">{fmt.number(r.counts.changed)}</td>
              <td className="num">
                <RemovedCell run={r} />
              </td>
              <td className="num">
                {r.dryRun ? `(${fmt.number(r.counts.rendered)})` : fmt.number(r.counts.acknowledged)}
                {recordsLeft(r) > 0 && <span className="muted small"> +{fmt.number(recordsLeft(r))} pending</span>}
              </td>
              <td className="num">
                {fmt.number(r.counts.failed - r.counts.givenUp)}
                {/* Records a cancel gave up: the destination did not fail them. */}
                {r.counts.givenUp > 0 && (
                  <span className="muted small" title="Not tried again: the run was cancelled (the destination did not refuse them)">
                    {' '}
                    +{fmt.number(r.counts.givenUp)} cancelled
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A run's removals; a run the mass-removal guard stopped removed none, and says how many it would have. */
function RemovedCell({ run }: { run: RunSummary }) {
  const would = wouldRemove(run);
  if (would === null) return <>{fmt.number(run.counts.removed)}</>;
  return (
    <>
      0<span className="muted small"> ({wouldRemoveWords(would, fmt.number)})</span>
    </>
  );
}
