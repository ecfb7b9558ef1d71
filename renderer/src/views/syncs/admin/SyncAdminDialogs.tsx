import type { Sync } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { snapshotWords, type SyncFootprint } from '../../../../../shared/ipc/channels/sync-admin';
import { ConfirmDialog } from '../../../components/ConfirmDialog';

const n = fmt.count;

interface DialogProps {
  sync: Sync;
  footprint: SyncFootprint;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}

/** "Resend everything on the next run": what clearing the snapshot means downstream. */
export function ResetDialog({ sync, footprint, busy, onCancel, onConfirm }: DialogProps) {
  return (
    <ConfirmDialog
      title={`Resend every row of “${sync.name}”?`}
      confirmLabel={footprint.snapshotInSource ? 'Start a new snapshot' : `Clear the snapshot of ${n(footprint.snapshotRows, 'row')}`}
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p>
        {footprint.snapshotInSource
          ? 'The next run starts a new snapshot in PostgreSQL and drops the old table'
          : `The snapshot of ${n(footprint.snapshotRows, 'row')} is cleared`}
        , so the next run sends every row of the model “{sync.model}” to “{sync.destination}” as added, again. Consumers see those rows a second time. Runs and
        records stay.
      </p>
    </ConfirmDialog>
  );
}

/** "Delete sync": everything that goes with it, and what stays. */
export function DeleteDialog({ sync, footprint, busy, onCancel, onConfirm }: DialogProps) {
  return (
    <ConfirmDialog title={`Delete the sync “${sync.name}”?`} confirmLabel="Delete sync" destructive busy={busy} onCancel={onCancel} onConfirm={onConfirm}>
      <p>This deletes, for good:</p>
      <ul aria-label="What is deleted">
        <li>{n(footprint.runs, 'run')} in its history</li>
        <li>{n(footprint.ledgerEntries, ['ledger entry', 'ledger entries'])} (where each record landed)</li>
        <li>{snapshotWords(footprint)} (what it last delivered)</li>
        <li>{n(footprint.templateTests, 'template test')}</li>
      </ul>
      <p>The records already in “{sync.destination}” stay there. The model and the destination are not touched.</p>
    </ConfirmDialog>
  );
}
