import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { describeDestination, uiKind } from '../../../destinations/kinds/registry';
import type { PendingRetarget } from './use-retarget-save';
import { retargetWords, runningWords, startOverWords } from './retarget-words';

/**
 * Asked before saving a destination edit that points it at another stream or topic: its syncs start over
 * (their snapshots are dropped), so their next runs send every row again, to the new target.
 */
export function RetargetDialog({
  pending,
  target,
  busy,
  onConfirm,
  onCancel,
}: {
  pending: PendingRetarget;
  /** The stream or topic chosen in the wizard ('' for a topic each row names). */
  target: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { name, kind } = pending.destination;
  const noun = uiKind(kind).noun;
  const syncs = pending.startsOver.map((s) => s.sync);
  const running = runningWords(pending.startsOver.filter((s) => s.running).map((s) => s.sync));
  return (
    <ConfirmDialog
      title={`Save “${name}” and start ${syncs.length === 1 ? 'its sync' : 'its syncs'} over?`}
      confirmLabel="Save and start over"
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        {retargetWords(name, noun, target, describeDestination(pending.destination).where)} {startOverWords(syncs, 'will')} to it, as added.
      </p>
      {running && <p className="muted">{running}</p>}
    </ConfirmDialog>
  );
}
