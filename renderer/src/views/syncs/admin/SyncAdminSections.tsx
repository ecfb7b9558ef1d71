import { useState } from 'react';
import { AskToLeave } from '../../../components/DiscardDialog';
import { renameTyped } from '../../../components/RenameForm';
import { useLeaveGuard } from '../../../components/use-leave-guard';
import type { Sync } from '../../../../../shared/config/sync';
import { SyncSettingsForm } from '../SyncSettingsForm';
import { fmt } from '../../../../../shared/format/format';
import type { SyncFootprint } from '../../../../../shared/ipc/channels/sync-admin';

/**
 * The Name card: a new name for the sync (its runs, ledger, snapshot and template tests follow it). `onTyping`:
 * the name was edited. A name typed holds in-app moves, as the other rename forms' do; Rename shows the sync
 * anew, so it asks the page's other drafts (the settings' changes) first.
 */
export function RenameSync({
  sync,
  disabled,
  onRename,
  onTyping,
}: {
  sync: Sync;
  disabled: boolean;
  onRename: (newName: string) => void;
  onTyping: () => void;
}) {
  const [newName, setNewName] = useState(sync.name);
  const guard = useLeaveGuard(renameTyped(newName, sync.name));
  return (
    <section className="card">
      <h2>Name</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          guard.askOthers(() => onRename(newName.trim()));
        }}
      >
        <label className="field grow">
          <span>Sync name</span>
          <input aria-label="New name" value={newName} onChange={(e) => (setNewName(e.target.value), onTyping())} />
        </label>
        <button type="submit" disabled={disabled || !renameTyped(newName, sync.name)}>
          Rename
        </button>
      </form>
      <p className="muted small">Its runs, ledger, snapshot and template tests stay with it.</p>
      <AskToLeave guard={guard} title={`Discard the new name of the sync “${sync.name}”?`} />
    </section>
  );
}

/** The Resend everything card: clearing the snapshot, so the next run sends every row as added. */
export function ResendSection({ sync, footprint, disabled, onAsk }: { sync: Sync; footprint: SyncFootprint | null; disabled: boolean; onAsk: () => void }) {
  return (
    <section className="card">
      <h2>Resend everything</h2>
      <p className="muted">
        Forget what this sync delivered: the next run sends every row of the model as added, whatever was sent before.
        {footprint &&
          (footprint.snapshotInSource ? ' The snapshot is kept in PostgreSQL.' : ` The snapshot holds ${fmt.count(footprint.snapshotRows, 'row')} now.`)}
      </p>
      {!sync.triggers.includes('added') && (
        <p className="hint small">This sync does not send added rows: the next run would record them without sending them.</p>
      )}
      <button
        type="button"
        className="ghost"
        disabled={disabled || !footprint || (footprint.snapshotRows === 0 && !footprint.snapshotInSource)}
        onClick={onAsk}
      >
        Resend everything on the next run…
      </button>
    </section>
  );
}

/** The danger zone: deleting the sync with its history. */
export function DeleteSection({ disabled, onAsk }: { disabled: boolean; onAsk: () => void }) {
  return (
    <section className="card danger-zone">
      <h2>Delete this sync</h2>
      <p className="muted">Its history goes with it. The records already sent stay in the stream.</p>
      <button type="button" className="destructive" disabled={disabled} onClick={onAsk}>
        Delete sync…
      </button>
    </section>
  );
}

/** The sync's settings form (locked while a run goes). */
export function SettingsCard({
  sync,
  initialized,
  snapshotRows,
  running,
  onNotice,
}: {
  sync: Sync;
  initialized: boolean;
  snapshotRows: number;
  running: boolean;
  onNotice: (text: string) => void;
}) {
  return (
    <section className="card">
      <h2>Settings</h2>
      <SyncSettingsForm
        key={JSON.stringify(sync)}
        sync={sync}
        initialized={initialized}
        snapshotRows={snapshotRows}
        running={running}
        onSaved={(saved, restarted) =>
          onNotice(restarted ? `Saved “${saved.name}”. It starts over: the next run is a first run.` : `Saved the settings of “${saved.name}”.`)
        }
      />
    </section>
  );
}
