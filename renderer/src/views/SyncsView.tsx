import { useCallback, useEffect, useState } from 'react';
import { MASS_REMOVAL_PREFIX, type DryRunPlan, type LedgerEntry, type RowReject, type RunSummary, type Sync } from '../../../shared/config/sync';
import { fmt } from '../../../shared/format/format';
import { useSession } from '../api/context';
import { askAlertPermission } from '../api/run-alerts';
import { Time } from '../components/Time';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys, useSyncs } from '../api/queries';
import { useListSelection } from '../components/use-selection';
import { ErrorBanner } from '../components/ErrorBanner';
import { GettingStarted } from '../components/GettingStarted';
import { useSelectFromHash } from '../components/select-from-hash';
import { PayloadEditor } from './PayloadEditor';
import { RunChart } from './syncs/RunChart';
import { nextSamples, type RunSample, type RunSamples } from './syncs/run-samples';
import { SyncAdminPanel } from './syncs/SyncAdminPanel';
import { SyncSettingsForm } from './syncs/SyncSettingsForm';
import { TableScroll } from '../components/TableScroll';

type SyncItem = { sync: Sync; initialized: boolean; lastRun: RunSummary | null; running: boolean };

const STATUS_LABEL: Record<RunSummary['status'], string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partly sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function duration(run: RunSummary): string {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  return fmt.duration(end - Date.parse(run.startedAt));
}

export function StatusBadge({ status }: { status: RunSummary['status'] }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function SyncsView() {
  const client = useQueryClient();
  const syncsQuery = useSyncs();
  const syncs: SyncItem[] | null = syncsQuery.data ?? null;
  const [selected, setSelected] = useListSelection(syncs?.map((i) => i.sync.name));
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const error = syncsQuery.error;
  const reload = () => void client.invalidateQueries({ queryKey: queryKeys.syncs });

  // A jump from the palette (Ctrl/Cmd+K).
  useSelectFromHash('syncs', (name) => {
    setCreating(false);
    setSelected(name);
  });

  if (error) return <ErrorBanner error={error} />;
  if (!syncs) return null;
  const created = (sync: Sync) => {
    setCreating(false);
    setSelected(sync.name);
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
      <aside className="list" aria-label="Syncs">
        <div className="row spread">
          <h1>Syncs</h1>
          <button type="button" className="ghost small-button" onClick={() => setCreating(true)} disabled={creating}>
            New sync
          </button>
        </div>
        {syncs.map((s) => (
          <button
            key={s.sync.name}
            type="button"
            className={`list-item ${s.sync.name === selected && !creating ? 'active' : ''}`}
            onClick={() => {
              setCreating(false);
              setSelected(s.sync.name);
            }}
          >
            <strong>{s.sync.name}</strong>
            <span className="muted">
              {s.sync.model} → {s.sync.destination}
            </span>
            {s.lastRun ? <StatusBadge status={s.lastRun.status} /> : <span className="muted">never run</span>}
          </button>
        ))}
      </aside>
      <div className="detail">
        {notice && (
          <div className="banner banner-ok" role="status">
            <span>{notice}</span>
            <button type="button" className="ghost" aria-label="Dismiss" onClick={() => setNotice(null)}>
              ×
            </button>
          </div>
        )}
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

function SyncDetail({
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
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [live, setLive] = useState<RunSummary | null>(null);
  /** The live chart's points for the run being sent. */
  const [samples, setSamples] = useState<RunSamples | null>(null);
  const [openRun, setOpenRun] = useState<number | null>(null);
  const [tab, setTab] = useState<'runs' | 'payload' | 'settings'>('runs');
  const [error, setError] = useState<unknown>(null);

  const loadRuns = useCallback(() => {
    api.listRuns({ sync: sync.name, limit: 50 }).then(setRuns, setError);
  }, [api, sync.name]);
  useEffect(loadRuns, [loadRuns]);
  useEffect(
    () =>
      api.on('runProgress', (run) => {
        if (run.sync !== sync.name) return;
        setLive(run);
        const now = Date.now();
        setSamples((prev) => nextSamples(prev, run, now));
        if (run.status !== 'running') loadRuns();
      }),
    [api, sync.name, loadRuns],
  );

  const start = async (options: { dryRun?: boolean; retryFailedOf?: number; allowMassRemoval?: boolean }) => {
    setError(null);
    // The first real run is when alerts become useful: ask the browser then (from the click), not on load.
    if (!options.dryRun) void askAlertPermission(info.runtime, settings.runAlerts);
    try {
      const { runId } = await api.startRun({ sync: sync.name, ...options });
      setOpenRun(runId);
      setTab('runs');
    } catch (err) {
      setError(err);
    }
  };
  const running = live?.status === 'running' ? live : null;

  return (
    <section>
      <div className="row spread">
        <div>
          <h2>{sync.name}</h2>
          <p className="muted">
            {sync.model} → {sync.destination} · sends {sync.triggers.join(', ')} · first run:{' '}
            {sync.initialSync === 'backfill' ? 'send every row' : 'only later changes'}
          </p>
        </div>
        <div className="row">
          <button type="button" className="ghost" disabled={running !== null} onClick={() => void start({ dryRun: true })}>
            Dry run
          </button>
          <button type="button" disabled={running !== null} onClick={() => void start({})}>
            Run now
          </button>
        </div>
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <div className="segmented" role="tablist" aria-label="Sync sections">
        <button type="button" role="tab" aria-selected={tab === 'runs'} className={tab === 'runs' ? 'active' : 'ghost'} onClick={() => setTab('runs')}>
          Runs
        </button>
        <button type="button" role="tab" aria-selected={tab === 'payload'} className={tab === 'payload' ? 'active' : 'ghost'} onClick={() => setTab('payload')}>
          Payload
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'settings'}
          className={tab === 'settings' ? 'active' : 'ghost'}
          onClick={() => setTab('settings')}
        >
          Settings
        </button>
      </div>
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
          onCancel={() => void api.cancelRun({ runId: running.id }).catch(setError)}
        />
      )}
      {tab === 'runs' &&
        (runs.length === 0 ? (
          <p className="muted">This sync has not run yet.</p>
        ) : (
          <TableScroll label="Run history">
            <table className="table" aria-label="Run history">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>Status</th>
                  <th>Started</th>
                  <th>Duration</th>
                  <th className="num">Added</th>
                  <th className="num">Changed</th>
                  <th className="num">Removed</th>
                  <th className="num">Sent</th>
                  <th className="num">Failed</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} className={`clickable ${openRun === r.id ? 'selected' : ''}`} onClick={() => setOpenRun(r.id)}>
                    <td className="nowrap">
                      {/* The row opens on a click; the button makes it a keyboard stop too. */}
                      <button
                        type="button"
                        className="link-button"
                        aria-pressed={openRun === r.id}
                        aria-label={`Run ${r.id}: show its records`}
                        onClick={() => setOpenRun(r.id)}
                      >
                        #{r.id}
                      </button>
                      {r.dryRun && <span className="muted"> dry run</span>}
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>
                      <Time iso={r.startedAt} />
                    </td>
                    <td>{duration(r)}</td>
                    <td className="num">{fmt.number(r.counts.added)}</td>
                    <td className="num">{fmt.number(r.counts.changed)}</td>
                    <td className="num">{fmt.number(r.counts.removed)}</td>
                    <td className="num">{r.dryRun ? `(${fmt.number(r.counts.rendered)})` : fmt.number(r.counts.acknowledged)}</td>
                    <td className="num">{fmt.number(r.counts.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ))}
      {tab === 'runs' && openRun !== null && runs.some((r) => r.id === openRun) && (
        <RunDetail
          runId={openRun}
          plan={live?.id === openRun ? (live.dryRunPlan ?? null) : null}
          onRetryFailed={() => void start({ retryFailedOf: openRun })}
          onConfirmRemovals={() => void start({ allowMassRemoval: true })}
        />
      )}
    </section>
  );
}

function RunProgress({ run, samples, onCancel }: { run: RunSummary; samples: readonly RunSample[]; onCancel: () => void }) {
  const c = run.counts;
  const done = c.acknowledged + c.failed;
  const pct = run.phase === 'sending' && run.toSend > 0 ? Math.min(100, Math.round((done / run.toSend) * 100)) : null;
  return (
    <div className="card progress-card" role="status" aria-label="Run progress">
      <div className="row spread">
        <strong>
          Run #{run.id} {run.dryRun ? '(dry run) ' : ''}
          {run.phase === 'reading'
            ? `reading the model… ${fmt.count(c.read, 'row')}`
            : run.phase === 'diffing'
              ? `comparing ${fmt.count(c.read, 'row')} with what was delivered…`
              : `sending ${fmt.number(done)} of ${fmt.number(run.toSend)}`}
        </strong>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <div className="progress" aria-label="progress" aria-valuenow={pct ?? undefined} role="progressbar">
        <div className="bar" style={{ width: `${pct ?? 5}%` }} />
      </div>
      <div className="progress-live">
        <div className="muted">
          read {fmt.number(c.read)} · rendered {fmt.number(c.rendered)} · sent {fmt.number(c.sent)} · acknowledged {fmt.number(c.acknowledged)} · failed{' '}
          {fmt.number(c.failed)} · {fmt.rate(run.ratePerSecond)}
          {run.etaSeconds !== null && ` · about ${fmt.duration(run.etaSeconds * 1000)} left`}
        </div>
        {run.phase === 'sending' && <RunChart samples={samples} />}
      </div>
    </div>
  );
}

/** Where a record landed: shard and sequence number, Firehose record id, or topic-partition@offset. */
function landedAt(e: LedgerEntry): string {
  if (e.shardId) return `${e.shardId} · ${e.sequenceNumber ?? ''}`;
  if (e.recordId) return e.recordId;
  if (e.topic) return `${e.topic}-${e.partition ?? '?'}@${e.offset ?? '?'}`;
  return '';
}

const PLAN_NOUN: Record<DryRunPlan['per'], string> = { shard: 'Shard', partition: 'Partition', 'delivery-stream': 'Delivery stream' };
const PLAN_REASON: Record<DryRunPlan['rejected']['first'][number]['reason'], string> = {
  'render-error': 'template errors',
  'too-large': 'too large',
  'invalid-partition': 'partition the topic lacks',
  'unknown-topic': 'topic does not exist',
  unmatched: 'no Firehose route (unmatched: reject)',
  'null-key': 'null primary key',
  'duplicate-key': 'duplicate primary key',
};

/** A dry run's plan: records per shard / partition / delivery stream, and what a real run would reject. */
function DryRunPlanView({ plan }: { plan: DryRunPlan }) {
  const most = Math.max(1, ...plan.targets.map((t) => t.records));
  const reasons = Object.entries(plan.rejected.perReason) as [keyof typeof PLAN_REASON, number][];
  return (
    <section aria-label="Where the records would go">
      <h4>Where the records would go</h4>
      {plan.note && <p className="muted">{plan.note}</p>}
      {plan.targets.length > 0 && (
        <TableScroll label="Records per target">
          <table className="table" aria-label={`Records per ${PLAN_NOUN[plan.per].toLowerCase()}`}>
            <thead>
              <tr>
                <th>{PLAN_NOUN[plan.per]}</th>
                <th className="num">Records</th>
                <th aria-hidden="true" />
              </tr>
            </thead>
            <tbody>
              {plan.targets.map((t) => (
                <tr key={t.id}>
                  <td>{t.id}</td>
                  <td className="num">{fmt.number(t.records)}</td>
                  <td aria-hidden="true" style={{ width: '40%' }}>
                    <div style={{ height: 8, width: `${(t.records / most) * 100}%`, background: 'var(--accent, #2563eb)', borderRadius: 2 }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {plan.roundRobin > 0 && (
        <p className="muted">
          {fmt.count(plan.roundRobin, 'record')} without key or partition: spread round-robin over their topic's partitions (about evenly).
        </p>
      )}
      {plan.rejected.total > 0 && (
        <p data-testid="dry-run-rejected">
          A real run would reject {fmt.count(plan.rejected.total, 'record')}: {reasons.map(([r, n]) => `${fmt.number(n)} ${PLAN_REASON[r]}`).join(', ')}
          {plan.rejected.total > plan.rejected.first.length && ` (the first ${fmt.number(plan.rejected.first.length)} are listed below)`}.
        </p>
      )}
    </section>
  );
}

function RunDetail({
  runId,
  plan,
  onRetryFailed,
  onConfirmRemovals,
}: {
  runId: number;
  plan: DryRunPlan | null;
  onRetryFailed: () => void;
  onConfirmRemovals: () => void;
}) {
  const { api } = useSession();
  const [detail, setDetail] = useState<{ run: RunSummary; rejects: RowReject[] } | null>(null);
  const [ledger, setLedger] = useState<{ entries: LedgerEntry[]; total: number } | null>(null);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<LedgerEntry['status'] | ''>('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.getRun({ runId }).then(setDetail, setError);
  }, [api, runId]);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.searchLedger({ runId, text: text || undefined, status: status || undefined, limit: 200 }).then(setLedger, setError);
    }, 150);
    return () => clearTimeout(timer);
  }, [api, runId, text, status]);

  if (error) return <ErrorBanner error={error} />;
  if (!detail) return null;
  const { run, rejects } = detail;
  const notSent = rejects.filter((r) => r.reason !== 'unmatched');
  const skipped = rejects.filter((r) => r.reason === 'unmatched');
  const retryable = !run.dryRun && run.counts.failed > 0;
  return (
    <div className="card" aria-label={`Run ${run.id}`}>
      <div className="row spread">
        <h3>
          Run #{run.id} <StatusBadge status={run.status} />
        </h3>
        {retryable && (
          <button type="button" onClick={onRetryFailed}>
            Retry failed records only
          </button>
        )}
      </div>
      {run.error && <ErrorBanner error={run.error} />}
      {!run.dryRun && run.status === 'failed' && run.error?.startsWith(MASS_REMOVAL_PREFIX) && (
        <div className="row" role="group" aria-label="Confirm the removals">
          <span className="muted">Check the model first: a source that reads empty by mistake would remove these rows downstream.</span>
          <button type="button" className="destructive" onClick={onConfirmRemovals}>
            Send the removals ({fmt.number(run.counts.removed)})
          </button>
        </div>
      )}
      <p className="muted">
        Read {fmt.count(run.counts.read, 'row')}: {fmt.number(run.counts.added)} added, {fmt.number(run.counts.changed)} changed,{' '}
        {fmt.number(run.counts.removed)} removed, {fmt.number(run.counts.unchanged)} unchanged
        {run.counts.skippedByTrigger > 0 && `, ${fmt.number(run.counts.skippedByTrigger)} recorded without sending`}.
      </p>
      {run.dryRun && plan && <DryRunPlanView plan={plan} />}
      {notSent.length > 0 && (
        <>
          <h4>Rows not sent ({fmt.number(run.counts.rejectedRows + notSent.filter((r) => r.reason !== 'null-key' && r.reason !== 'duplicate-key').length)})</h4>
          <ul className="rejects" aria-label="Rows not sent">
            {notSent.map((r, i) => (
              <li key={i}>{r.detail}</li>
            ))}
          </ul>
        </>
      )}
      {run.counts.skippedUnmatched > 0 && (
        <>
          <h4>Rows skipped ({fmt.number(run.counts.skippedUnmatched)})</h4>
          <p className="muted small">
            No event → delivery stream row matches their event, so they were not sent (firehose.unmatched: skip). They count as delivered until they change.
          </p>
          <ul className="rejects" aria-label="Rows skipped">
            {skipped.map((r, i) => (
              <li key={i}>{r.detail}</li>
            ))}
            {run.counts.skippedUnmatched > skipped.length && <li className="muted">… and {fmt.number(run.counts.skippedUnmatched - skipped.length)} more</li>}
          </ul>
        </>
      )}
      <h4>Records</h4>
      <div className="row">
        <input aria-label="Search records" placeholder="Key, partition key or error" value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label="Record status" value={status} onChange={(e) => setStatus(e.target.value as LedgerEntry['status'] | '')}>
          <option value="">All</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="failed">Failed</option>
          <option value="rejected">Rejected</option>
        </select>
        {ledger && <span className="muted">{fmt.count(ledger.total, 'record')}</span>}
      </div>
      {ledger && ledger.entries.length > 0 && (
        <TableScroll label="Records">
          <table className="table" aria-label="Records">
            <thead>
              <tr>
                <th>Key</th>
                <th>Event</th>
                <th>Status</th>
                <th className="num">Attempts</th>
                <th>Landed at</th>
                <th>Error</th>
                <th>Stream</th>
              </tr>
            </thead>
            <tbody>
              {ledger.entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.key}</td>
                  <td>{e.event}</td>
                  <td>{e.status}</td>
                  <td className="num">{fmt.number(e.attempts)}</td>
                  <td className="mono small landed-at">{landedAt(e)}</td>
                  <td>{e.errorCode ? `${e.errorCode}: ${e.errorMessage ?? ''}` : ''}</td>
                  <td className="nowrap">
                    {e.status === 'acknowledged' && (e.shardId || e.topic || e.recordId) && (
                      <a href={`#/inspector?ledger=${e.id}`} data-testid="open-in-stream" aria-label={`Open record ${e.key} in the stream`}>
                        Open in stream
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
