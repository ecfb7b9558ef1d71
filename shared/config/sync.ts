import { z } from 'zod';
import { NameSchema } from './names';

export const SYNC_EVENTS = ['added', 'changed', 'removed'] as const;
export const SyncEventSchema = z.enum(SYNC_EVENTS);
export type SyncEvent = z.infer<typeof SyncEventSchema>;

/** How each record's bytes are made. */
export const PayloadSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('template'), template: z.string().min(1, 'The template is empty') }).strict(),
  z.object({ mode: z.literal('json-column'), column: z.string().min(1, 'Choose the column that holds JSON') }).strict(),
  z
    .object({
      mode: z.literal('mapping'),
      fields: z.array(z.object({ column: z.string().min(1), key: z.string().min(1) }).strict()).min(1, 'Map at least one column'),
    })
    .strict(),
]);
export type Payload = z.infer<typeof PayloadSchema>;

export const PartitionKeySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('primary-key') }).strict(),
  z.object({ kind: z.literal('column'), column: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('template'), template: z.string().min(1) }).strict(),
  /** Even spread for hot shards (as Segment's "Use Segment Message ID"): MD5 hex of run id + row key. */
  z.object({ kind: z.literal('message-id') }).strict(),
  /**
   * The first of these columns that has a value (not null, not empty), as Segment's Kinesis destination
   * keys by `userId || anonymousId`. A row where none has one is rejected, naming its columns.
   */
  z
    .object({
      kind: z.literal('first-present'),
      columns: z
        .array(z.string().min(1, 'Choose a column'))
        .min(1, 'List at least one column, in the order they are tried')
        .max(10, 'At most 10 columns')
        .refine((c) => new Set(c).size === c.length, 'A column is listed twice'),
    })
    .strict(),
]);
export type PartitionKey = z.infer<typeof PartitionKeySchema>;
/** Segment's Kinesis partition key: userId, else anonymousId. */
export const SEGMENT_PARTITION_KEY: PartitionKey = { kind: 'first-present', columns: ['userId', 'anonymousId'] };

/** Kinesis explicit hash key: a 128-bit unsigned decimal per row, which overrides the MD5 of the partition key. */
export const ExplicitHashKeySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column'), column: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('template'), template: z.string().min(1) }).strict(),
]);
export type ExplicitHashKey = z.infer<typeof ExplicitHashKeySchema>;

/**
 * Firehose: event → delivery stream rows, as the Segment Firehose seed maps events. `match` is an event
 * type (added / changed / removed), an event name (the value of `eventName` for the row), or `*` for
 * all; compared case-insensitively. The stream name is used exactly. The first matching row wins. A
 * record no row matches is not sent: `unmatched: skip` (the default, as Segment does) counts it as
 * skipped and records its row in the snapshot as delivered, so it is not looked at again until it
 * changes; `unmatched: reject` rejects it, naming its row (the run ends partial, the row stays pending).
 */
export const FirehoseRoutingSchema = z
  .object({
    eventName: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('column'), column: z.string().min(1) }).strict(),
        z.object({ kind: z.literal('template'), template: z.string().min(1) }).strict(),
      ])
      .optional(),
    routes: z
      .array(
        z
          .object({
            match: z.string().trim().min(1, 'Give an event name, an event type or *'),
            stream: z.string().min(1, 'The delivery stream name is required').max(64),
          })
          .strict(),
      )
      .min(1, 'Add at least one event → delivery stream row')
      .max(100, 'At most 100 event → delivery stream rows'),
    unmatched: z.enum(['skip', 'reject']).default('skip'),
  })
  .strict();
export type FirehoseRouting = z.infer<typeof FirehoseRoutingSchema>;

const ValueSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), value: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('column'), column: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('template'), template: z.string().min(1) }).strict(),
]);

/** A Kafka topic name as the broker takes it: 1–249 of letters, digits, `.`, `_` and `-`. */
const KafkaTopicNameSchema = z
  .string()
  .min(1, 'The topic name is required')
  .max(249, 'A topic name is at most 249 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'A topic name is letters, digits, ".", "_" and "-"');

/** Kafka message properties, as in the Kafka seed: topic (fixed or per row), key, partition, headers. */
export const KafkaMessageSchema = z
  .object({
    /**
     * Default: the destination's topic. A row whose topic is null or renders empty is rejected, naming
     * it; a topic the cluster lacks fails that topic's records only (they go with the next run).
     */
    topic: ValueSourceSchema.optional(),
    /**
     * A topic per trigger (the Kafka seed's "different topics for each message trigger"): added,
     * changed and removed rows each to their own topic. An event without one here goes to `topic`
     * (or the destination's topic).
     */
    topicByTrigger: z
      .object({ added: KafkaTopicNameSchema.optional(), changed: KafkaTopicNameSchema.optional(), removed: KafkaTopicNameSchema.optional() })
      .strict()
      .optional(),
    /** Default: the primary key. `none` spreads records round-robin. */
    key: z
      .union([ValueSourceSchema, z.object({ kind: z.literal('primary-key') }).strict(), z.object({ kind: z.literal('none') }).strict()])
      .default({ kind: 'primary-key' }),
    /**
     * A partition number: "3" and "3.0" are 3; empty → the key decides; anything else ("abc", "3.5",
     * "-1") rejects the row, naming it. A partition beats the key. One the topic lacks fails that record.
     */
    partition: ValueSourceSchema.optional(),
    headers: z.array(z.object({ name: z.string().min(1), value: z.string() }).strict()).default([]),
    /** Send removed rows as tombstones (null value) for compacted topics. */
    tombstones: z.boolean().default(false),
  })
  .strict();
export type KafkaMessage = z.infer<typeof KafkaMessageSchema>;

export const SyncSchema = z
  .object({
    name: NameSchema,
    model: NameSchema,
    destination: NameSchema,
    triggers: z.array(SyncEventSchema).min(1, 'Choose at least one of added, changed, removed'),
    /** backfill: the first run sends every current row as added. baseline: it records them and sends nothing. */
    initialSync: z.enum(['backfill', 'baseline']).default('backfill'),
    payload: PayloadSchema,
    partitionKey: PartitionKeySchema.default({ kind: 'primary-key' }),
    kafka: KafkaMessageSchema.optional(),
    explicitHashKey: ExplicitHashKeySchema.optional(),
    firehose: FirehoseRoutingSchema.optional(),
    /**
     * The mass-removal guard: a run that would remove more than this share (in %) of the rows the sync
     * last delivered stops before sending anything, unless the user confirms (default 50; 100 turns the
     * guard off). It catches a model that suddenly reads empty: a file caught mid-rewrite, a dropped table.
     */
    maxRemovalPercent: z.number().min(0, 'At least 0').max(100, 'At most 100').optional(),
  })
  .strict();
export type Sync = z.infer<typeof SyncSchema>;

export const DEFAULT_MAX_REMOVAL_PERCENT = 50;
/** A run stopped by the mass-removal guard has an error starting with this (the app offers to confirm). */
export const MASS_REMOVAL_PREFIX = 'Mass removal:';

/** The guard's verdict: the message that stops the run, or null when the removals may go. */
export function massRemovalStop(removed: number, snapshot: number, maxPercent: number = DEFAULT_MAX_REMOVAL_PERCENT, added = 0): string | null {
  if (removed === 0 || snapshot === 0 || maxPercent >= 100) return null;
  const percent = (removed / snapshot) * 100;
  if (percent <= maxPercent) return null;
  const shown = percent >= 99.95 ? '100' : percent.toFixed(1).replace(/\.0$/, '');
  const head = `${MASS_REMOVAL_PREFIX} this run would remove ${removed.toLocaleString('en-US')} of the ${snapshot.toLocaleString('en-US')} rows the sync last delivered (${shown} %), more than its limit of ${maxPercent} %. Nothing was sent or changed.`;
  // As many rows new as gone: the rows are most likely all there under other keys.
  if (added >= removed * 0.8) {
    return `${head} At the same time ${added.toLocaleString('en-US')} rows are new: this is what a changed primary key (or changed key values) looks like, the old keys gone and new ones added. If so, sending the removals would delete the old keys' records downstream before the new ones arrive; to send every row under its new key without removals, reset the sync (\`sluice sync reset\`, or "Resend everything on the next run" in the app) instead. If the rows really were replaced, confirm the removals (--allow-mass-removal, or "Send the removals" in the app).`;
  }
  return `${head} If the model really lost these rows, confirm the removals (--allow-mass-removal, or "Send the removals" in the app); if not, check the model's source (an empty or half-written file, a dropped table).`;
}

export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunCountsSchema = z.object({
  read: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
  /** Rows of events this sync does not send: recorded in the snapshot, not sent. */
  skippedByTrigger: z.number().int(),
  /** Firehose records no event → delivery stream row matches (`firehose.unmatched: skip`): not sent, recorded in the snapshot. */
  skippedUnmatched: z.number().int().default(0),
  rejectedRows: z.number().int(),
  rendered: z.number().int(),
  sent: z.number().int(),
  acknowledged: z.number().int(),
  failed: z.number().int(),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

export const RunAnswersSchema = z.object({ throttled: z.number().int(), retried: z.number().int() });
export type RunAnswers = z.infer<typeof RunAnswersSchema>;

/** Why a dry run says a record would not be sent (`unmatched`: a Firehose record no route takes, under `unmatched: reject`). */
export const DRY_RUN_REJECT_REASONS = ['render-error', 'too-large', 'invalid-partition', 'unknown-topic', 'unmatched', 'null-key', 'duplicate-key'] as const;
/** A dry run lists at most this many of the records a real run would reject (all are counted per reason). */
export const DRY_RUN_REJECTS_LISTED = 100;

/**
 * Where a dry run's records would go and which a real run would reject. Per shard (Kinesis: MD5 of the
 * partition key or the explicit hash key in the shards' ranges), per topic partition (Kafka: explicit
 * partition, else murmur2 of the key; keyless records are counted apart, spread round-robin), per
 * delivery stream (Firehose routes). Given with the dry run's end; not kept with the run.
 */
export const DryRunPlanSchema = z.object({
  per: z.enum(['shard', 'partition', 'delivery-stream']),
  /** Every target, in order (Kinesis: every open shard, also those that take nothing; Kafka: partitions that take records). */
  targets: z.array(
    z.object({
      /** The shard id, `topic/partition`, or the delivery stream. */
      id: z.string(),
      records: z.number().int(),
      topic: z.string().optional(),
      partition: z.number().int().optional(),
    }),
  ),
  /**
   * Kafka: records with neither key nor partition. They spread round-robin over their topic's partitions
   * (about evenly) in the order they are sent, so they are counted here and not in `targets`.
   */
  roundRobin: z.number().int(),
  /** Why records could not be placed (the stream's shards or the topic's partitions could not be read), else null. */
  note: z.string().nullable(),
  rejected: z.object({
    total: z.number().int(),
    perReason: z.partialRecord(z.enum(DRY_RUN_REJECT_REASONS), z.number().int()),
    /** The first DRY_RUN_REJECTS_LISTED, in work-list order. */
    first: z.array(z.object({ key: z.string().nullable(), reason: z.enum(DRY_RUN_REJECT_REASONS), detail: z.string() })),
  }),
});
export type DryRunPlan = z.infer<typeof DryRunPlanSchema>;

export const RunSummarySchema = z.object({
  id: z.number().int(),
  sync: z.string(),
  status: RunStatusSchema,
  dryRun: z.boolean(),
  phase: z.enum(['reading', 'diffing', 'sending', 'done']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: RunCountsSchema,
  /** Records that must be sent this run (selected events), for progress and ETA. */
  toSend: z.number().int(),
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  error: z.string().nullable(),
  /** Dry runs: how many records each shard would take. */
  perShard: z.record(z.string(), z.number().int()).nullable(),
  /** Dry runs: records per shard / partition / delivery stream, and those a real run would reject. */
  dryRunPlan: DryRunPlanSchema.nullable().optional(),
  /**
   * A finished run that did not send every record: the most frequent reason (error code and message, or
   * the first row refused for its key) and how many records it stopped. Given with the run's end event
   * (alerts use it); not kept with the run.
   */
  topReason: z.object({ message: z.string(), count: z.number().int() }).nullable().optional(),
  /**
   * Progress of a run being sent: how many record answers so far were throttling (the destination over
   * its limits) and how many records went back to be sent again. Not kept with the run.
   */
  answers: RunAnswersSchema.optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const LEDGER_STATUSES = ['acknowledged', 'failed', 'rejected'] as const;
export const LedgerEntrySchema = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  key: z.string(),
  event: SyncEventSchema,
  status: z.enum(LEDGER_STATUSES),
  attempts: z.number().int(),
  partitionKey: z.string().nullable(),
  shardId: z.string().nullable(),
  sequenceNumber: z.string().nullable(),
  recordId: z.string().nullable(),
  topic: z.string().nullable(),
  partition: z.number().int().nullable(),
  offset: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  bytes: z.number().int(),
  firstAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const RowRejectSchema = z.object({
  /**
   * `unmatched`: a Firehose record skipped because no route matches it (listed, not a failure).
   * `invalid-partition` / `unknown-topic`: a dry run's Kafka record the broker would refuse (a real run
   * has them in its ledger as INVALID_PARTITION / UNKNOWN_TOPIC_OR_PARTITION).
   */
  reason: z.enum(['null-key', 'duplicate-key', 'render-error', 'too-large', 'unmatched', 'invalid-partition', 'unknown-topic']),
  key: z.string().nullable(),
  rowNumber: z.number().int().nullable(),
  detail: z.string(),
});
export type RowReject = z.infer<typeof RowRejectSchema>;
