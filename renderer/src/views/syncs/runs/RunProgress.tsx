import { useState } from 'react';
import type { RunSummary } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { RunChart } from '../RunChart';
import type { RunSample } from '../run-samples';
import { progressHeadline, progressPercent } from '../run-format';

/**
 * The run being sent: what it is doing, a progress bar, its counts and the live chart. Cancel asks the run
 * to stop (`onCancel` answers whether it was asked); the button then says so until the run ends, which
 * takes a moment more for a run another process carries out (it looks each second).
 */
export function RunProgress({ run, samples, onCancel }: { run: RunSummary; samples: readonly RunSample[]; onCancel: () => Promise<boolean> }) {
  const [cancelled, setCancelled] = useState<number | null>(null);
  const cancelling = cancelled === run.id;
  const c = run.counts;
  const pct = progressPercent(run);
  return (
    <div className="card progress-card" role="status" aria-label="Run progress">
      <div className="row spread">
        <strong>
          Run #{run.id} {run.dryRun ? '(dry run) ' : ''}
          {progressHeadline(run)}
        </strong>
        <button
          type="button"
          className="ghost"
          disabled={cancelling}
          onClick={() => {
            setCancelled(run.id);
            void onCancel().then((asked) => (asked ? undefined : setCancelled(null)));
          }}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <div className="progress" aria-label={run.dryRun ? 'rendered' : 'delivered'} aria-valuenow={pct?.delivered} role="progressbar">
        <div className="bar" style={{ width: `${pct?.delivered ?? 5}%` }} />
        {pct !== null && pct.failed > 0 && <div className="bar failed" data-testid="failed-bar" style={{ width: `${pct.failed}%` }} />}
      </div>
      <div className="progress-live">
        <div className="muted">
          read {fmt.number(c.read)} · rendered {fmt.number(c.rendered)} · acknowledged {fmt.number(c.acknowledged)} · failed {fmt.number(c.failed - c.givenUp)}
          {c.givenUp > 0 && ` · not tried again (cancelled) ${fmt.number(c.givenUp)}`}
          {(run.retrying?.records ?? 0) > 0 && ` · retrying ${fmt.number(run.retrying!.records)}`}
          {/* While the destination settles nothing, the headline says why: no rate so far nor time left. */}
          {/* The average since sending started (the chart's caption says the rate now, over the last second). */}
          {!run.retrying?.stalled && (
            <>
              {' · '}
              <span data-testid="run-rate" title="Records acknowledged per second, on average since sending started">
                average {fmt.rate(run.ratePerSecond)}
              </span>
            </>
          )}
          {run.etaSeconds !== null && ` · about ${fmt.duration(run.etaSeconds * 1000)} left`}
        </div>
        {run.phase === 'sending' && <RunChart samples={samples} />}
      </div>
    </div>
  );
}
