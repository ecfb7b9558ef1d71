import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiCallFacets, ApiCallFilter, ApiCallSummary } from '../../../shared/debugger/api-call';
import type { SluiceApi } from '../../../shared/ipc/contract';

export const PAGE_SIZE = 200;
/** Live updates are applied at most this often. */
export const LIVE_INTERVAL_MS = 300;
/** The filter menus (a scan of the whole store) are refreshed at most this often during a run. */
export const FACETS_INTERVAL_MS = 5000;

/** Calls `fn` with the number of calls recorded meanwhile, at most every `intervalMs` while calls are being recorded. */
function useLiveCalls(api: SluiceApi, fn: (recorded: number) => void, intervalMs = LIVE_INTERVAL_MS): void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let recorded = 0;
    const off = api.on('apiCallsRecorded', ({ calls }) => {
      recorded += calls.length;
      timer ??= setTimeout(() => {
        timer = undefined;
        const n = recorded;
        recorded = 0;
        latest.current(n);
      }, intervalMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, intervalMs]);
}

/** The values present in the store, for the filter menus; refreshed every few seconds while calls arrive. */
export function useApiCallFacets(api: SluiceApi, onError: (err: unknown) => void): ApiCallFacets | null {
  const [facets, setFacets] = useState<ApiCallFacets | null>(null);
  const load = useCallback(() => {
    api.listApiCallFacets({}).then(setFacets, onError);
  }, [api, onError]);
  useEffect(load, [load]);
  useLiveCalls(api, load, FACETS_INTERVAL_MS);
  // A destination renamed: its calls are listed under the new name.
  useEffect(() => api.on('catalogChanged', load), [api, load]);
  return facets;
}

/**
 * Pages of recorded calls for one filter (mount anew for another filter), loaded as the list
 * scrolls to them. Calls only ever append (ordered by id), so new calls refresh the total, the
 * visible pages and the last page. A text search (a scan of every stored request and response) is
 * not re-run live: `newCalls` counts what was recorded since, and `refresh` runs it again.
 */
export function useApiCalls(api: SluiceApi, filter: ApiCallFilter, onError: (err: unknown) => void) {
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<ReadonlyMap<number, ApiCallSummary[]>>(new Map());
  const loading = useRef(new Set<number>());
  const loaded = useRef(new Set<number>());
  const range = useRef<[number, number]>([0, 0]);
  const totalRef = useRef(0);
  const [newCalls, setNewCalls] = useState(0);
  const searching = Boolean(filter.text?.trim());

  const loadPage = useCallback(
    (page: number, force = false): void => {
      if (loading.current.has(page) || (!force && loaded.current.has(page))) return;
      loading.current.add(page);
      api
        .listApiCalls({ ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then((result) => {
          loaded.current.add(page);
          totalRef.current = result.total;
          setTotal(result.total);
          setPages((prev) => new Map(prev).set(page, result.calls));
        }, onError)
        .finally(() => loading.current.delete(page));
    },
    [api, filter, onError],
  );

  // The first page (the list asks for more as it scrolls).
  useEffect(() => loadPage(0), [loadPage]);

  const onRange = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) loadPage(p);
    },
    [loadPage],
  );

  const refresh = useCallback(() => {
    const [first, last] = range.current;
    const wanted = new Set<number>([Math.floor(totalRef.current / PAGE_SIZE)]);
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) wanted.add(p);
    for (const p of wanted) loadPage(p, true);
  }, [loadPage]);
  const onRecorded = useCallback((recorded: number) => (searching ? setNewCalls((n) => n + recorded) : refresh()), [searching, refresh]);
  useLiveCalls(api, onRecorded);
  // A destination renamed: the pages loaded say its new name (a text search is not run again for it).
  useEffect(() => api.on('catalogChanged', () => searching || refresh()), [api, refresh, searching]);
  const showNewCalls = useCallback(() => {
    setNewCalls(0);
    refresh();
  }, [refresh]);

  const callAt = (index: number): ApiCallSummary | undefined => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  return { total, callAt, onRange, newCalls, showNewCalls };
}
