import type { Destination } from '../../../../shared/config/destination';
import type { Model } from '../../../../shared/config/source';
import { SYNC_EVENTS, type Sync, type SyncEvent } from '../../../../shared/config/sync';
import { plainPercent } from '../../../../shared/config/mass-removal';
import type { SyncSettingsInput } from '../../../../shared/ipc/channels/sync-admin';
import { NameSchema } from '../../../../shared/config/names';
import { SluiceError, type FieldIssue } from '../../../../shared/ipc/errors';
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
    maxRemovalPercent: sync?.maxRemovalPercent === undefined ? '' : plainPercent(sync.maxRemovalPercent), // (String(1e-7) is "1e-7", which the field refused)
    ...kindSyncStates(sync),
  };
}

/** A percent as typed: digits with at most one decimal point (`12.5`), else NaN (`1,5` is never read as 15). */
function percentOf(text: string): number {
  const t = text.trim();
  return /^\d+(?:\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * Why the mass-removal limit as typed is refused (`1,5`, `101`), or null (a percent from 0 to 100, or
 * empty: the default). Fractions are taken as a config file takes them (`maxRemovalPercent: 12.5`): a
 * sync applied so is saved unchanged from its Settings.
 */
export function removalLimitProblem(form: SyncSettingsState): string | null {
  if (form.maxRemovalPercent.trim() === '') return null;
  const n = percentOf(form.maxRemovalPercent);
  return n >= 0 && n <= 100 ? null : 'Mass-removal limit: a percent from 0 to 100 (such as 50 or 12.5), without separators';
}

/**
 * Every problem the form finds before it asks the engine, all at once: a new sync's name (its rules, as the
 * engine's) and the mass-removal limit. (The name's was the engine's alone, so it showed only once the limit
 * was fixed.)
 */
export function formProblems(form: SyncSettingsState, creating: boolean): FieldIssue[] {
  const name = creating ? NameSchema.safeParse(form.name) : null;
  const nameIssue = name && !name.success ? name.error.issues[0] : undefined;
  const limit = removalLimitProblem(form);
  return [...(nameIssue ? [{ path: 'name', message: nameIssue.message }] : []), ...(limit ? [{ path: 'maxRemovalPercent', message: limit }] : [])];
}

/**
 * The settings to save: the common ones, and the destination kind's own (none of another kind's).
 * Throws (in words) for a mass-removal limit that is no percent from 0 to 100.
 */
export function toSettings(form: SyncSettingsState, destination: Destination | undefined): SyncSettingsInput {
  const problem = removalLimitProblem(form);
  if (problem) throw new SluiceError('invalid-input', 'Some settings are not valid', [{ path: '', message: problem }]);
  const percent = form.maxRemovalPercent.trim();
  return {
    model: form.model,
    destination: form.destination,
    triggers: SYNC_EVENTS.filter((e) => form.triggers.includes(e)),
    initialSync: form.initialSync,
    ...(percent === '' ? {} : { maxRemovalPercent: percentOf(percent) }),
    kafkaTombstones: false,
    firehose: null,
    ...(destination ? uiKind(destination.kind).syncSettings?.toSettings(form, destination) : {}),
  };
}
