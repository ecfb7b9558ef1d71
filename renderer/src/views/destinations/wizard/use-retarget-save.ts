import { useState } from 'react';
import type { Destination } from '../../../../../shared/config/destination';
import type { ChannelOutput, SluiceApi } from '../../../../../shared/ipc/contract';

/** The syncs a save would make start over, and whether each runs now. */
export type StartsOver = ChannelOutput<'previewDestinationSave'>['startsOver'];

/** A save waiting for the user's yes: the destination as it will be saved, and the syncs it makes start over. */
export interface PendingRetarget {
  destination: Destination;
  startsOver: StartsOver;
}

/**
 * Saving from the wizard: an edit that points the destination elsewhere first asks the engine which syncs
 * would start over (the save's own rule) and waits for `confirm`; any other save goes straight through.
 * `onDone` hears the syncs that did start over.
 */
export function useRetargetSave(
  api: SluiceApi,
  editing: boolean,
  run: (label: string, work: () => Promise<void>) => Promise<void>,
  onDone: (saved: Destination, startedOver: string[]) => void,
) {
  const [pending, setPending] = useState<PendingRetarget | null>(null);
  const commit = async (destination: Destination) => {
    const saved = await api.saveDestination({ destination, mode: editing ? 'update' : 'create' });
    onDone(saved.destination, saved.startedOver);
  };
  const save = (destination: Destination) =>
    run('Saving…', async () => {
      if (editing) {
        const { startsOver } = await api.previewDestinationSave({ destination });
        if (startsOver.length > 0) return setPending({ destination, startsOver });
      }
      await commit(destination);
    });
  const confirm = () => {
    if (!pending) return;
    setPending(null);
    void run('Saving…', () => commit(pending.destination));
  };
  return { pending, save, confirm, cancel: () => setPending(null) };
}
