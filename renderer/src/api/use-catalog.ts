import { useEffect } from 'react';
import type { SluiceApi } from '../../../shared/ipc/contract';

/** Runs `reload` now and whenever the catalog changes (in this app, or by `sluice apply`). */
export function useCatalogReload(api: SluiceApi, reload: () => unknown): void {
  useEffect(() => {
    void reload();
    return api.on('catalogChanged', () => void reload());
  }, [api, reload]);
}
