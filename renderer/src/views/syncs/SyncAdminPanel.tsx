import { useCallback, useEffect, useState } from 'react';
import type { Sync } from '../../../../shared/config/sync';
import type { SyncFootprint } from '../../../../shared/ipc/channels/sync-admin';
import { useSession } from '../../api/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../components/useAction';
import { SyncSettingsForm } from './SyncSettingsForm';
import { fmt } from '../../../../shared/format/format';

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
  const [footprint, setFootprint] = useState<SyncFootprint | null>(null);
  const [newName, setNewName] = useState(sync.name);
  const [confirm, setConfirm] = useState<'delete' | 'reset' | null>(null);
  const action = useAction();
  const { error, setError, run } = action;
  const busy = action.busy !== null;

  const load = useCallback(() => {
    api.syncFootprint({ name: sync.name }).then(setFootprint, setError);
  }, [api, sync.name, setError]);
  useEffect(load, [load, running]);
  useEffect(() => api.on('catalogChanged', load), [api, load]);

  const act = (work: () => Promise<void>) =>
    run('Working…', async () => {
      try {
        await work();
      } finally {
        setConfirm(null);
      }
    });
  const locked = running || (footprint?.runningRun ?? null) !== null;

  return (
    <div className="sync-admin">
      <section className="card">
        <h2>Settings</h2>
        <SyncSettingsForm
          key={JSON.stringify(sync)}
          sync={sync}
          initialized={initialized}
          snapshotRows={footprint?.snapshotRows ?? 0}
          running={locked}
          onSaved={(saved, restarted) =>
            onNotice(restarted ? `Saved “${saved.name}”. It starts over: the next run is a first run.` : `Saved the settings of “${saved.name}”.`)
          }
        />
      </section>

      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {locked && <p className="hint">A run is in progress: renaming, resending and deleting wait until it ends.</p>}

      <section className="card">
        <h2>Name</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const renamed = await api.renameSync({ name: sync.name, newName: newName.trim() });
              onNotice(`Renamed “${sync.name}” to “${renamed.name}”. Its runs, records and snapshot stay with it.`);
              onRenamed(renamed.name);
            });
          }}
        >
          <label className="field">
            <span>Sync name</span>
            <input aria-label="New name" value={newName} onChange={(e) => setNewName(e.target.value)} />
          </label>
          <button type="submit" disabled={busy || locked || newName.trim() === sync.name || !newName.trim()}>
            Rename
          </button>
        </form>
        <p className="muted small">Its runs, ledger, snapshot and template tests stay with it.</p>
      </section>

      <section className="card">
        <h2>Resend everything</h2>
        <p className="muted">
          Forget what this sync delivered: the next run sends every row of the model as added, whatever was sent before.
          {footprint && ` The snapshot holds ${n(footprint.snapshotRows, 'row')} now.`}
        </p>
        {!sync.triggers.includes('added') && (
          <p className="hint small">This sync does not send added rows: the next run would record them without sending them.</p>
        )}
        <button type="button" className="ghost" disabled={busy || locked || !footprint || footprint.snapshotRows === 0} onClick={() => setConfirm('reset')}>
          Resend everything on the next run…
        </button>
      </section>

      <section className="card danger-zone">
        <h2>Delete this sync</h2>
        <p className="muted">Its history goes with it. The records already sent stay in the stream.</p>
        <button type="button" className="destructive" disabled={busy || locked || !footprint} onClick={() => setConfirm('delete')}>
          Delete sync…
        </button>
      </section>

      {confirm === 'reset' && footprint && (
        <ConfirmDialog
          title={`Resend every row of “${sync.name}”?`}
          confirmLabel={`Clear the snapshot of ${n(footprint.snapshotRows, 'row')}`}
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() =>
            void act(async () => {
              const { cleared } = await api.resetSyncSnapshot({ name: sync.name });
              onNotice(`Cleared the snapshot of ${n(cleared, 'row')}: the next run sends every row as added.`);
              load();
            })
          }
        >
          <p>
            The snapshot of {n(footprint.snapshotRows, 'row')} is cleared, so the next run sends every row of the model “{sync.model}” to “{sync.destination}”
            as added, again. Consumers see those rows a second time. Runs and records stay.
          </p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && footprint && (
        <ConfirmDialog
          title={`Delete the sync “${sync.name}”?`}
          confirmLabel="Delete sync"
          destructive
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() =>
            void act(async () => {
              await api.deleteSync({ name: sync.name });
              onNotice(`Deleted “${sync.name}”.`);
              onDeleted();
            })
          }
        >
          <p>This deletes, for good:</p>
          <ul aria-label="What is deleted">
            <li>{n(footprint.runs, 'run')} in its history</li>
            <li>{n(footprint.ledgerEntries, ['ledger entry', 'ledger entries'])} (where each record landed)</li>
            <li>the snapshot of {n(footprint.snapshotRows, 'row')} (what it last delivered)</li>
            <li>{n(footprint.templateTests, 'template test')}</li>
          </ul>
          <p>The records already in “{sync.destination}” stay there. The model and the destination are not touched.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
