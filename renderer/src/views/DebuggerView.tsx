import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { ApiCallFilter } from '../../../shared/debugger/api-call';
import { useSession } from '../api/context';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { CallDetail } from '../debugger/CallDetail';
import { CallList } from '../debugger/CallList';
import { DebuggerBar, DebuggerFilters } from '../debugger/DebuggerFilters';
import { EXPORT_TYPE, withSearchText } from '../debugger/debugger-state';
import { download } from '../debugger/download';
import { SplitDivider } from '../debugger/SplitDivider';
import { useApiCallFacets } from '../debugger/useApiCalls';
import { useDetailWidth } from '../debugger/use-detail-width';
import '../debugger/debugger.css';

/** Every call Sluice made to a destination: live list, filters, search, detail beside the list (resizable), export. */
export function DebuggerView() {
  const { api } = useSession();
  const [chosen, setFilter] = useState<ApiCallFilter>({});
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [follow, setFollow] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const onError = useCallback((err: unknown) => setError(err), []);
  const stopFollowing = useCallback(() => setFollow(false), []);
  const facets = useApiCallFacets(api, onError);
  // A destination filtered on that has no calls any more (it was renamed) is let go of.
  const gone = facets !== null && chosen.destination !== undefined && !facets.destinations.includes(chosen.destination);
  const filter = useMemo(() => (gone ? { ...chosen, destination: undefined } : chosen), [gone, chosen]);
  const main = useRef<HTMLDivElement>(null);
  const [detailWidth, resizeDetail] = useDetailWidth();

  // Search as you type, without a query per key press.
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => withSearchText(f, text)), 250);
    return () => clearTimeout(t);
  }, [text]);

  const exportRun = async (format: 'ndjson' | 'har') => {
    if (filter.runId === undefined) return;
    try {
      const out = await api.exportApiCalls({ runId: filter.runId, format });
      download(out.fileName, out.content, EXPORT_TYPE[format]);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="page debugger">
      <h1>Debugger</h1>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <DebuggerFilters filter={filter} facets={facets} onFilter={(patch) => setFilter((f) => ({ ...f, ...patch }))} text={text} onText={setText} />
      <DebuggerBar follow={follow} onFollow={setFollow} runId={filter.runId} onExport={(format) => void exportRun(format)} />
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
