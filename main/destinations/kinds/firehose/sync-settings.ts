import type { Destination } from '../../../../shared/config/destination';
import { refuseKafkaSettings, type SyncSettingsFit } from '../../../sync/sync-settings-fit';

/** Firehose syncs: event → delivery stream routes. */
export const firehoseSyncSettings: SyncSettingsFit<Extract<Destination, { kind: 'firehose' }>> = {
  fields: ['firehose', 'partitionKey'],
  check: (d, { settings }) => refuseKafkaSettings(d, settings),
  apply(next, _base, settings) {
    if (settings.firehose) next.firehose = settings.firehose;
  },
};
