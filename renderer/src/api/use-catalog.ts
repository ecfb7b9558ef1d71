import { useEffect, useRef } from 'react';
import type { SluiceApi } from '../../../shared/ipc/contract';
import { useSession } from './context';

/**
 * Calls `onChange` whenever the catalog (sources, models, destinations, syncs) changes — in this app, or
 * in another process using the workspace, such as `sluice apply` (the engine's catalogChanged event).
 */
export function useCatalogChanged(onChange: () => void): void {
  const { api } = useSession();
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);
  useEffect(() => api.on('catalogChanged', () => latest.current()), [api]);
}

/** Runs `reload` now and whenever the catalog changes (in this app, or by `sluice apply`). */
export function useCatalogReload(api: SluiceApi, reload: () => unknown): void {
  useEffect(() => {
    void reload();
    return api.on('catalogChanged', () => void reload());
  }, [api, reload]);
}
