import { z } from 'zod';
import { wholeNumber } from '../../zod-words';
import { DestinationDraftSchema } from '../../config/destination';
import { NameSchema } from '../../config/names';
import { InspectedRecordSchema, RecordDataSchema } from '../../config/inspector';
import { ExplicitHashKeySchema, FirehoseRoutingSchema, KafkaMessageSchema, PartitionKeySchema, PayloadSchema, SyncEventSchema } from '../../config/sync';

/**
 * Channels for creating Kafka topics, Kinesis streams and Firehose delivery streams, and for sending one
 * test record from the payload editor (issue #14). Spread into the one contract in shared/ipc/contract.ts.
 */

/** Kafka's own rule (kafka.common.internals.Topic): 1–249 of [a-zA-Z0-9._-], not "." or "..". */
export const KafkaTopicNameSchema = z
  .string()
  .min(1, 'The topic name is required')
  .max(249, 'A topic name can be at most 249 characters')
  .regex(/^[a-zA-Z0-9._-]+$/, 'A topic name may use letters, digits and . _ - only')
  .refine((s) => s !== '.' && s !== '..', 'A topic cannot be named "." or ".."');

/** Kinesis: 1–128 of [a-zA-Z0-9_.-]. */
export const KinesisStreamNameSchema = z
  .string()
  .min(1, 'The stream name is required')
  .max(128, 'A stream name can be at most 128 characters')
  .regex(/^[a-zA-Z0-9_.-]+$/, 'A stream name may use letters, digits and _ . - only');

/** Firehose: 1–64 of [a-zA-Z0-9_.-]. */
export const DeliveryStreamNameSchema = z
  .string()
  .min(1, 'The delivery stream name is required')
  .max(64, 'A delivery stream name can be at most 64 characters')
  .regex(/^[a-zA-Z0-9_.-]+$/, 'A delivery stream name may use letters, digits and _ . - only');

/** S3 bucket naming: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. */
export const BucketNameSchema = z
  .string()
  .min(3, 'A bucket name is at least 3 characters')
  .max(63, 'A bucket name is at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 'A bucket name uses lowercase letters, digits, dots and hyphens, and starts and ends with a letter or digit');

export const KafkaTopicSpecSchema = z
  .object({
    kind: z.literal('kafka'),
    topic: KafkaTopicNameSchema,
    partitions: wholeNumber('Partitions', 1, 10_000),
    replicationFactor: wholeNumber('The replication factor', 1, 32),
    /** `retention.ms`: how long records are kept; -1 keeps them forever; absent: the broker's default. */
    retentionMs: z
      .number()
      .int('The retention must be whole milliseconds')
      .refine((n) => n === -1 || n >= 60_000, 'Keep records at least one minute, or -1 for ever')
      .optional(),
  })
  .strict();

export const KinesisStreamSpecSchema = z
  .object({
    kind: z.literal('kinesis'),
    stream: KinesisStreamNameSchema,
    mode: z.enum(['on-demand', 'provisioned']),
    /** Provisioned only. */
    shardCount: wholeNumber('The shard count', 1, 10_000).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.mode === 'provisioned' && s.shardCount === undefined)
      ctx.addIssue({ code: 'custom', path: ['shardCount'], message: 'A provisioned stream needs a shard count' });
  });

export const FirehoseStreamSpecSchema = z
  .object({
    kind: z.literal('firehose'),
    deliveryStream: DeliveryStreamNameSchema,
    bucket: BucketNameSchema,
    /** Where objects go in the bucket, e.g. `events/`. */
    prefix: z.string().max(1024, 'The prefix is at most 1024 characters').optional(),
    /** The role Firehose assumes to write to the bucket (s3:PutObject etc.). */
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'A role ARN looks like arn:aws:iam::123456789012:role/firehose-to-s3'),
  })
  .strict();

export const StreamSpecSchema = z.discriminatedUnion('kind', [KafkaTopicSpecSchema, KinesisStreamSpecSchema, FirehoseStreamSpecSchema]);
export type StreamSpec = z.infer<typeof StreamSpecSchema>;

export const CreatedStreamSchema = z.object({
  kind: z.enum(['kafka', 'kinesis', 'firehose']),
  name: z.string(),
  /** Kafka topics are ready when created; Kinesis and Firehose go CREATING → ACTIVE. */
  status: z.string(),
  ready: z.boolean(),
  detail: z.string(),
});
export type CreatedStream = z.infer<typeof CreatedStreamSchema>;

export const TestRecordAttemptSchema = z.string().min(1).max(100);

/**
 * How long a test record waits for its destination before it is given up (the engine's bound; the UI
 * says it while it waits). kafkajs waits 30 s for an answer and retries, the AWS SDK 60 s: a stopped
 * broker, or an endpoint that takes the connection and never answers, kept the user that long at a spinner.
 */
export const TEST_RECORD_WAIT_MS = 15_000;

export const TestRecordRequestSchema = z
  .object({
    sync: NameSchema,
    /** The editor's payload and message properties (possibly unsaved): what would be sent if saved. */
    payload: PayloadSchema,
    partitionKey: PartitionKeySchema.default({ kind: 'primary-key' }),
    explicitHashKey: ExplicitHashKeySchema.optional(),
    kafka: KafkaMessageSchema.optional(),
    firehose: FirehoseRoutingSchema.optional(),
    /** The previewed row's primary key (as the preview shows it). */
    key: z.string().min(1, 'Which row? The key is empty'),
    event: SyncEventSchema.default('added'),
    /** An id the caller chooses for this send, so that `cancelTestRecord` can give it up while it waits. */
    attempt: TestRecordAttemptSchema.optional(),
  })
  .strict();
export type TestRecordRequest = z.input<typeof TestRecordRequestSchema>;

export const RecordLandingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('kinesis'),
    stream: z.string(),
    shardId: z.string(),
    sequenceNumber: z.string(),
    partitionKey: z.string(),
    explicitHashKey: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('kafka'),
    topic: z.string(),
    partition: z.number().int(),
    offset: z.string(),
    key: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
  }),
  z.object({ kind: z.literal('firehose'), deliveryStream: z.string(), recordId: z.string() }),
]);

export const TestRecordSchema = z.object({
  destination: z.string(),
  key: z.string(),
  landed: RecordLandingSchema,
  /** The bytes sent (null for a Kafka tombstone). */
  sent: RecordDataSchema.nullable(),
  readBack: z.object({
    /** null: the destination cannot be read back (Firehose). */
    match: z.boolean().nullable(),
    detail: z.string(),
    read: InspectedRecordSchema.nullable(),
  }),
});
export type TestRecord = z.infer<typeof TestRecordSchema>;

export const streamChannels = {
  createStream: {
    does: 'create the stream',
    input: z.object({ draft: DestinationDraftSchema, create: StreamSpecSchema }).strict(),
    output: CreatedStreamSchema,
  },
  streamStatus: {
    does: 'read the stream’s status',
    input: z.object({ draft: DestinationDraftSchema, name: z.string().min(1).max(249) }).strict(),
    output: CreatedStreamSchema,
  },
  sendTestRecord: { does: 'send the test record', input: TestRecordRequestSchema, output: TestRecordSchema },
  /** Gives up a test record still waiting for its destination (`attempt`, as sent); `cancelled: false` when it had already ended. */
  cancelTestRecord: {
    does: 'cancel the test record',
    input: z.object({ attempt: TestRecordAttemptSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
} as const;
