// What the engine asks a destination kind. One object per kind (kinds/<kind>/index.ts), registered in
// registry.ts (or at runtime, `registerEngineKind`); generic code (runs, dry runs, the inspector, capture,
// the wizard's create and test) asks the kind instead of branching on `destination.kind`.
import type { ConnectionTest } from '../../../shared/config/connection-test';
import type { AwsAuth, Destination, DestinationBase, DestinationDraft } from '../../../shared/config/destination';
import type { InspectRead, InspectReadRequest, InspectTargets, ReadBack } from '../../../shared/config/inspector';
import type { FirehoseRouting, KafkaMessage, SyncEvent } from '../../../shared/config/sync';
import type { CreatedStream, StreamSpec, TestRecord } from '../../../shared/ipc/channels/streams';
import type { CaptureRun } from '../../capture/capture-run';
import type { LedgerRecord } from '../../inspector/ledger-lookup';
import type { InspectorEngine } from '../../inspector/inspector-engine';
import type { OutRecord, Publisher, RecordResult } from '../../publishers/publisher';
import type { CallSink } from '../../recorder/types';
import type { SandboxKinesis } from '../../sandbox/sandbox-kinesis';
import type { SourceSecretResolver } from '../../secrets/types';
import type { Placer, PlacerDeps } from '../../sync/run/placer';
import type { Router, RouterDeps } from '../../routing/router';
import type { RecordTarget } from '../../sync/run/record-target';
import type { SyncSettingsFit } from '../../sync/sync-settings-fit';

export type DestinationKind = Destination['kind'];
export type DestinationOf<K extends DestinationKind> = Extract<Destination, { kind: K }>;
export type DraftOf<K extends DestinationKind> = Extract<DestinationDraft, { kind: K }>;

/** What building a publisher or testing a connection is given: the destination's own secrets (issue 12), the sandbox, the Debugger's sink. */
export interface KindDeps {
  secrets: SourceSecretResolver;
  sandbox: SandboxKinesis;
  recorder?: CallSink;
}

/** The wizard's "Create …" for a kind's drafts `Dr` and streams `Spec`, with the draft's own secrets; the Debugger gets the calls. */
export interface StreamAdmin<Dr, Spec> {
  create(draft: Dr, spec: Spec, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream>;
  /** Where a just-created stream is (Kinesis and Firehose go CREATING → ACTIVE; the wizard polls this). */
  status(draft: Dr, name: string, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream>;
}

/** The ledger entry a read-back opens, and what every kind's answer carries. */
export interface ReadBackInput {
  found: LedgerRecord;
  base: Pick<ReadBack, 'entry' | 'destination' | 'sent'>;
}

/** What of a sync's settings says where its records land, beside its destination (`EngineKindFor.target`). */
export interface SyncTargetSettings {
  kafka?: KafkaMessage | null;
  firehose?: FirehoseRouting | null;
  triggers?: readonly SyncEvent[];
}

/**
 * The engine's side of a kind whose destinations are `D`, drafts `Dr` and wizard-created streams `Spec`:
 * a built-in kind's is `EngineKind<K>`; a kind registered at runtime names its own types.
 */
export interface EngineKindFor<D extends DestinationBase, Dr extends DestinationBase = D, Spec = never> {
  readonly kind: D['kind'];
  /** How a run's messages name the destination ("Kinesis stream orders"). */
  label(d: D): string;
  /**
   * Where its records land, as its syncs' snapshots know it (a stream and its region, a default topic), and
   * given a sync's settings, where that sync's land (a Kafka sync's own topics, a Firehose sync's routes): a
   * destination or a sync saved with another target makes the syncs it moves start over
   * (`destination-target.ts`), while another address for the same place (an endpoint, brokers, credentials)
   * does not.
   */
  target(d: D, def?: SyncTargetSettings): string;
  /**
   * Whether two of its destinations point at the same place for a sync (`def`, as `target` takes it); when left
   * out, whether their `target`s are the same (a stream named by name or by ARN is one: `sameStream`).
   */
  sameTarget?(a: D, b: D, def?: SyncTargetSettings): boolean;
  /** What answers its requests, in words a run's progress uses ("broker unreachable"); "destination" when left out. */
  readonly server?: string;
  /**
   * What would make every use of the destination fail though its schema takes it (a broker port past
   * 65535, a name the service refuses), per field; `sluice apply` refuses them (`assertUsableDestination`).
   */
  useProblems?(d: D): { path: string; message: string }[];
  /** What a record's size counts, in words ("data + partition key"). */
  readonly sizedAs: string;
  /** The largest record the kind takes (the payload preview's limit; a run asks its publisher). */
  readonly maxRecordBytes: number;
  /** What its records carry beyond the payload, from a sync's settings (parses Kafka templates now). */
  recordTarget(d: D, def: { kafka?: KafkaMessage | null; firehose?: FirehoseRouting | null }): RecordTarget;
  /** The sync form's settings this kind takes (Kafka's tombstones and topic, Firehose's routes, the explicit hash key). */
  readonly syncSettings: SyncSettingsFit<D>;
  /**
   * The AWS auth whose role a trust policy is for, and whether the policy asks the connection test for
   * the stream's ARN and KMS key (null: the kind signs no AWS requests with a role of its own).
   */
  awsRole(d: D): { auth: AwsAuth; probe: boolean } | null;
  /** The publisher for a run, a dry run or a test record, secrets resolved now. */
  publisher(d: D, deps: KindDeps): Promise<Publisher>;
  /** The connection test's steps, for a draft (the stream may still be unchosen). */
  testConnection(draft: Dr, deps: KindDeps): Promise<ConnectionTest>;
  /** Creating streams or topics from the wizard; a string says why the kind cannot (the sandbox makes its own). */
  readonly streams: StreamAdmin<Dr, Spec> | string;
  /** The routing preview's router: where each row's record would land. */
  router(d: D, deps: RouterDeps): Router;
  /** How a dry run places records (shards, partitions, delivery streams). */
  dryRunPlacer(d: D, deps: PlacerDeps): Promise<Placer>;
  /** The inspector: what can be read, a bounded read, and one ledger entry read back. */
  inspectTargets(engine: InspectorEngine, d: D): Promise<InspectTargets>;
  inspectRead(engine: InspectorEngine, d: D, request: InspectReadRequest): Promise<InspectRead>;
  readBack(engine: InspectorEngine, d: D, input: ReadBackInput): Promise<ReadBack>;
  /** Where a test record landed and what reading it back found (Firehose: what was sent). */
  testRecordLanded(engine: InspectorEngine, d: D, sent: SentTestRecord): Promise<Pick<TestRecord, 'sent' | 'landed' | 'readBack'>>;
  /**
   * Capture: the stream or topic it reads and how; a string says why it cannot be captured. `topic`: a Kafka
   * topic the user named (a destination whose syncs choose the topic has none of its own); other kinds refuse one.
   */
  capture(d: D, topic?: string): CaptureRun | string;
}

/** A built-in kind's engine side. */
export type EngineKind<K extends DestinationKind> = EngineKindFor<DestinationOf<K>, DraftOf<K>, Extract<StreamSpec, { kind: K }>>;

/** A test record sent through the kind's publisher: the record, where the publisher says it landed, the Debugger's sink. */
export interface SentTestRecord {
  record: OutRecord;
  location: Extract<RecordResult, { ok: true }>['location'];
  calls: CallSink;
  /** The caller gave the test record up, or it waited too long: a read-back still going stops (`readBackOf`), the record stays landed. */
  signal?: AbortSignal;
}
