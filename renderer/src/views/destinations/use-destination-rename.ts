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
      const before = (await api.listSecrets({})).map((s) => s.name);
      const renamed = await api.renameDestination({ name, newName });
      const after = new Set((await api.listSecrets({})).map((s) => s.name));
      // The secrets it moved, by their new names (Settings → Secrets, or a script rotating one, knows them by those).
      const moved = before.filter((s) => !after.has(s) && s.startsWith(`${name}/`)).map((s) => `"${s}" is now "${renamed.name}/${s.slice(name.length + 1)}"`);
      onRenamed();
      const notice = renamedNotice(name, renamed.name, usersOf(syncs, 'destination', name).length, 'sync', '; their history is kept');
      onNotice(moved.length ? `${notice} Its secret${moved.length > 1 ? 's' : ''} ${moved.join(', ')}.` : notice);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, rename };
}
