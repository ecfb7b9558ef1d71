import type { Destination } from '../../../../../shared/config/destination';
import type { Sync } from '../../../../../shared/config/sync';
import type { SyncSettingsInput } from '../../../../../shared/ipc/channels/sync-admin';
import type { SyncSettingsState } from '../../../views/syncs/sync-settings-state';

/** Where the sync's topic comes from: the destination's, a fixed one, or each row's (a column, a template). */
export type KafkaTopicMode = 'destination' | 'fixed' | 'column' | 'template';

/** The sync form's Kafka fields: tombstones, and the sync's topic (each way's value kept while another is chosen). */
export interface KafkaSyncState {
  kafkaTombstones: boolean;
  kafkaTopicMode: KafkaTopicMode;
  kafkaTopic: string;
  kafkaTopicColumn: string;
  kafkaTopicTemplate: string;
}

export function kafkaSyncState(sync: Sync | undefined): KafkaSyncState {
  const topic = sync?.kafka?.topic;
  return {
    kafkaTombstones: sync?.kafka?.tombstones ?? false,
    kafkaTopicMode: topic?.kind ?? 'destination',
    kafkaTopic: topic?.kind === 'fixed' ? topic.value : '',
    kafkaTopicColumn: topic?.kind === 'column' ? topic.column : '',
    kafkaTopicTemplate: topic?.kind === 'template' ? topic.template : '',
  };
}

/**
 * The topic's way as the form shows it: the destination's topic is no choice for a destination without
 * one (a fixed topic is asked instead, unless the rows name theirs).
 */
export function topicMode(form: Pick<KafkaSyncState, 'kafkaTopicMode'>, destination: Pick<Extract<Destination, { kind: 'kafka' }>, 'topic'>): KafkaTopicMode {
  return form.kafkaTopicMode === 'destination' && !destination.topic ? 'fixed' : form.kafkaTopicMode;
}

/**
 * The Kafka settings to save. A topic from each row needs no topic of the destination, as a run needs
 * none (a row whose topic is empty is not sent).
 */
export function kafkaSettings(form: SyncSettingsState, destination: Extract<Destination, { kind: 'kafka' }>): Partial<SyncSettingsInput> {
  const tombstones = { kafkaTombstones: form.kafkaTombstones };
  switch (topicMode(form, destination)) {
    case 'destination':
      return { ...tombstones, kafkaTopicFrom: { kind: 'destination' } };
    case 'column':
      return { ...tombstones, kafkaTopicFrom: { kind: 'column', column: form.kafkaTopicColumn } };
    case 'template':
      return { ...tombstones, kafkaTopicFrom: { kind: 'template', template: form.kafkaTopicTemplate } };
    default: {
      // A fixed topic chosen and left empty is refused as such; unchosen (the destination has none), the engine says one is needed.
      const topic = form.kafkaTopic.trim();
      return { ...tombstones, ...(topic || form.kafkaTopicMode === 'fixed' ? { kafkaTopic: topic } : {}) };
    }
  }
}
