import type { ComponentType, ReactNode } from 'react';
import type { Destination, DestinationDraft } from '../../../../shared/config/destination';
import type { InspectedRecord, InspectReadRequest, InspectTargets, StartPosition } from '../../../../shared/config/inspector';
import type { Column } from '../../../../shared/config/source';
import type { Sync } from '../../../../shared/config/sync';
import type { AwsProfile } from '../../../../shared/destinations/aws-profile';
import type { SecretRef } from '../../../../shared/ipc/contract';
import type { FieldIssue } from '../../../../shared/ipc/errors';
import type { StreamSpec, TestRecord } from '../../../../shared/ipc/channels/streams';
import type { SyncSettingsInput } from '../../../../shared/ipc/channels/sync-admin';
import type { MessageProps } from '../../views/payload/message-props';
import type { SyncSettingsState } from '../../views/syncs/sync-settings-state';
import type { SecretField, SecretKey, WizardForm } from '../wizard-state';
import type { CreateTargetForm } from './shared/create-target-form';

export type DestinationKind = Destination['kind'];
export type DestinationOf<K extends DestinationKind> = Extract<Destination, { kind: K }>;
/** The kinds the wizard makes and edits (the sandbox is built in). */
export type WizardKind = Exclude<DestinationKind, 'sandbox-kinesis'>;
/** The kind the engine reports for targets, reads, read-backs and landings: the sandbox is a Kinesis stream. */
export type WireKind = 'kinesis' | 'kafka' | 'firehose';
export type WireOf<K extends DestinationKind> = K extends 'sandbox-kinesis' ? 'kinesis' : K;

/** What a kind's wizard fields are given. */
export interface WizardFieldsProps {
  form: WizardForm;
  set<Key extends keyof WizardForm>(key: Key, value: WizardForm[Key]): void;
  setForm(update: (f: WizardForm) => WizardForm): void;
  /** A secret field, its new value named after the destination until the user names it. */
  secretInput(key: SecretKey, label: string, options?: { reveal?: boolean; onChange?: (next: SecretField) => void }): ReactNode;
  /** The AWS profiles (null until listed). */
  profiles: AwsProfile[] | null;
  secrets: SecretRef[];
}

/** The destination wizard's part of a kind: its connection fields, the form's defaults and the draft it makes. */
export interface WizardUi<K extends WizardKind> {
  /** Under the label on the Type step. */
  about: string;
  /** The form's fields that differ from the common defaults. */
  defaults: Partial<WizardForm>;
  /** Whether the form signs with AWS credentials, so the default chain's profiles are listed (Kinesis, Firehose; Kafka with MSK IAM). */
  listsAwsProfiles(form: WizardForm): boolean;
  /** Whether a stream must be chosen before Review (Kafka may take the topic from each row). */
  targetRequired: boolean;
  /** The target picker's empty choice. */
  noTarget: string;
  /** Whether the review step asks about reading the stream with the inspector (its IAM policy then allows reads). */
  asksInspector: boolean;
  /** The secret fields the current settings use. */
  secretsInUse(f: WizardForm): SecretKey[];
  /** Problems of fields the draft's schema lets pass that the form says at the field and before a test (Kafka's broker ports). */
  fieldProblems?(f: WizardForm): FieldIssue[];
  /** The draft the engine tests, lists and saves. */
  toDraft(f: WizardForm, name: string, target: string): Extract<DestinationDraft, { kind: K }>;
  /** A saved destination's settings into the form (Edit). */
  toForm(d: DestinationOf<K>, f: WizardForm): void;
  ConnectionFields: ComponentType<WizardFieldsProps>;
}

export interface CreateTargetFieldsProps {
  form: CreateTargetForm;
  set<Key extends keyof CreateTargetForm>(key: Key, value: CreateTargetForm[Key]): void;
  /** A text field whose issue (`create.<name>`) shows under it. */
  field(
    label: string,
    key: keyof CreateTargetForm,
    name: string,
    props?: { placeholder?: string; type?: string; inputMode?: 'numeric'; autoComplete?: string },
  ): ReactNode;
}

/** The wizard's "Create a new …" form. */
export interface CreateTargetUi {
  /** The spec's fields: their issues show under the field, not again in the banner. */
  fields: string[];
  spec(f: CreateTargetForm): StreamSpec;
  Fields: ComponentType<CreateTargetFieldsProps>;
}

export type TargetsOf<W extends WireKind> = Extract<InspectTargets, { kind: W }>;
export type StartKind = StartPosition['at'];

/** The inspector's read form for a kind. */
export interface InspectorUi<W extends WireKind> {
  /** The stream shown, or the topic picker. */
  Target: ComponentType<{ targets: TargetsOf<W>; topic: string; onTopic(topic: string): void }>;
  /** The topic read until one is picked. */
  defaultTopic(targets: TargetsOf<W>): string;
  /** Shards or partitions one may limit a read to, and where it starts; none: the records come from the ledger. */
  parts?: { label: string; choices(targets: TargetsOf<W>, topic: string): string[]; starts: [StartKind, string][] };
  request(topic: string, parts: string[], from: StartPosition): Partial<InspectReadRequest>;
  /** The read button. */
  readLabel: string;
}

/** The records a kind's stream gives back (Firehose's come from the ledger, shown generically). */
export interface RecordsUi<W extends WireKind> {
  Rows: ComponentType<{ records: Extract<InspectedRecord, { kind: W }>[] }>;
  /** A record's bytes as text (null: not text). */
  text(record: Extract<InspectedRecord, { kind: W }>): string | null;
}

/** What the engine reports about a kind's stream: reads, read-backs, landings. */
export interface WireUi<W extends WireKind> {
  /** Whether records can be read from the stream (inspector read-back, capture); Firehose's cannot. */
  readable: boolean;
  inspector: InspectorUi<W>;
  records?: RecordsUi<W>;
  /** Where a test record landed. */
  Landed: ComponentType<{ landed: Extract<TestRecord['landed'], { kind: W }> }>;
}

export interface MessagePropertiesProps<K extends DestinationKind> {
  destination: DestinationOf<K>;
  columns: Column[];
  value: MessageProps;
  onChange(v: MessageProps): void;
}

export interface SyncSectionProps<K extends DestinationKind> {
  destination: DestinationOf<K>;
  form: SyncSettingsState;
  set<Key extends keyof SyncSettingsState>(key: Key, value: SyncSettingsState[Key]): void;
}

/** A kind's own settings in the sync form. */
export interface SyncSettingsUi<K extends DestinationKind, S> {
  /** This kind's fields of the form, from the sync being edited (or a new sync's defaults). */
  initial(sync: Sync | undefined): S;
  /** The kind's settings to save, from the form, for the destination chosen. */
  toSettings(form: SyncSettingsState, destination: DestinationOf<K>): Partial<SyncSettingsInput>;
  /**
   * What sends the sync's records elsewhere, as the "Starts over" note begins ("With another topic"): the
   * engine says whether a save does (`previewSyncSettings`, `previewSyncSave`), the kind only how to say it.
   */
  elsewhere: string;
  Section: ComponentType<SyncSectionProps<K>>;
}

interface KindBase<K extends DestinationKind> {
  kind: K;
  /** The kind's name in the destination list and the wizard: "Amazon Kinesis Data Streams". */
  label: string;
  /** The kind in a picker's parentheses: "Kinesis". */
  shortLabel: string;
  /** What records go to: "stream", "delivery stream", "topic". */
  noun: string;
  /** The stream or topic a destination sends to, as the list shows it. */
  target(d: DestinationOf<K>): string;
  /** Where the destination is (region and endpoint, brokers and auth…). */
  where(d: DestinationOf<K>): string;
  wire: WireUi<WireOf<K>>;
  MessageProperties: ComponentType<MessagePropertiesProps<K>>;
  /** Its own section of the sync form (Kafka, Firehose); its state type is the kind's (the registry names it). */
  syncSettings?: SyncSettingsUi<K, unknown>;
  /** Capture: whether the user names what to capture (a Kafka destination whose syncs choose their topics has none of its own). */
  captureAsks?(d: DestinationOf<K>): boolean;
}

/** A destination kind's UI: every kind the wizard makes has its wizard and create form. */
export type UiKind<K extends DestinationKind> = KindBase<K> &
  ([K] extends [WizardKind] ? { wizard: WizardUi<K>; createTarget: CreateTargetUi } : { wizard?: WizardUi<K & WizardKind>; createTarget?: CreateTargetUi });
