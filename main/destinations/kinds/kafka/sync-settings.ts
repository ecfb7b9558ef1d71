import type { Destination } from '../../../../shared/config/destination';
import { refuseFirehoseRoutes, type SyncSettingsFit } from '../../../sync/sync-settings-fit';

/** Kafka syncs: tombstones, and a topic of their own when the destination has none. */
export const kafkaSyncSettings: SyncSettingsFit<Extract<Destination, { kind: 'kafka' }>> = {
  fields: ['kafka'],
  check(d, { settings, existing }) {
    const keepsTopic = existing?.destination === d.name && Boolean(existing.kafka?.topic || existing.kafka?.topicByTrigger);
    const noTopic = !d.topic && settings.kafkaTopic === undefined && !keepsTopic;
    return [
      ...(noTopic ? [{ path: 'settings.kafkaTopic', message: `The destination "${d.name}" has no topic of its own: give this sync one` }] : []),
      ...refuseFirehoseRoutes(d, settings),
    ];
  },
  apply(next, { kafka }, settings) {
    if (!kafka && !settings.kafkaTombstones && settings.kafkaTopic === undefined) return;
    next.kafka = {
      ...(kafka ?? { key: { kind: 'primary-key' }, headers: [] }),
      tombstones: settings.kafkaTombstones,
      ...(settings.kafkaTopic !== undefined ? { topic: { kind: 'fixed', value: settings.kafkaTopic } } : {}),
    };
  },
};
