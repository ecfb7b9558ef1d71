import { z } from 'zod';
import {
  ApiCallDetailSchema,
  ApiCallFacetsSchema,
  ApiCallPageSchema,
  ApiCallsExportSchema,
  ApiCallSummarySchema,
  ExportApiCallsInputSchema,
  ListApiCallsInputSchema,
} from '../debugger/api-call';
import { SettingsSchema } from '../settings';
import { DestinationDraftSchema, DestinationSchema } from '../config/destination';
import { NameSchema, NewNameSchema } from '../config/names';
import { AwsProfileSchema } from '../destinations/aws-profile';
import { IamPolicyAdviceSchema } from '../destinations/iam-policy-schema';
import { ConnectionTestSchema } from '../config/connection-test';
import { PayloadPreviewRequestSchema, PayloadPreviewSchema } from '../config/payload-preview';
import { ModelPreviewSchema, ModelSchema, SourceSchema } from '../config/source';
import { RoutingPreviewRequestSchema, RoutingPreviewSchema } from '../routing/routing-preview';
import { RunTemplateTestsSchema, SaveTemplateTestSchema, TemplateTestCaseSchema, TemplateTestRunSchema } from '../config/template-tests';
import { LedgerEntrySchema, LEDGER_STATUSES, RowRejectSchema, RunFailuresSchema, RunSummarySchema, SyncSchema } from '../config/sync';
import { sourcesModelsChannels } from './channels/sources-models';
import { syncAdminChannels } from './channels/sync-admin';
import { streamChannels } from './channels/streams';
import { captureChannels } from './channels/capture';
import { InspectReadRequestSchema, InspectReadSchema, InspectTargetsSchema, ReadBackSchema } from '../config/inspector';

/**
 * The one IPC contract (GitHub Desktop style: one channel → signature map).
 *
 * Every request/response channel and every main→renderer event is declared here with a runtime
 * schema and `does`, the action in words for error messages ("Could not save settings"). The Electron preload, the browser test host's WebSocket bridge, the main-side handler
 * table and the renderer client are all typed from this object; nothing else defines a channel.
 */

const Empty = z.object({}).strict();

export const KeychainStatusSchema = z.object({
  /** `os`: secrets go to the OS keychain. `memory`: no keychain; secrets live until Sluice quits. */
  backend: z.enum(['os', 'memory']),
  /** Why the OS keychain is not used, in words a person can act on. */
  problem: z.string().optional(),
  howToEnable: z.string().optional(),
});

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  workspace: z.string(),
  schemaVersion: z.number().int(),
  runtime: z.enum(['electron', 'browser-host', 'cli']),
  platform: z.string(),
  keychain: KeychainStatusSchema,
});

export const SecretNameSchema = z
  .string()
  .trim()
  .min(1, 'A secret needs a name')
  .max(200, 'A secret name can be at most 200 characters')
  .regex(/^[A-Za-z0-9._\-/ ]+$/, 'A secret name may use letters, digits, spaces and . _ - / only');

export const SecretRefSchema = z.object({
  name: z.string(),
  backend: z.enum(['os', 'memory']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const DiagnosticsExportSchema = z.object({
  fileName: z.string(),
  content: z.string(),
});

export const contract = {
  getAppInfo: { does: 'read app information', input: Empty, output: AppInfoSchema },
  getSettings: { does: 'read settings', input: Empty, output: SettingsSchema },
  updateSettings: { does: 'save settings', input: SettingsSchema.partial().strict(), output: SettingsSchema },
  listSecrets: { does: 'list secrets', input: Empty, output: z.array(SecretRefSchema) },
  saveSecret: {
    does: 'save the secret',
    input: z
      .object({
        name: SecretNameSchema,
        value: z.string().min(1, 'The secret value is empty').max(65536, 'A secret can be at most 64 KiB'),
      })
      .strict(),
    output: SecretRefSchema,
  },
  deleteSecret: { does: 'delete the secret', input: z.object({ name: SecretNameSchema }).strict(), output: z.object({ deleted: z.boolean() }) },
  exportDiagnostics: { does: 'export diagnostics', input: Empty, output: DiagnosticsExportSchema },

  listSources: { does: 'list sources', input: Empty, output: z.array(SourceSchema) },
  listModels: { does: 'list models', input: Empty, output: z.array(ModelSchema) },
  previewModel: {
    does: 'preview the model',
    input: z.object({ model: z.string().min(1), limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    output: ModelPreviewSchema,
  },
  previewPayload: { does: 'preview the payload', input: PayloadPreviewRequestSchema, output: PayloadPreviewSchema },
  saveSync: { does: 'save the sync', input: SyncSchema, output: SyncSchema },
  listDestinations: { does: 'list destinations', input: Empty, output: z.array(DestinationSchema) },
  testDestination: { does: 'test the connection', input: z.object({ destination: z.string().min(1) }).strict(), output: ConnectionTestSchema },
  listSyncs: {
    does: 'list syncs',
    input: Empty,
    // lastRun: the last real run (a sync's status; a dry run sends nothing, so it never stands for one);
    // lastDryRun: a dry run since then, else null.
    output: z.array(
      z.object({
        sync: SyncSchema,
        initialized: z.boolean(),
        lastRun: RunSummarySchema.nullable(),
        lastDryRun: RunSummarySchema.nullable(),
        running: z.boolean(),
      }),
    ),
  },
  startRun: {
    does: 'start the run',
    input: z
      .object({
        sync: z.string().min(1),
        dryRun: z.boolean().default(false),
        retryFailedOf: z.number().int().positive().optional(),
        /** The user confirmed removals past the sync's mass-removal limit. */
        allowMassRemoval: z.boolean().default(false),
        /** The user confirmed this many removals past the limit (a guarded run's "Send the removals (N)"): more stops the run again. */
        allowRemovalsUpTo: z.number().int().nonnegative().optional(),
      })
      .strict(),
    output: z.object({ runId: z.number().int() }),
  },
  cancelRun: { does: 'cancel the run', input: z.object({ runId: z.number().int() }).strict(), output: z.object({ cancelled: z.boolean() }) },
  listRuns: {
    does: 'list runs',
    // As many as the CLI's --limit allows (one rule for every --limit: 1 to 1000).
    input: z.object({ sync: z.string().min(1), limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    output: z.array(RunSummarySchema),
  },
  getRun: {
    does: 'read the run',
    input: z.object({ runId: z.number().int() }).strict(),
    /** `failures`: what of it did not arrive, from its ledger (records the destination failed and why, records refused before sending). */
    output: z.object({ run: RunSummarySchema, rejects: z.array(RowRejectSchema), failures: RunFailuresSchema }),
  },
  searchLedger: {
    does: 'search the ledger',
    input: z
      .object({
        sync: z.string().min(1).optional(),
        runId: z.number().int().optional(),
        status: z.enum(LEDGER_STATUSES).optional(),
        text: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    output: z.object({ entries: z.array(LedgerEntrySchema), total: z.number().int() }),
  },

  // --- payload authoring: message properties, routing preview, template tests (issue 5) ---
  previewRouting: { does: 'preview where records land', input: RoutingPreviewRequestSchema, output: RoutingPreviewSchema },
  saveTemplateTest: { does: 'save the template test', input: SaveTemplateTestSchema, output: TemplateTestCaseSchema },
  listTemplateTests: { does: 'list the template tests', input: z.object({ sync: NameSchema }).strict(), output: z.array(TemplateTestCaseSchema) },
  deleteTemplateTest: { does: 'delete the template test', input: z.object({ id: z.number().int() }).strict(), output: z.object({ deleted: z.boolean() }) },
  runTemplateTests: { does: 'run the template tests', input: RunTemplateTestsSchema, output: TemplateTestRunSchema },

  // --- destinations: wizard, listing, IAM policy (issue 6) ---
  saveDestination: {
    does: 'save the destination',
    input: z.object({ destination: DestinationSchema, mode: z.enum(['create', 'update']) }).strict(),
    /** `startedOver`: the syncs that start over, the destination now pointing at another stream or topic (their next runs send every row). */
    output: z.object({ destination: DestinationSchema, startedOver: z.array(z.string()) }),
  },
  /** Before saving: the syncs that saving this version would make start over, and whether each runs now (the save is refused then). */
  previewDestinationSave: {
    does: 'check what saving the destination changes',
    input: z.object({ destination: DestinationSchema }).strict(),
    output: z.object({ startsOver: z.array(z.object({ sync: z.string(), running: z.boolean() })) }),
  },
  /** Its syncs follow the new name and keep their history; its own secrets (`<name>/…`) move to the new name, each said. */
  renameDestination: {
    does: 'rename the destination',
    input: z.object({ name: NameSchema, newName: NewNameSchema }).strict(),
    output: z.object({ destination: DestinationSchema, movedSecrets: z.array(z.object({ from: z.string(), to: z.string() })) }),
  },
  deleteDestination: { does: 'delete the destination', input: z.object({ name: NameSchema }).strict(), output: z.object({ deleted: z.boolean() }) },
  testDestinationDraft: { does: 'test the connection', input: z.object({ draft: DestinationDraftSchema }).strict(), output: ConnectionTestSchema },
  listDestinationTargets: {
    does: 'list the streams or topics',
    input: z.object({ draft: DestinationDraftSchema }).strict(),
    output: z.object({ names: z.array(z.string()) }),
  },
  listAwsProfiles: { does: 'list AWS profiles', input: Empty, output: z.array(AwsProfileSchema) },
  destinationPolicy: {
    does: 'compute the IAM policy',
    input: z.object({ destination: NameSchema, inspector: z.boolean().default(false), probe: z.boolean().default(true) }).strict(),
    output: z.object({ advice: IamPolicyAdviceSchema.nullable(), probed: ConnectionTestSchema.nullable() }),
  },

  // --- debugger and record inspector (issue 7) ---
  listApiCalls: { does: 'list recorded API calls', input: ListApiCallsInputSchema, output: ApiCallPageSchema },
  getApiCall: { does: 'read the API call', input: z.object({ id: z.number().int() }).strict(), output: ApiCallDetailSchema },
  listApiCallFacets: { does: 'read the API call filters', input: Empty, output: ApiCallFacetsSchema },
  exportApiCalls: { does: "export the run's API calls", input: ExportApiCallsInputSchema, output: ApiCallsExportSchema },
  inspectTargets: {
    does: 'list what can be inspected',
    input: z.object({ destination: NameSchema }).strict(),
    output: InspectTargetsSchema,
  },
  inspectRead: { does: 'read records from the stream', input: InspectReadRequestSchema, output: InspectReadSchema },
  inspectLedgerRecord: {
    does: 'open the record in the stream',
    input: z.object({ ledgerId: z.number().int().positive() }).strict(),
    output: ReadBackSchema,
  },

  // --- the analyst's whole day in the app (issue #14): each group in its own file ---
  ...sourcesModelsChannels,
  ...syncAdminChannels,
  ...streamChannels,
  // --- capture a stream into a local table (issue #17 item 4) ---
  ...captureChannels,
} as const;

export const events = {
  settingsChanged: SettingsSchema,
  secretsChanged: z.array(SecretRefSchema),
  runProgress: RunSummarySchema,
  // --- debugger and record inspector events (issue 7) ---
  /** Calls just written by the recorder (at most every 250 ms), for the Debugger's live view. */
  apiCallsRecorded: z.object({ calls: z.array(ApiCallSummarySchema) }),
  /** Sources, models, destinations or syncs changed (in this app, or by another process such as `sluice apply`). */
  catalogChanged: z.object({}),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelArgs<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export type AppInfo = z.infer<typeof AppInfoSchema>;
export type KeychainStatus = z.infer<typeof KeychainStatusSchema>;
export type SecretRef = z.infer<typeof SecretRefSchema>;

export const CHANNELS = Object.keys(contract) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Electron IPC channel names: one namespace so nothing else on ipcMain can collide. */
export const ipcChannelName = (channel: Channel): string => `sluice:${channel}`;
export const ipcEventName = (event: EventName): string => `sluice-event:${event}`;

/** The API object the renderer sees, whatever carries it (Electron preload or WebSocket bridge). */
export type SluiceApi = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
