import { z } from 'zod';
import { NameSchema } from './names';
import { SyncEventSchema } from './sync-event';

export * from './sync-event';
export * from './run';
export * from './run-arrival';
export * from './guarded-run';

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
/** The mass-removal limit's one sentence, whichever bound is missed (it said "At most 100" alone, after the field's name). */
const PERCENT_WORDS = 'A percentage from 0 to 100 (12.5 too; 100 turns the mass-removal guard off)';

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
    maxRemovalPercent: z.number().min(0, PERCENT_WORDS).max(100, PERCENT_WORDS).optional(),
  })
  .strict();
export type Sync = z.infer<typeof SyncSchema>;
