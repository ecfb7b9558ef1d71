import type { Destination } from '../../../../shared/config/destination';
import type { Model } from '../../../../shared/config/source';
import { SYNC_EVENTS, type Sync, type SyncEvent } from '../../../../shared/config/sync';
import type { SyncSettingsInput } from '../../../../shared/ipc/channels/sync-admin';
import type { FirehoseSyncState } from '../../destinations/kinds/firehose/firehose-sync';
import type { KafkaSyncState } from '../../destinations/kinds/kafka/kafka-sync';
import { kindSyncStates, uiKind } from '../../destinations/kinds/registry';

interface CommonSyncState {
  name: string;
  model: string;
  destination: string;
  triggers: SyncEvent[];
  initialSync: 'backfill' | 'baseline';
  maxRemovalPercent: string;
}

/** The sync form as typed: the common settings and every destination kind's own (a destination of another kind may be chosen). */
export type SyncSettingsState = CommonSyncState & KafkaSyncState & FirehoseSyncState;

export function initialState(sync: Sync | undefined, models: Model[], destinations: Destination[]): SyncSettingsState {
  return {
    name: sync?.name ?? '',
    model: sync?.model ?? models[0]?.name ?? '',
    destination: sync?.destination ?? destinations[0]?.name ?? '',
    triggers: sync?.triggers ?? ['added', 'changed', 'removed'],
    initialSync: sync?.initialSync ?? 'backfill',
    maxRemovalPercent: sync?.maxRemovalPercent === undefined ? '' : String(sync.maxRemovalPercent),
    ...kindSyncStates(sync),
  };
}

/** The settings to save: the common ones, and the destination kind's own (none of another kind's). */
export function toSettings(form: SyncSettingsState, destination: Destination | undefined): SyncSettingsInput {
  const percent = form.maxRemovalPercent.trim();
  return {
    model: form.model,
    destination: form.destination,
    triggers: SYNC_EVENTS.filter((e) => form.triggers.includes(e)),
    initialSync: form.initialSync,
    ...(percent === '' ? {} : { maxRemovalPercent: Number(percent) }),
    kafkaTombstones: false,
    firehose: null,
    ...(destination ? uiKind(destination.kind).syncSettings?.toSettings(form, destination) : {}),
  };
}
