import type { Destination } from '../../../../shared/config/destination';
import type { KafkaMessage } from '../../../../shared/config/sync';
import type { SyncSettings } from '../../../../shared/ipc/channels/sync-admin';
import { refuseFirehoseRoutes, type SyncSettingsFit } from '../../../sync/sync-settings-fit';

/** The sync's topic after saving: the form's fixed topic or where each row's comes from, else (left out) the sync's own. */
function topicAfter(settings: SyncSettings, kept: KafkaMessage['topic']): KafkaMessage['topic'] {
  const from = settings.kafkaTopicFrom;
  if (settings.kafkaTopic !== undefined) return { kind: 'fixed', value: settings.kafkaTopic };
  if (from === undefined) return kept;
  return from.kind === 'destination' ? undefined : from;
}

/**
 * Kafka syncs: tombstones, and the sync's topic — fixed, or each row's (a column, a template). A row's
 * topic needs no topic of the destination (a row whose topic is empty is not sent), so a destination
 * without one takes a sync whose rows name their topic, as the run requires (`KafkaMessageRenderer`:
 * a sync topic, the destination's, or a topic per trigger).
 */
export const kafkaSyncSettings: SyncSettingsFit<Extract<Destination, { kind: 'kafka' }>> = {
  fields: ['kafka'],
  check(d, { settings, existing }) {
    const kept = existing?.destination === d.name ? existing.kafka : undefined;
    const byTrigger = kept?.topicByTrigger;
    const topic = topicAfter(settings, kept?.topic);
    const noTopic = !d.topic && !topic && !(byTrigger?.added || byTrigger?.changed || byTrigger?.removed);
    const issue = `The destination "${d.name}" has no topic of its own: give this sync one, or take each row's topic from a column`;
    return [
      ...(noTopic ? [{ path: settings.kafkaTopicFrom ? 'settings.kafkaTopicFrom' : 'settings.kafkaTopic', message: issue }] : []),
      ...refuseFirehoseRoutes(d, settings),
    ];
  },
  apply(next, { kafka }, settings) {
    const topic = topicAfter(settings, kafka?.topic);
    if (!kafka && !settings.kafkaTombstones && !topic) return;
    const base: KafkaMessage = { ...(kafka ?? { key: { kind: 'primary-key' }, headers: [], tombstones: false }) };
    delete base.topic;
    next.kafka = { ...base, tombstones: settings.kafkaTombstones, ...(topic ? { topic } : {}) };
  },
};
