import type { Sync } from '../../../../../shared/config/sync';
import type { SyncSettingsInput } from '../../../../../shared/ipc/channels/sync-admin';
import type { SyncSettingsState } from '../../../views/syncs/sync-settings-state';

/** The sync form's Kafka fields: tombstones and the sync's topic. */
export interface KafkaSyncState {
  kafkaTombstones: boolean;
  kafkaTopic: string;
}

export function kafkaSyncState(sync: Sync | undefined): KafkaSyncState {
  return {
    kafkaTombstones: sync?.kafka?.tombstones ?? false,
    kafkaTopic: sync?.kafka?.topic?.kind === 'fixed' ? sync.kafka.topic.value : '',
  };
}

export function kafkaSettings(form: SyncSettingsState): Partial<SyncSettingsInput> {
  return { kafkaTombstones: form.kafkaTombstones, ...(form.kafkaTopic.trim() ? { kafkaTopic: form.kafkaTopic.trim() } : {}) };
}
