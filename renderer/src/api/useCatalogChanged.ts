import { useEffect, useRef } from 'react';
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
