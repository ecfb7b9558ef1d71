import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LedgerEntry } from '../../../shared/config/sync';
import type { SluiceApi } from '../../../shared/ipc/contract';
import type { SyncSettingsInput } from '../../../shared/ipc/channels/sync-admin';
import { useSession } from './context';

/**
 * The renderer's one way to fetch: TanStack Query over the IPC contract. A query's answer belongs to its
 * key, so a slow older answer never shows for a newer question (no hand-written stale guards), and the
 * engine's events mark what they change as stale (`useEngineInvalidation`).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // An engine error is an answer (a file that is not there, a refused query): asking again would not help.
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}

/** Every key the renderer caches under. Everything under `catalog` is asked again when the catalog changes. */
export const queryKeys = {
  boot: ['boot'] as const,
  catalog: ['catalog'] as const,
  sources: ['catalog', 'sources'] as const,
  models: ['catalog', 'models'] as const,
  destinations: ['catalog', 'destinations'] as const,
  syncs: ['catalog', 'syncs'] as const,
  modelPreview: (model: string, definition: string, limit: number) => ['catalog', 'model-preview', model, definition, limit] as const,
  // What a sync holds (runs, ledger, snapshot, template tests), asked again when a run starts or ends.
  syncFootprint: (sync: string, running: boolean) => ['catalog', 'sync-footprint', sync, running] as const,
  // Whether saving the settings form starts the sync over (the stored sync is what it compares with).
  syncSettingsPreview: (sync: string, settings: string) => ['catalog', 'sync-settings-preview', sync, settings] as const,
  modelDraftPreview: (source: string, query: string, limit: number) => ['catalog', 'model-draft-preview', source, query, limit] as const,
  // Asked again when their input changes or the view opens, not on every catalog change: each one reads
  // the model or calls the destination.
  routing: (sync: string, request: string) => ['routing', sync, request] as const,
  // Every routing preview of a sync, asked again once its payload or properties are saved.
  syncRouting: (sync: string) => ['routing', sync] as const,
  inspectTargets: (destination: string) => ['inspect-targets', destination] as const,
  outputDiagnostics: (request: string) => ['output-diagnostics', request] as const,
  payloadPreview: (sync: { name: string; model: string; destination: string }, request: string) =>
    ['payload-preview', sync.name, sync.model, sync.destination, request] as const,
  apiCall: (id: number) => ['api-call', id] as const,
  // A sync's run history, asked again when a run ends; a run's detail and its records (ledger search).
  runs: ['runs'] as const,
  syncRuns: (sync: string) => ['runs', sync] as const,
  run: (runId: number) => ['run', runId] as const,
  ledger: (runId: number, text: string, status: string) => ['ledger', runId, text, status] as const,
};

/**
 * Keeps the cache true to the engine: a catalog change (in this app, or by `sluice apply` in another
 * process) marks every catalog query stale and fetches the ones on screen again; a run that starts
 * (first seen) or ends refreshes the syncs (their last run and status) and the run histories.
 */
export function useEngineInvalidation(api: SluiceApi | null): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!api) return;
    const offCatalog = api.on('catalogChanged', () => void client.invalidateQueries({ queryKey: queryKeys.catalog }));
    // A run first seen (one `sluice sync run` started in another process shows as running in the list and
    // the history at once, not only when it ends), and a run's end.
    const seen = new Set<number>();
    const offRuns = api.on('runProgress', (run) => {
      if (run.status === 'running' && seen.has(run.id)) return;
      seen.add(run.id);
      void client.invalidateQueries({ queryKey: queryKeys.syncs });
      void client.invalidateQueries({ queryKey: queryKeys.syncRuns(run.sync) });
      // A run's page opened while it ran (its history row shows at its start) is read again at its end: its records, its rejects.
      if (run.status !== 'running') {
        void client.invalidateQueries({ queryKey: queryKeys.run(run.id) });
        void client.invalidateQueries({ queryKey: ['ledger', run.id] });
      }
    });
    return () => {
      offCatalog();
      offRuns();
    };
  }, [api, client]);
}

export const useSources = () => {
  const { api } = useSession();
  return useQuery({ queryKey: queryKeys.sources, queryFn: () => api.listSources({}) });
};
export const useModels = () => {
  const { api } = useSession();
  return useQuery({ queryKey: queryKeys.models, queryFn: () => api.listModels({}) });
};
export const useDestinations = () => {
  const { api } = useSession();
  return useQuery({ queryKey: queryKeys.destinations, queryFn: () => api.listDestinations({}) });
};
export const useSyncs = () => {
  const { api } = useSession();
  return useQuery({ queryKey: queryKeys.syncs, queryFn: () => api.listSyncs({}) });
};

/** A saved model's first rows (asked again when the model's definition changes). */
export const useModelPreview = (model: { name: string } | undefined, limit: number) => {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.modelPreview(model?.name ?? '', model ? JSON.stringify(model) : '', limit),
    queryFn: () => api.previewModel({ model: model!.name, limit }),
    enabled: model !== undefined,
  });
};
/** A model not saved yet: its first rows from a source (a query for a SQL source, none for a file). */
export const useModelDraftPreview = (draft: { source: string; query: string } | null, limit: number, enabled: boolean) => {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.modelDraftPreview(draft?.source ?? '', draft?.query ?? '', limit),
    queryFn: () => api.previewModelDraft({ source: draft!.source, ...(draft!.query ? { query: draft!.query } : {}), limit }),
    enabled: draft !== null && enabled,
  });
};
/** What deleting or resetting a sync would clear; the last answer stays while a newer one is asked. */
export const useSyncFootprint = (sync: string, running: boolean) => {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.syncFootprint(sync, running),
    queryFn: () => api.syncFootprint({ name: sync }),
    placeholderData: (previous) => previous,
  });
};
/**
 * Whether saving these settings would start the sync over, the engine's answer (none while the settings
 * cannot be saved); the last answer stays while the next is asked, so a note does not blink as one types.
 */
export const useSyncSettingsPreview = (sync: string | undefined, settings: SyncSettingsInput | null) => {
  const { api } = useSession();
  const asked = JSON.stringify(settings);
  return useQuery({
    queryKey: queryKeys.syncSettingsPreview(sync ?? '', asked),
    queryFn: () => api.previewSyncSettings({ name: sync!, settings: JSON.parse(asked) as SyncSettingsInput }),
    enabled: sync !== undefined && settings !== null,
    placeholderData: (previous) => previous,
  });
};
/** A sync's last 50 runs, newest first. */
export const useSyncRuns = (sync: string) => {
  const { api } = useSession();
  return useQuery({ queryKey: queryKeys.syncRuns(sync), queryFn: () => api.listRuns({ sync, limit: 50 }) });
};
/** While a run runs, its page (summary, records) is read again this often: the records it writes show as it goes. */
export const RUNNING_REFRESH_MS = 3000;
/** One run's summary and the rows it rejected (read again every few seconds while it runs). */
export const useRun = (runId: number) => {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.run(runId),
    queryFn: () => api.getRun({ runId }),
    refetchInterval: (query) => (query.state.data?.run.status === 'running' ? RUNNING_REFRESH_MS : false),
  });
};
/** A run's records (its ledger) matching a text and a status, at most 200; read again every few seconds while the run runs. */
export const useLedgerSearch = (runId: number, text: string, status: LedgerEntry['status'] | '', running = false) => {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.ledger(runId, text, status),
    queryFn: () => api.searchLedger({ runId, text: text || undefined, status: status || undefined, limit: 200 }),
    refetchInterval: running ? RUNNING_REFRESH_MS : false,
  });
};

/**
 * An error with a Dismiss: hidden once dismissed, shown again only when a later attempt fails anew (a
 * new error). Pages pass the error of their last action or of their queries: each dismissed one stays hidden.
 */
export function useDismissable(error: unknown): [unknown, () => void] {
  const [dismissed, setDismissed] = useState<readonly unknown[]>([]);
  const shown = error !== null && error !== undefined && !dismissed.includes(error) ? error : null;
  return [shown, () => setDismissed((d) => [...d.slice(-20), error])];
}

/**
 * The last answer a query or mutation had, kept on screen while the next one is asked and when it
 * fails (as a preview stays under its error); `scope` starts afresh (another destination, another sync).
 */
export function useLastAnswer<T>(data: T | undefined, scope = ''): T | undefined {
  const [last, setLast] = useState<{ scope: string; data: T | undefined }>({ scope, data });
  if (last.scope !== scope) {
    setLast({ scope, data });
    return data;
  }
  if (data !== undefined && data !== last.data) {
    setLast({ scope, data });
    return data;
  }
  return last.data;
}

/** The answer to the last question that settled: its key, and its value (null when it failed). */
export interface SettledAnswer<T> {
  key: string;
  value: T | null;
}

/**
 * The last question (`asked`) that was answered or failed, with its key: a caller shows `value` as this
 * question's only when `key` is the question now being edited, and as an earlier one's otherwise (marked so,
 * nothing done with it); a failure leaves no answer to show. `data` is the query's own answer, never a placeholder.
 */
export function useSettledAnswer<T>(asked: string, data: T | undefined, error: unknown): SettledAnswer<T> | null {
  const [last, setLast] = useState<(SettledAnswer<T> & { error: unknown }) | null>(null);
  const now = data !== undefined ? { key: asked, value: data, error: null } : error ? { key: asked, value: null, error } : null;
  if (now && (last === null || last.key !== now.key || last.value !== now.value || last.error !== now.error)) {
    setLast(now);
    return now;
  }
  return last;
}

/** `value`, once it has stopped changing for `ms` (a preview asked for while the user types). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
