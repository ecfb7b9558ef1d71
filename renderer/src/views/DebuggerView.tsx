import { memo, useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { API_CALL_CONTEXTS, type ApiCallContext, type ApiCallFilter, type ApiCallSummary } from '../../../shared/debugger/api-call';
import { useSession } from '../api/context';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { CallDetail } from '../debugger/CallDetail';
import { fmt } from '../../../shared/format/format';
import { Time } from '../components/Time';
import { SplitDivider } from '../debugger/SplitDivider';
import { useApiCallFacets, useApiCalls } from '../debugger/useApiCalls';
import { VirtualList } from '../debugger/VirtualList';
import '../debugger/debugger.css';

const ROW_HEIGHT = 28;

function download(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The browser reads the blob after click() returns; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** One row; memoised so rows that stay in view are not rendered again while scrolling. */
const CallRow = memo(function CallRow({
  call,
  index,
  selected,
  onSelect,
}: {
  call: ApiCallSummary | undefined;
  index: number;
  selected: boolean;
  onSelect(id: number): void;
}) {
  if (!call) return <div className="call-row muted">Loading call {index + 1}…</div>;
  return (
    <button
      type="button"
      className={`call-row${selected ? ' selected' : ''}${call.isError ? ' error' : ''}`}
      data-testid="api-call-row"
      data-id={call.id}
      data-operation={call.operation}
      data-status={call.status}
      data-error={call.isError}
      onClick={() => onSelect(call.id)}
    >
      <span className="c-time mono">
        <Time iso={call.startedAt} clock />
      </span>
      <span className="c-context">{call.context}</span>
      <span className="c-dest" title={call.destination}>
        {call.destination}
      </span>
      <span className="c-op">
        <span className="c-service">{call.service} </span>
        <strong>{call.operation}</strong>
      </span>
      <span className="c-status">{call.status}</span>
      <span
        className="c-records"
        title={
          call.failedRecords > 0
            ? `${fmt.number(call.failedRecords)} of ${call.recordCount === null ? '?' : fmt.count(call.recordCount, 'record')} failed`
            : undefined
        }
      >
        {call.failedRecords > 0 ? (
          <>
            <span className="c-failed" data-testid="api-call-failed">
              {fmt.number(call.failedRecords)} failed
            </span>{' '}
            / {call.recordCount === null ? '?' : fmt.number(call.recordCount)}
          </>
        ) : call.recordCount === null ? (
          ''
        ) : (
          fmt.number(call.recordCount)
        )}
      </span>
      <span className="c-duration">{fmt.duration(call.durationMs)}</span>
      <span className="c-error" title={call.errorMessage ?? ''}>
        {call.errorCode ?? ''}
      </span>
    </button>
  );
});

/** The list for one filter (mounted anew when the filter changes). */
function CallList({
  filter,
  follow,
  onScrollAway,
  selected,
  onSelect,
  onError,
  storeTotal,
}: {
  filter: ApiCallFilter;
  follow: boolean;
  onScrollAway(): void;
  selected: number | null;
  onSelect(id: number): void;
  onError(err: unknown): void;
  storeTotal: number | null;
}) {
  const { api } = useSession();
  const { total, callAt, onRange, newCalls, showNewCalls } = useApiCalls(api, filter, onError);
  return (
    <div className="call-list">
      <div className="small muted call-total" data-testid="api-call-total">
        {fmt.count(total, 'call')}
        {storeTotal !== null && total < storeTotal ? ` (of ${fmt.number(storeTotal)} recorded)` : ''}
        {newCalls > 0 ? (
          <span data-testid="api-call-new">
            {' · '}
            {fmt.count(newCalls, 'new call')} recorded since this search{' '}
            <button type="button" onClick={showNewCalls}>
              Refresh
            </button>
          </span>
        ) : null}
      </div>
      <div className="call-row call-head small muted" aria-hidden="true">
        <span className="c-time">Time</span>
        <span className="c-context">Context</span>
        <span className="c-dest">Destination</span>
        <span className="c-op">Operation</span>
        <span className="c-status">Status</span>
        <span className="c-records">Records</span>
        <span className="c-duration">Duration</span>
        <span className="c-error">Error</span>
      </div>
      <VirtualList
        testId="api-call-list"
        count={total}
        rowHeight={ROW_HEIGHT}
        follow={follow}
        onScrollAway={onScrollAway}
        onRange={onRange}
        renderRow={(i) => <CallRow call={callAt(i)} index={i} selected={callAt(i)?.id === selected} onSelect={onSelect} />}
      />
    </div>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange(v: string | undefined): void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const DETAIL_WIDTH_KEY = 'sluice.debugger.detailWidth';

function savedDetailWidth(): number | null {
  try {
    const n = Number(localStorage.getItem(DETAIL_WIDTH_KEY));
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Every call Sluice made to a destination: live list, filters, search, detail beside the list (resizable), export. */
export function DebuggerView() {
  const { api } = useSession();
  const [filter, setFilter] = useState<ApiCallFilter>({});
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [follow, setFollow] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const onError = useCallback((err: unknown) => setError(err), []);
  const stopFollowing = useCallback(() => setFollow(false), []);
  const facets = useApiCallFacets(api, onError);
  const main = useRef<HTMLDivElement>(null);
  const [detailWidth, setDetailWidth] = useState<number | null>(savedDetailWidth);
  const resizeDetail = useCallback((width: number) => {
    setDetailWidth(width);
    try {
      localStorage.setItem(DETAIL_WIDTH_KEY, String(width));
    } catch {
      // Not remembered: the width still applies now.
    }
  }, []);

  // Search as you type, without a query per key press.
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.text === (text.trim() || undefined) ? f : { ...f, text: text.trim() || undefined })), 250);
    return () => clearTimeout(t);
  }, [text]);

  const set = (patch: Partial<ApiCallFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const exportRun = async (format: 'ndjson' | 'har') => {
    if (filter.runId === undefined) return;
    try {
      const out = await api.exportApiCalls({ runId: filter.runId, format });
      download(out.fileName, out.content, format === 'har' ? 'application/json' : 'application/x-ndjson');
    } catch (err) {
      setError(err);
    }
  };
  const names = (xs: string[] | undefined) => (xs ?? []).map((x) => ({ value: x, label: x }));

  return (
    <div className="page debugger">
      <h1>Debugger</h1>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <div className="debugger-filters row" data-testid="debugger-filters">
        <Select
          label="Run"
          value={filter.runId === undefined ? undefined : String(filter.runId)}
          options={(facets?.runs ?? []).map((r) => ({ value: String(r.runId), label: `Run ${r.runId} (${fmt.count(r.calls, 'call')})` }))}
          onChange={(v) => set({ runId: v === undefined ? undefined : Number(v) })}
        />
        <Select
          label="Context"
          value={filter.context}
          options={API_CALL_CONTEXTS.map((c) => ({ value: c, label: c }))}
          onChange={(v) => set({ context: v as ApiCallContext | undefined })}
        />
        <Select label="Destination" value={filter.destination} options={names(facets?.destinations)} onChange={(v) => set({ destination: v })} />
        <Select label="Service" value={filter.service} options={names(facets?.services)} onChange={(v) => set({ service: v })} />
        <Select label="Operation" value={filter.operation} options={names(facets?.operations)} onChange={(v) => set({ operation: v })} />
        <Select label="Status" value={filter.status} options={names(facets?.statuses)} onChange={(v) => set({ status: v })} />
        <label className="check">
          <input
            type="checkbox"
            aria-label="Errors only"
            checked={filter.errorsOnly ?? false}
            onChange={(e) => set({ errorsOnly: e.target.checked || undefined })}
          />
          Errors only
        </label>
        <label className="field">
          <span>Search</span>
          <input
            type="search"
            aria-label="Search calls"
            placeholder="operation, error, request id, data…"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      </div>
      <div className="debugger-bar row small">
        <label className="check">
          <input type="checkbox" aria-label="Follow new calls" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow new calls
        </label>
        <button
          type="button"
          disabled={filter.runId === undefined}
          onClick={() => void exportRun('ndjson')}
          title={filter.runId === undefined ? 'Choose a run to export its calls' : undefined}
        >
          Export NDJSON
        </button>
        <button
          type="button"
          disabled={filter.runId === undefined}
          onClick={() => void exportRun('har')}
          title={filter.runId === undefined ? 'Choose a run to export its calls' : undefined}
        >
          Export HAR
        </button>
      </div>
      {facets && facets.total === 0 ? (
        <EmptyState title="No API calls recorded yet">
          <p>
            Every call Sluice makes to a destination — connection tests, syncs, dry runs, reads — is listed here live, with its request, response and timing.
          </p>
        </EmptyState>
      ) : (
        // The list and the detail side by side, sharing the height under the filters: opening a call
        // takes width from the list (it drops its least useful columns), never height.
        <div
          ref={main}
          className={`debugger-main${selected !== null ? ' with-detail' : ''}`}
          style={detailWidth !== null ? ({ '--detail-width': `clamp(300px, ${detailWidth}px, calc(100% - 452px))` } as CSSProperties) : undefined}
        >
          <CallList
            key={JSON.stringify(filter)}
            filter={filter}
            follow={follow}
            onScrollAway={stopFollowing}
            selected={selected}
            onSelect={setSelected}
            onError={onError}
            storeTotal={facets?.total ?? null}
          />
          {selected !== null && (
            <>
              <SplitDivider container={main} width={detailWidth} onWidth={resizeDetail} />
              <CallDetail id={selected} onClose={() => setSelected(null)} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
