// The sync form's kind-specific settings (Kafka's tombstones and topic, Firehose's routes, Kinesis's
// explicit hash key): each destination kind says which it takes (`EngineKind.syncSettings`); these are
// the pieces the kinds share — refusing the settings of another kind, and keeping the ones that fit.
import type { Destination, DestinationBase } from '../../shared/config/destination';
import type { Sync } from '../../shared/config/sync';
import type { SyncSettings } from '../../shared/ipc/channels/sync-admin';
import type { FieldIssue } from '../../shared/ipc/errors';

/** The sync being saved: what it had, and what the form asks. */
export interface SyncSettingsChange {
  settings: SyncSettings;
  /** The sync as it was (undefined: a new sync). */
  existing?: Sync;
}

/**
 * The sync definition's fields that belong to one kind of destination each, with whom they are for, in
 * words. A sync whose destination's kind does not read one is refused it (`sluice apply`, the app's save).
 */
export const KIND_SYNC_FIELDS = {
  kafka: 'Kafka settings are for Kafka destinations',
  firehose: 'Firehose routes are for Firehose destinations',
  explicitHashKey: 'An explicit hash key is for Kinesis streams',
  partitionKey: "A partition key other than the primary key is for Kinesis streams and Firehose (a Kafka record's key is kafka.key)",
} as const;
export type KindSyncField = keyof typeof KIND_SYNC_FIELDS;

/** What the kind-specific part of a sync's settings does for a destination kind. */
export interface SyncSettingsFit<D extends DestinationBase> {
  /** The kind-specific fields of a sync definition this kind reads (`KIND_SYNC_FIELDS`); any other is refused. */
  readonly fields: readonly KindSyncField[];
  /** Problems with the settings for this destination (another kind's settings are refused). */
  check(d: D, change: SyncSettingsChange): FieldIssue[];
  /** Writes the kind's settings into `next` (the sync being saved), from the form and the sync as it was. */
  apply(next: Sync, base: Pick<Sync, 'kafka' | 'explicitHashKey'>, settings: SyncSettings): void;
}

/** Kafka's settings, refused for a destination of another kind. */
export function refuseKafkaSettings(d: DestinationBase, settings: SyncSettings): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (settings.kafkaTombstones) issues.push({ path: 'settings.kafkaTombstones', message: `Tombstones are for Kafka destinations; "${d.name}" is ${d.kind}` });
  if (settings.kafkaTopic !== undefined) issues.push({ path: 'settings.kafkaTopic', message: `A topic is for Kafka destinations; "${d.name}" is ${d.kind}` });
  if (settings.kafkaTopicFrom !== undefined)
    issues.push({ path: 'settings.kafkaTopicFrom', message: `A topic is for Kafka destinations; "${d.name}" is ${d.kind}` });
  return issues;
}

/** Firehose's event routes, refused for a destination of another kind. */
export function refuseFirehoseRoutes(d: DestinationBase, settings: SyncSettings): FieldIssue[] {
  return settings.firehose !== null ? [{ path: 'settings.firehose', message: `Event routes are for Firehose destinations; "${d.name}" is ${d.kind}` }] : [];
}

/** Kinesis (both kinds): no settings of Kafka or Firehose; the explicit hash key is kept. */
export const kinesisSyncSettings: SyncSettingsFit<Destination> = {
  fields: ['explicitHashKey', 'partitionKey'],
  check: (d, { settings }) => [...refuseKafkaSettings(d, settings), ...refuseFirehoseRoutes(d, settings)],
  apply(next, base) {
    if (base.explicitHashKey) next.explicitHashKey = base.explicitHashKey;
  },
};
