import type { RunSummary } from '../../../../shared/config/sync';
import { STATUS_LABEL } from './run-format';

export function StatusBadge({ status }: { status: RunSummary['status'] }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}
