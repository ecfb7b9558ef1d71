import type { Destination } from '../../../../shared/config/destination';
import { hasKeychainSecret, inUseWords } from '../../../../shared/config/in-use';
import { useSession } from '../../api/context';
import { useSyncs } from '../../api/queries';
import { usersOf } from '../../components/catalog-text';

/**
 * A destination's Delete: one a sync sends to is refused at once, naming the syncs (not asked, then refused);
 * else asked, saying its secrets stay in the keychain only when it has some (the sandbox has none).
 */
export function useDestinationDelete(
  destinations: readonly Destination[] | null,
  onError: (err: unknown) => void,
  onNotice: (notice: string) => void,
  reload: () => Promise<unknown>,
) {
  const { api } = useSession();
  const syncs = (useSyncs().data ?? []).map((x) => x.sync);
  return async (name: string) => {
    const users = usersOf(syncs, 'destination', name);
    if (users.length > 0) return onError(new Error(inUseWords({ kind: 'destination', name }, { kind: 'sync', names: users })));
    const secrets = hasKeychainSecret(destinations?.find((d) => d.name === name)) ? ' Its secrets stay in the keychain.' : '';
    if (!window.confirm(`Delete the destination "${name}"?${secrets}`)) return;
    try {
      await api.deleteDestination({ name });
      onNotice(`Deleted "${name}".`);
      await reload();
    } catch (err) {
      onError(err);
    }
  };
}
