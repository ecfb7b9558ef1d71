import { useState } from 'react';
import { useSession } from '../../api/context';
import { useSyncs } from '../../api/queries';
import { renamedNotice, usersOf } from '../../components/catalog-text';

/**
 * A destination's Rename, as a source's and a model's: the engine renames it with its syncs (which keep their
 * history) and its own secrets; the notice says how many syncs followed, an error stays on the page.
 */
export function useDestinationRename(onError: (err: unknown) => void, onNotice: (notice: string | null) => void, onRenamed: () => void) {
  const { api } = useSession();
  const syncs = (useSyncs().data ?? []).map((x) => x.sync);
  const [busy, setBusy] = useState(false);
  const rename = async (name: string, newName: string) => {
    setBusy(true);
    onError(null);
    onNotice(null);
    try {
      await api.renameDestination({ name, newName });
      onRenamed();
      onNotice(renamedNotice(name, newName, usersOf(syncs, 'destination', name).length, 'sync', '; their history is kept'));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, rename };
}
