import { useState } from 'react';
import type { RunSummary, Sync } from '../../../../shared/config/sync';
import { useSession } from '../../api/context';
import { useDismissable, useSyncRuns } from '../../api/queries';
import { askAlertPermission } from '../../api/run-alerts';
import { ErrorBanner } from '../../components/ErrorBanner';
import { askFirst } from '../../components/leave-guard';
import { PayloadEditor } from '../PayloadEditor';
import { RunDetail } from './runs/RunDetail';
import { RunHistory } from './runs/RunHistory';
import { RunProgress } from './runs/RunProgress';
import { SyncAdminPanel } from './SyncAdminPanel';
import { runningRun, useLiveRun, withLive } from './use-live-run';
import { useStartGuard } from './use-start-guard';

export type SyncItem = { sync: Sync; initialized: boolean; lastRun: RunSummary | null; lastDryRun: RunSummary | null; running: boolean };
type Tab = 'runs' | 'payload' | 'settings';
type StartOptions = { dryRun?: boolean; retryFailedOf?: number; allowRemovalsUpTo?: number };

/** One sync: run it (or a dry run), its runs with the live one, its payload and its settings. */
export function SyncDetail({
  item,
  onRenamed,
  onDeleted,
  onNotice,
}: {
  item: SyncItem;
  onRenamed: (name: string) => void;
  onDeleted: () => void;
  onNotice: (text: string) => void;
}) {
  const { api, info, settings } = useSession();
  const { sync } = item;
  const runs = useSyncRuns(sync.name);
  const { live, samples } = useLiveRun(sync.name);
  const [openRun, setOpenRun] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>('runs');
  const [actionError, setActionError] = useState<unknown>(null);
  const [error, dismiss] = useDismissable(actionError ?? runs.error);

  const history = runs.data ?? [];
  const guard = useStartGuard(live, history);
  const start = async (options: StartOptions) => {
    if (!guard.begin()) return;
    setActionError(null);
    // The first real run is when alerts become useful: ask the browser then (from the click), not on load.
    if (!options.dryRun) void askAlertPermission(info.runtime, settings.runAlerts);
    try {
      const { runId } = await api.startRun({ sync: sync.name, ...options });
      guard.started(runId);
      setOpenRun(runId);
      setTab('runs');
    } catch (err) {
      guard.failed();
      setActionError(err);
    }
  };
  const running = runningRun(live, history);

  return (
    <section>
      {/* A run opens the Runs tab, and another tab unmounts the one shown: a draft there (settings, payload) asks first. */}
      <SyncHeader sync={sync} busy={guard.busy} onStart={(options) => askFirst(() => void start(options))} />
      {error !== null && <ErrorBanner error={error} onDismiss={dismiss} />}
      <SyncTabs tab={tab} onTab={(next) => next !== tab && askFirst(() => setTab(next))} />
      {tab === 'settings' && (
        <SyncAdminPanel
          sync={sync}
          initialized={item.initialized}
          running={running !== null || item.running}
          onRenamed={onRenamed}
          onDeleted={onDeleted}
          onNotice={onNotice}
        />
      )}
      {tab === 'payload' && <PayloadEditor sync={sync} onSaved={() => undefined} />}
      {tab === 'runs' && running && (
        <RunProgress
          run={running}
          samples={samples?.runId === running.id ? samples.samples : []}
          onCancel={() => api.cancelRun({ runId: running.id }).then(() => true, refused(setActionError))}
        />
      )}
      {tab === 'runs' && <RunHistory runs={withLive(history, live)} openRun={openRun} onOpen={setOpenRun} />}
      {tab === 'runs' && openRun !== null && history.some((r) => r.id === openRun) && (
        <RunDetail
          runId={openRun}
          plan={live?.id === openRun ? (live.dryRunPlan ?? null) : null}
          latest={latestRealRun(history) === openRun}
          onRetryFailed={() => void start({ retryFailedOf: openRun })}
          onConfirmRemovals={(removals) => void start({ allowRemovalsUpTo: removals })}
        />
      )}
    </section>
  );
}

/** The id of the sync's latest run that was not a dry run (the history is newest first). */
const latestRealRun = (history: readonly RunSummary[]) => history.find((r) => !r.dryRun)?.id;

/** An action the engine refused: its error shown, and false. */
const refused = (show: (err: unknown) => void) => (err: unknown) => {
  show(err);
  return false;
};

function SyncHeader({ sync, busy, onStart }: { sync: Sync; busy: boolean; onStart: (options: StartOptions) => void }) {
  return (
    <div className="row spread">
      <div className="wrap-anywhere grow-text">
        <h2>{sync.name}</h2>
        <p className="muted">
          {sync.model} → {sync.destination} · sends {sync.triggers.join(', ')} · first run:{' '}
          {sync.initialSync === 'backfill' ? 'send every row' : 'only later changes'}
        </p>
      </div>
      <div className="row">
        <button type="button" className="ghost" disabled={busy} onClick={() => onStart({ dryRun: true })}>
          Dry run
        </button>
        <button type="button" disabled={busy} onClick={() => onStart({})}>
          Run now
        </button>
      </div>
    </div>
  );
}

const TABS: { id: Tab; label: string }[] = [
  { id: 'runs', label: 'Runs' },
  { id: 'payload', label: 'Payload' },
  { id: 'settings', label: 'Settings' },
];

function SyncTabs({ tab, onTab }: { tab: Tab; onTab: (tab: Tab) => void }) {
  return (
    <div className="segmented" role="tablist" aria-label="Sync sections">
      {TABS.map((t) => (
        <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : 'ghost'} onClick={() => onTab(t.id)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
