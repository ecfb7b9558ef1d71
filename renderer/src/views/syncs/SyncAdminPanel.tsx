import { useState } from 'react';
import type { Sync } from '../../../../shared/config/sync';
import { useSession } from '../../api/context';
import { useDismissable, useSyncFootprint } from '../../api/queries';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../components/useAction';
import { fmt } from '../../../../shared/format/format';
import { DeleteDialog, ResetDialog } from './admin/SyncAdminDialogs';
import { DeleteSection, RenameSync, ResendSection, SettingsCard } from './admin/SyncAdminSections';

const n = fmt.count;

/**
 * A sync's Settings tab: its settings form, then rename, "resend everything on the next run" and
 * delete, the last two behind a dialog that says what goes.
 */
export function SyncAdminPanel({
  sync,
  initialized,
  running,
  onRenamed,
  onDeleted,
  onNotice,
}: {
  sync: Sync;
  initialized: boolean;
  running: boolean;
  onRenamed: (name: string) => void;
  onDeleted: () => void;
  onNotice: (text: string) => void;
}) {
  const { api } = useSession();
  const footprintQuery = useSyncFootprint(sync.name, running);
  const footprint = footprintQuery.data ?? null;
  const [confirm, setConfirm] = useState<'delete' | 'reset' | null>(null);
  const action = useAction();
  const { setError, run } = action;
  const [error, dismiss] = useDismissable(action.error ?? footprintQuery.error);
  const busy = action.busy !== null;

  const act = (work: () => Promise<void>) =>
    run('Working…', async () => {
      try {
        await work();
      } finally {
        setConfirm(null);
      }
    });
  const dismissError = () => {
    setError(null);
    dismiss();
  };
  const locked = running || (footprint?.runningRun ?? null) !== null;
  const rename = (newName: string) =>
    void act(async () => {
      const renamed = await api.renameSync({ name: sync.name, newName });
      onNotice(`Renamed “${sync.name}” to “${renamed.name}”. Its runs, records and snapshot stay with it.`);
      onRenamed(renamed.name);
    });
  const reset = () =>
    void act(async () => {
      const { cleared, inSource } = await api.resetSyncSnapshot({ name: sync.name });
      onNotice(
        inSource
          ? 'The next run starts a new snapshot in PostgreSQL and sends every row as added.'
          : `Cleared the snapshot of ${n(cleared, 'row')}: the next run sends every row as added.`,
      );
      await footprintQuery.refetch();
    });
  const remove = () =>
    void act(async () => {
      await api.deleteSync({ name: sync.name });
      onNotice(`Deleted “${sync.name}”.`);
      onDeleted();
    });

  return (
    <div className="sync-admin">
      <SettingsCard sync={sync} initialized={initialized} snapshotRows={footprint?.snapshotRows ?? 0} running={locked} onNotice={onNotice} />

      {error !== null && <ErrorBanner error={error} onDismiss={dismissError} />}
      {locked && <p className="hint">A run is in progress: renaming, resending and deleting wait until it ends.</p>}

      {/* (a refusal of the name typed before goes once the name is edited; the sync renamed is shown anew, so changes to its settings ask first, in RenameSync) */}
      <RenameSync sync={sync} disabled={busy || locked} onRename={rename} onTyping={dismissError} />

      <ResendSection sync={sync} footprint={footprint} disabled={busy || locked} onAsk={() => setConfirm('reset')} />
      <DeleteSection disabled={busy || locked || !footprint} onAsk={() => setConfirm('delete')} />

      {confirm === 'reset' && footprint && <ResetDialog sync={sync} footprint={footprint} busy={busy} onCancel={() => setConfirm(null)} onConfirm={reset} />}
      {confirm === 'delete' && footprint && <DeleteDialog sync={sync} footprint={footprint} busy={busy} onCancel={() => setConfirm(null)} onConfirm={remove} />}
    </div>
  );
}
