import type { FirehoseRouting, Sync } from '../../../../../shared/config/sync';
import type { SyncSettingsState } from '../../../views/syncs/sync-settings-state';

export type Route = { match: string; stream: string };
export type EventNameKind = 'none' | 'column' | 'template';

/** The sync form's Firehose fields: routing by event. */
export interface FirehoseSyncState {
  routing: boolean;
  eventNameKind: EventNameKind;
  eventName: string;
  routes: Route[];
  unmatched: FirehoseRouting['unmatched'];
}

export function firehoseSyncState(sync: Sync | undefined): FirehoseSyncState {
  const routing = sync?.firehose;
  const eventName = routing?.eventName;
  return {
    routing: routing !== undefined,
    eventNameKind: eventName?.kind ?? 'none',
    eventName: eventName ? (eventName.kind === 'column' ? eventName.column : eventName.template) : '',
    routes: routing?.routes ?? [{ match: '*', stream: '' }],
    unmatched: routing?.unmatched ?? 'skip',
  };
}

/** The routes to save (none unless routing is on). */
export function firehoseSettings(form: SyncSettingsState): { firehose: FirehoseRouting | null } {
  if (!form.routing) return { firehose: null };
  const eventName =
    form.eventNameKind === 'column'
      ? { kind: 'column' as const, column: form.eventName }
      : form.eventNameKind === 'template'
        ? { kind: 'template' as const, template: form.eventName }
        : undefined;
  return { firehose: { ...(eventName ? { eventName } : {}), routes: form.routes, unmatched: form.unmatched } };
}
