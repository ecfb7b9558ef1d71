import { useState } from 'react';
import { useSession } from '../../api/context';
import { useSyncs } from '../../api/queries';
import { renamedNotice, usersOf } from '../../components/catalog-text';

/**
 * A destination's Rename, as a source's and a model's: the engine renames it with its syncs (which keep their
 * history) and its own secrets; the notice says how many syncs followed and each secret's new name, an error stays on the page.
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
      const { destination, movedSecrets } = await api.renameDestination({ name, newName });
      // The secrets it moved, by their new names (Settings → Secrets, or a script rotating one, knows them by those).
      const moved = movedSecrets.map((s) => `"${s.from}" is now "${s.to}"`);
      onRenamed();
      const notice = renamedNotice(name, destination.name, usersOf(syncs, 'destination', name).length, 'sync', '; their history is kept');
      onNotice(moved.length ? `${notice} Its secret${moved.length > 1 ? 's' : ''} ${moved.join(', ')}.` : notice);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, rename };
}
