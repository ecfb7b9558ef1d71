import { useState } from 'react';
import type { RunSummary, Sync } from '../../../shared/config/sync';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys, useSyncs } from '../api/queries';
import { useListSelection } from '../components/use-selection';
import { ErrorBanner } from '../components/ErrorBanner';
import { GettingStarted } from '../components/GettingStarted';
import { useSelectFromHash } from '../components/select-from-hash';
import { askFirst } from '../components/leave-guard';
import { agoWords, statusLabel } from './syncs/run-format';
import { StatusBadge } from './syncs/StatusBadge';
import { SyncDetail, type SyncItem } from './syncs/SyncDetail';
import { SyncSettingsForm } from './syncs/SyncSettingsForm';
import { Notice } from '../components/Notice';

export function SyncsView() {
  const client = useQueryClient();
  const syncsQuery = useSyncs();
  const syncs: SyncItem[] | null = syncsQuery.data ?? null;
  const [selected, setSelected] = useListSelection(syncs?.map((i) => i.sync.name));
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const error = syncsQuery.error;
  const reload = () => void client.invalidateQueries({ queryKey: queryKeys.syncs });
  const open = (name: string) => {
    setCreating(false);
    setSelected(name);
  };
  // A click in the list leaves the sync shown (or the new one), and so a draft of its settings or payload: asked first.
  const pick = (name: string) => {
    if (creating || name !== selected) askFirst(() => open(name));
  };
  const startNew = () => askFirst(() => setCreating(true));

  // A jump from the palette (Ctrl/Cmd+K).
  useSelectFromHash('syncs', open);

  if (error) return <ErrorBanner error={error} />;
  if (!syncs) return null;
  const created = (sync: Sync) => {
    open(sync.name);
    setNotice(`Created “${sync.name}”. Run it now, or adjust its payload first.`);
    reload();
  };
  const newSyncForm = creating && (
    <section className="card detail" aria-label="Create a sync">
      <h2>New sync</h2>
      <SyncSettingsForm onSaved={created} onCancel={() => setCreating(false)} />
    </section>
  );
  if (syncs.length === 0) {
    return (
      <div className="page">
        <GettingStarted onCreateSync={() => setCreating(true)} />
        {newSyncForm}
      </div>
    );
  }
  const item = syncs.find((s) => s.sync.name === selected);
  return (
    <div className="page split">
      <SyncList syncs={syncs} selected={creating ? null : selected} creating={creating} onNew={startNew} onOpen={pick} />
      <div className="detail">
        {notice && <Notice text={notice} onDismiss={() => setNotice(null)} />}
        {newSyncForm}
        {!creating && item && (
          <SyncDetail
            key={item.sync.name}
            item={item}
            onRenamed={setSelected}
            onDeleted={() => {
              setSelected(null);
              reload();
            }}
            onNotice={setNotice}
          />
        )}
      </div>
    </div>
  );
}

function SyncList({
  syncs,
  selected,
  creating,
  onNew,
  onOpen,
}: {
  syncs: readonly SyncItem[];
  selected: string | null;
  creating: boolean;
  onNew: () => void;
  onOpen: (name: string) => void;
}) {
  return (
    <aside className="list" aria-label="Syncs">
      <div className="row spread">
        <h1>Syncs</h1>
        <button type="button" className="ghost small-button" onClick={onNew} disabled={creating}>
          New sync
        </button>
      </div>
      {syncs.map((s) => (
        <button key={s.sync.name} type="button" className={`list-item ${s.sync.name === selected ? 'active' : ''}`} onClick={() => onOpen(s.sync.name)}>
          <strong>{s.sync.name}</strong>
          <span className="muted">
            {s.sync.model} → {s.sync.destination}
          </span>
          <span className="row">
            {s.lastRun ? <StatusBadge run={s.lastRun} /> : <span className="muted">never run</span>}
            {s.lastDryRun && <DryRunNote run={s.lastDryRun} />}
          </span>
        </button>
      ))}
    </aside>
  );
}

/** A dry run since the last real run, as a note beside the sync's status: "dry run 2 min ago". */
function DryRunNote({ run }: { run: RunSummary }) {
  return (
    <span className="muted small" title={statusLabel(run)}>
      {run.status === 'running' ? 'dry run running' : `dry run ${agoWords(run.finishedAt ?? run.startedAt)}`}
    </span>
  );
}
