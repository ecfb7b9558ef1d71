import type { RunSummary } from '../../../../shared/config/sync';
import { statusLabel } from './run-format';

/** A run's status; a dry run's says what a real run would refuse, never "sent". */
export function StatusBadge({ run }: { run: Pick<RunSummary, 'status' | 'dryRun' | 'counts'> }) {
  return <span className={`badge badge-${run.status}`}>{statusLabel(run)}</span>;
}
