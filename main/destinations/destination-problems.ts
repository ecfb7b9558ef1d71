import type { Destination } from '../../shared/config/destination';
import type { Sync } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { KIND_SYNC_FIELDS, type KindSyncField } from '../sync/sync-settings-fit';
import { engineKind } from './kinds/registry';

/**
 * Refuses a destination every use of which would fail though its schema takes it (a broker port past
 * 65535, a topic or sandbox stream name the service refuses: the kind's `useProblems`). Not in the
 * schemas, since destinations saved so must still list and export; `sluice apply` and the app's save
 * refuse them, naming the field, where a run would fail on them only once sending.
 */
export function assertUsableDestination(d: Destination, pathPrefix = ''): void {
  const issues = engineKind(d.kind).useProblems?.(d as never) ?? [];
  if (issues.length > 0)
    throw new SluiceError(
      'invalid-input',
      `The destination "${d.name}" cannot be used: ${issues[0]!.message}`,
      issues.map((i) => ({ ...i, path: pathPrefix + i.path })),
    );
}

/** Whether the sync sets `field` (the partition key always has one, the primary key by default: only another counts). */
function isSet(sync: Pick<Sync, KindSyncField>, field: KindSyncField): boolean {
  if (field === 'partitionKey') return sync.partitionKey !== undefined && sync.partitionKey.kind !== 'primary-key';
  return sync[field] !== undefined;
}

/**
 * The sync's settings that belong to another kind of destination than `d` (Kafka settings on a sync to a
 * Kinesis stream, Firehose routes or an explicit hash key on one to Kafka…), each with why: its runs would
 * ignore them. Not in the schema, since syncs saved so before must still open, run and export.
 */
export function otherKindFields(d: Destination, sync: Pick<Sync, KindSyncField>): { field: KindSyncField; why: string }[] {
  const own = engineKind(d.kind).syncSettings.fields;
  const label = engineKind(d.kind).label(d as never);
  return (Object.keys(KIND_SYNC_FIELDS) as KindSyncField[])
    .filter((f) => isSet(sync, f) && !own.includes(f))
    .map((field) => ({ field, why: `${KIND_SYNC_FIELDS[field]}, and "${d.name}" is ${label}` }));
}

/** Refuses a sync with settings of another kind of destination than its own (`sluice apply`, the app's save), naming each field. */
export function assertSyncFitsDestination(d: Destination, sync: Pick<Sync, 'name' | KindSyncField>): void {
  const misfits = otherKindFields(d, sync);
  if (misfits.length === 0) return;
  const own = engineKind(d.kind).syncSettings.fields.filter((f) => f !== 'partitionKey'); // the partition key: a field of every sync
  const its = own.length > 0 ? ` (the settings of its kind: ${own.join(', ')})` : '';
  throw new SluiceError(
    'invalid-input',
    `The sync "${sync.name}" has settings that do not apply to its destination "${d.name}" (${engineKind(d.kind).label(d as never)})`,
    misfits.map((m) => ({ path: m.field, message: `${m.why}: its runs would ignore this field. Remove it${its}` })),
  );
}
