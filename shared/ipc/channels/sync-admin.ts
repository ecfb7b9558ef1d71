import { z } from 'zod';
import { NameSchema, NewNameSchema } from '../../config/names';
import { FirehoseRoutingSchema, PayloadSchema, SyncEventSchema, SyncSchema } from '../../config/sync';

/**
 * Channels for creating, editing, renaming, resetting and deleting syncs from the app (issue #14).
 * Spread into the one contract in shared/ipc/contract.ts.
 */

/** Where a Kafka sync's topic comes from, in the sync form: the destination's topic, or each row's (a column, a template). */
export const KafkaTopicFromSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('destination') }).strict(),
  z.object({ kind: z.literal('column'), column: z.string().min(1, 'Choose the column that holds each row’s topic') }).strict(),
  z.object({ kind: z.literal('template'), template: z.string().min(1, 'The topic template is empty') }).strict(),
]);
export type KafkaTopicFrom = z.infer<typeof KafkaTopicFromSchema>;

/** What the sync settings form edits; the payload and message properties stay the payload editor's. */
export const SyncSettingsSchema = z
  .object({
    model: NameSchema,
    destination: NameSchema,
    triggers: z.array(SyncEventSchema).min(1, 'Choose at least one of added, changed, removed'),
    initialSync: z.enum(['backfill', 'baseline']),
    /** Leave out for the default (50%). */
    maxRemovalPercent: z.number().min(0, 'At least 0').max(100, 'At most 100').optional(),
    /** Kafka destinations only: removed rows are sent with a null value (compacted topics). */
    kafkaTombstones: z.boolean().default(false),
    /** Kafka destinations only: a fixed topic for this sync (needed when the destination has none, unless each row names its topic). Leave out to keep the sync's topic. */
    kafkaTopic: z.string().trim().min(1, 'The topic is empty').max(249, 'A Kafka topic name is at most 249 characters').optional(),
    /**
     * Kafka destinations only, instead of `kafkaTopic`: the topic of each row (a column, or a template; a
     * row whose topic is empty is not sent, and the destination's topic is not used), or the destination's
     * topic (the sync's own is dropped). Leave out to keep the sync's topic.
     */
    kafkaTopicFrom: KafkaTopicFromSchema.optional(),
    /** Firehose destinations only: event → delivery stream rows; null sends everything to the destination's delivery stream. */
    firehose: FirehoseRoutingSchema.nullable().default(null),
  })
  .strict()
  .refine((s) => s.kafkaTopic === undefined || s.kafkaTopicFrom === undefined, {
    path: ['kafkaTopicFrom'],
    message: 'Give either a fixed topic or where each row’s topic comes from, not both',
  });
export type SyncSettings = z.output<typeof SyncSettingsSchema>;
export type SyncSettingsInput = z.input<typeof SyncSettingsSchema>;

/** How much history a sync holds: what deleting it loses, what a reset clears. */
export const SyncFootprintSchema = z.object({
  runs: z.number().int(),
  ledgerEntries: z.number().int(),
  /** Rows of its snapshot in the workspace (none when the snapshot is kept in the source). */
  snapshotRows: z.number().int(),
  /** Its snapshot is a table in the source (a PostgreSQL model with the in-database diff). */
  snapshotInSource: z.boolean(),
  templateTests: z.number().int(),
  /** The id of its run in progress, if any (changes are refused until it ends). */
  runningRun: z.number().int().nullable(),
});
export type SyncFootprint = z.infer<typeof SyncFootprintSchema>;

/**
 * What saving a sync over its stored self would do, asked before saving (the app says so first), with the
 * save's own rule: whether it starts over (`moved`: another model or destination; `retargeted`: its own
 * settings send its records elsewhere, a Kafka topic or a topic per event, Firehose routes), whether it runs
 * now (the save is then refused), and the rows of its snapshot a start over drops.
 */
export const SyncSavePreviewSchema = z.object({
  startsOver: z.enum(['moved', 'retargeted']).nullable(),
  running: z.boolean(),
  snapshotRows: z.number().int(),
});
export type SyncSavePreview = z.infer<typeof SyncSavePreviewSchema>;

export const syncAdminChannels = {
  createSync: {
    does: 'create the sync',
    input: z
      .object({
        name: NameSchema,
        settings: SyncSettingsSchema,
        /** Leave out for a template of the model's columns. */
        payload: PayloadSchema.optional(),
      })
      .strict(),
    output: SyncSchema,
  },
  updateSyncSettings: {
    does: 'save the sync settings',
    input: z.object({ name: NameSchema, settings: SyncSettingsSchema }).strict(),
    /** `restarted`: the model or destination changed, so the snapshot was dropped and the first run applies again. */
    output: z.object({ sync: SyncSchema, restarted: z.boolean() }),
  },
  previewSyncSettings: {
    does: 'check what saving the sync settings changes',
    input: z.object({ name: NameSchema, settings: SyncSettingsSchema }).strict(),
    output: SyncSavePreviewSchema,
  },
  /** The payload editor's save (`saveSync`: the whole definition), asked first. */
  previewSyncSave: {
    does: 'check what saving the sync changes',
    input: z.object({ sync: SyncSchema }).strict(),
    output: SyncSavePreviewSchema,
  },
  renameSync: {
    does: 'rename the sync',
    input: z.object({ name: NameSchema, newName: NewNameSchema }).strict(),
    output: SyncSchema,
  },
  syncFootprint: {
    does: "read the sync's history",
    input: z.object({ name: NameSchema }).strict(),
    output: SyncFootprintSchema,
  },
  deleteSync: {
    does: 'delete the sync',
    input: z.object({ name: NameSchema }).strict(),
    output: SyncFootprintSchema.omit({ runningRun: true }),
  },
  resetSyncSnapshot: {
    does: 'reset the sync',
    input: z.object({ name: NameSchema }).strict(),
    /** How many snapshot rows were cleared: the next run sends every row of the model as added. */
    output: z.object({ cleared: z.number().int(), inSource: z.boolean() }),
  },
} as const;

/** What a sync's snapshot is, for a confirmation or a notice: its rows, or its table in the source. */
export function snapshotWords(f: Pick<SyncFootprint, 'snapshotRows' | 'snapshotInSource'>): string {
  if (f.snapshotInSource) return 'its snapshot kept in PostgreSQL (a table in sluice_state, left there: drop it when you like)';
  return `the snapshot of ${f.snapshotRows.toLocaleString('en-US')} ${f.snapshotRows === 1 ? 'row' : 'rows'}`;
}
