import { useState } from 'react';
import type { Destination } from '../../../../shared/config/destination';
import { hasKeychainSecret, inUseWords } from '../../../../shared/config/in-use';
import { useSession } from '../../api/context';
import { useSyncs } from '../../api/queries';
import { usersOf } from '../../components/catalog-text';
import { uiKind } from '../../destinations/kinds/registry';

/**
 * A destination's Delete: one a sync sends to is refused at once, naming the syncs (not asked, then refused);
 * else asked in the app (`asking`, as a sync's Delete asks), saying its secrets stay in the keychain only
 * when it has some (the sandbox has none).
 */
export function useDestinationDelete(
  destinations: readonly Destination[] | null,
  onError: (err: unknown) => void,
  onNotice: (notice: string) => void,
  reload: () => Promise<unknown>,
) {
  const { api } = useSession();
  const syncs = (useSyncs().data ?? []).map((x) => x.sync);
  /** The destination being asked about: its noun ("stream", "topic") and whether it has keychain secrets. */
  const [asking, setAsking] = useState<{ name: string; noun: string; secretsStay: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = (name: string) => {
    const users = usersOf(syncs, 'destination', name);
    if (users.length > 0) return onError(new Error(inUseWords({ kind: 'destination', name }, { kind: 'sync', names: users })));
    const destination = destinations?.find((d) => d.name === name);
    setAsking({ name, noun: destination ? uiKind(destination.kind).noun : 'stream', secretsStay: hasKeychainSecret(destination) });
  };
  const confirm = async () => {
    if (!asking) return;
    setBusy(true);
    try {
      await api.deleteDestination({ name: asking.name });
      onNotice(`Deleted "${asking.name}".`);
      await reload();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };
  return { ask, asking, busy, confirm: () => void confirm(), cancel: () => setAsking(null) };
}
