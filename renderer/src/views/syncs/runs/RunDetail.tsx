import { useRef } from 'react';
import {
  deliveredLine,
  MASS_REMOVAL_PREFIX,
  NOT_TRIED_AGAIN,
  recordsLeftLine,
  type DryRunPlan,
  type RowReject,
  type RunFailures,
  type RunSummary,
  wouldRemove,
  wouldRemoveWords,
} from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { useRun } from '../../../api/queries';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { notSentHeading, notSentWhy, splitRejects } from '../run-format';
import { StatusBadge } from '../StatusBadge';
import { DryRunPlanView } from './DryRunPlanView';
import { FailedAtDestination, NotTriedAgain } from './FailedAtDestination';
import { RunRecords, useRunRecords } from './RunRecords';

/** One run opened from the history: its counts, a dry run's plan, the rows not sent or skipped, and its records. */
export function RunDetail({
  runId,
  plan,
  onRetryFailed,
  latest,
  onConfirmRemovals,
}: {
  runId: number;
  plan: DryRunPlan | null;
  onRetryFailed: () => void;
  /** Whether it is the sync's latest real run: only that run's stopped removals may be confirmed (the model may have changed since an older one). */
  latest: boolean;
  /** Starts a run that sends up to this many removals past the limit (more stops it again). */
  onConfirmRemovals: (removals: number) => void;
}) {
  const detail = useRun(runId);
  const { error: recordsError, ...records } = useRunRecords(runId, detail.data?.run.status === 'running');
  const recordsHeading = useRef<HTMLHeadingElement>(null);
  const error = detail.error ?? recordsError;
  if (error) return <ErrorBanner error={error} />;
  if (!detail.data) return null;
  const { run, rejects, failures } = detail.data;
  // The failed records (a cancel's given-up ones among them), or only those a cancel gave up: their reason ends with NOT_TRIED_AGAIN.
  const showFailed = (text = '') => {
    records.setText(text);
    records.setStatus('failed');
    recordsHeading.current?.scrollIntoView({ block: 'start' });
  };
  const retryable = !run.dryRun && run.counts.failed > 0;
  const left = recordsLeftLine(run, fmt);
  return (
    <div className="card" aria-label={`Run ${run.id}`}>
      <div className="row spread">
        <h3>
          Run #{run.id} <StatusBadge run={run} />
        </h3>
        {retryable && (
          <button type="button" onClick={onRetryFailed}>
            Retry failed records only
          </button>
        )}
      </div>
      {run.error && <ErrorBanner error={run.error} />}
      {!run.dryRun && run.status === 'failed' && run.error?.startsWith(MASS_REMOVAL_PREFIX) && (
        <ConfirmRemovals removals={run.counts.removed} latest={latest} onConfirm={onConfirmRemovals} />
      )}
      <ReadLine run={run} />
      {!run.dryRun && run.status !== 'running' && <p data-testid="run-delivered">{sentence(deliveredLine(run, failures, fmt))}.</p>}
      {left && <p className="muted">{left}.</p>}
      {run.dryRun && plan && <DryRunPlanView plan={plan} />}
      {!run.dryRun && <FailedAtDestination failures={failures} onShow={() => showFailed()} />}
      {!run.dryRun && <NotTriedAgain failures={failures} onShow={() => showFailed(NOT_TRIED_AGAIN)} />}
      <RejectedRows run={run} rejects={rejects} failures={failures} />
      <RunRecords {...records} headingRef={recordsHeading} />
    </div>
  );
}

/** What the run read and found; a run the mass-removal guard stopped removed nothing, and says how many it would have. */
function ReadLine({ run }: { run: RunSummary }) {
  const c = run.counts;
  const would = wouldRemove(run);
  return (
    <p className="muted">
      Read {fmt.count(c.read, 'row')}: {fmt.number(c.added)} added, {fmt.number(c.changed)} changed, {fmt.number(would === null ? c.removed : 0)} removed
      {would !== null && ` (${wouldRemoveWords(would, fmt.number)})`}, {fmt.number(c.unchanged)} unchanged
      {c.skippedByTrigger > 0 && `, ${fmt.number(c.skippedByTrigger)} recorded without sending`}.
    </p>
  );
}

/**
 * A run the mass-removal guard stopped: its removals may be sent, as many as it counted, from the sync's
 * latest run only (an older one's count may no longer be what a run would remove; a run that would remove
 * more than was confirmed stops again, saying the new count).
 */
function ConfirmRemovals({ removals, latest, onConfirm }: { removals: number; latest: boolean; onConfirm: (removals: number) => void }) {
  return (
    <div className="row" role="group" aria-label="Confirm the removals">
      {latest ? (
        <>
          <span className="muted">Check the model first: a source that reads empty by mistake would remove these rows downstream.</span>
          <button type="button" className="destructive" onClick={() => onConfirm(removals)}>
            Send the removals ({fmt.number(removals)})
          </button>
        </>
      ) : (
        <span className="muted">
          The sync has run since: these removals can no longer be sent from here. A new run stops again if it would remove too many rows, and says how many.
        </span>
      )}
    </div>
  );
}

/** A line with its first letter a capital. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The rows a run refused before sending anything, and those it skipped (no Firehose route, `unmatched: skip`). */
function RejectedRows({ run, rejects, failures }: { run: RunSummary; rejects: readonly RowReject[]; failures: RunFailures }) {
  const { notSent, skipped } = splitRejects(rejects);
  return (
    <>
      {notSent.length > 0 && (
        <>
          <h4>{notSentHeading(run, notSent, failures)}</h4>
          <p className="muted small">
            {run.dryRun ? 'A real run would not send these' : 'None of these was sent'}: {notSentWhy(notSent)}.
          </p>
          <ul className="rejects" aria-label="Rows not sent">
            {notSent.map((r, i) => (
              <li key={i}>{r.detail}</li>
            ))}
          </ul>
        </>
      )}
      {run.counts.skippedUnmatched > 0 && (
        <>
          <h4>Rows skipped ({fmt.number(run.counts.skippedUnmatched)})</h4>
          <p className="muted small">
            No event → delivery stream row matches their event, so they were not sent (firehose.unmatched: skip). They count as delivered until they change.
          </p>
          <ul className="rejects" aria-label="Rows skipped">
            {skipped.map((r, i) => (
              <li key={i}>{r.detail}</li>
            ))}
            {run.counts.skippedUnmatched > skipped.length && <li className="muted">… and {fmt.number(run.counts.skippedUnmatched - skipped.length)} more</li>}
          </ul>
        </>
      )}
    </>
  );
}
