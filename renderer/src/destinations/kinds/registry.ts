import type { Destination } from '../../../../shared/config/destination';
import type { InspectedRecord, InspectTargets } from '../../../../shared/config/inspector';
import type { Sync } from '../../../../shared/config/sync';
import { firehoseKind } from './firehose';
import { kafkaKind } from './kafka';
import { kinesisKind } from './kinesis';
import { sandboxKinesisKind } from './sandbox-kinesis';
import type { DestinationKind, DestinationOf, InspectorUi, RecordsUi, UiKind, WireKind, WireUi, WizardKind } from './types';

/**
 * Every destination kind's UI, in one place: generic views ask the kind (its label, wizard fields,
 * message properties, sync settings, inspector form, records, landings) instead of branching on it.
 * In the wizard's order; the sandbox, built in, last.
 */
export const UI_KINDS = {
  kinesis: kinesisKind,
  firehose: firehoseKind,
  kafka: kafkaKind,
  'sandbox-kinesis': sandboxKinesisKind,
} satisfies { [K in DestinationKind]: UiKind<K> };

/** A kind's UI. (The registry's type checks each entry against its own kind; here the kind may be any of them.) */
export function uiKind<K extends DestinationKind>(kind: K): UiKind<K> {
  return UI_KINDS[kind] as unknown as UiKind<K>;
}

/** The kinds the wizard makes, in its order. */
export const WIZARD_KINDS = (Object.keys(UI_KINDS) as DestinationKind[]).filter((k): k is WizardKind => uiKind(k).wizard !== undefined);

export function wizardOf<K extends WizardKind>(kind: K): UiKind<K>['wizard'] {
  return uiKind(kind).wizard;
}

export type EditableDestination = DestinationOf<WizardKind>;

/** Whether the wizard edits this destination (the sandbox is Sluice's own). */
export function isEditable(d: Destination): d is EditableDestination {
  return uiKind(d.kind).wizard !== undefined;
}

/** The stream or topic a destination sends to, and where it is, as the destination list shows them. */
export function describeDestination(d: Destination): { target: string; where: string } {
  const kind = uiKind(d.kind) as UiKind<DestinationKind>;
  return { target: kind.target(d), where: kind.where(d) };
}

/** Whether a capture of `d` needs the user to name its topic (it has none of its own). */
export function captureAsksTopic(d: Destination): boolean {
  const kind = uiKind(d.kind) as UiKind<DestinationKind>;
  return kind.captureAsks?.(d) ?? false;
}

/** Whether a destination's records can be read back (inspector read-back, capture): not Firehose's. */
export function isReadable(kind: DestinationKind): boolean {
  return uiKind(kind).wire.readable;
}

/** The inspector's form for what a destination offers to read. */
export function inspectorOf(targets: InspectTargets): InspectorUi<WireKind> {
  return wireOf(targets.kind).inspector;
}

/** The records of a read as their kind shows them; none for records from the ledger (Firehose). */
export function recordsOf(kind: InspectedRecord['kind']): RecordsUi<WireKind> | undefined {
  return kind === 'ledger' ? undefined : wireOf(kind).records;
}

/** What the engine reports about a kind's stream (its targets, reads, landings); the sandbox's is Kinesis's. */
export function wireOf(kind: WireKind): WireUi<WireKind> {
  return uiKind(kind).wire as WireUi<WireKind>;
}

/** Every kind's own fields of the sync form (a destination of another kind may be chosen later). */
export function kindSyncStates(sync: Sync | undefined) {
  return { ...UI_KINDS.kafka.syncSettings.initial(sync), ...UI_KINDS.firehose.syncSettings.initial(sync) };
}
