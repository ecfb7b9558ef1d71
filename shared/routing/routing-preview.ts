import { z } from 'zod';
import { DestinationKindSchema } from '../config/destination';
import { PreviewRowsSchema } from '../config/payload-preview';
import { ExplicitHashKeySchema, FirehoseRoutingSchema, KafkaMessageSchema, PartitionKeySchema, PayloadSchema } from '../config/sync';

/** Where the records of a sync would land: per previewed row, and as a histogram over a sample of the model. */
export const RoutingPreviewRequestSchema = z
  .object({
    sync: z.string().min(1),
    /** The editor's unsaved payload (rows whose template fails are rejected); the saved one otherwise. */
    payload: PayloadSchema.optional(),
    /** Unsaved message properties from the editor; the saved ones otherwise. */
    partitionKey: PartitionKeySchema.optional(),
    explicitHashKey: ExplicitHashKeySchema.nullable().optional(),
    kafka: KafkaMessageSchema.optional(),
    firehose: FirehoseRoutingSchema.nullable().optional(),
    rows: PreviewRowsSchema.default({ mode: 'first', count: 5 }),
    /** Rows of the whole model to sample (reservoir) for the histogram. */
    sample: z.number().int().min(0).max(100_000).default(2000),
    /** Records/s the run sends; default: the sync's last run's rate. */
    ratePerSecond: z.number().positive().max(10_000_000, 'A rate can be at most 10,000,000 records/s').optional(),
  })
  .strict();
export type RoutingPreviewRequest = z.input<typeof RoutingPreviewRequestSchema>;

export const RoutedRecordSchema = z.object({
  key: z.string(),
  rowNumber: z.number().int().nullable(),
  /** Shard id, partition (as text, "topic/partition" with several topics), delivery stream, or "round-robin". */
  target: z.string().nullable(),
  partitionKey: z.string().nullable(),
  explicitHashKey: z.string().nullable(),
  /** The 128-bit hash (Kinesis) or the murmur2 hash (Kafka) as text. */
  hash: z.string().nullable(),
  bytes: z.number().int(),
  error: z.string().nullable(),
});
export type RoutedRecord = z.infer<typeof RoutedRecordSchema>;

export const RoutingBucketSchema = z.object({ id: z.string(), records: z.number().int(), bytes: z.number().int(), fairShare: z.number() });

export const RoutingPreviewSchema = z.object({
  destinationKind: DestinationKindSchema,
  noun: z.enum(['shard', 'partition', 'delivery stream']),
  /** How the destination was read: the shards' hash-key ranges, the topic's partition count. */
  topology: z.array(z.object({ id: z.string(), detail: z.string() })),
  items: z.array(RoutedRecordSchema),
  sample: z.object({
    rows: z.number().int(),
    modelRows: z.number().int(),
    buckets: z.array(RoutingBucketSchema),
    errors: z.number().int(),
    /** Records with neither key nor partition (Kafka spreads them round-robin). */
    roundRobin: z.number().int(),
    /** Firehose records no route matches, skipped (`firehose.unmatched: skip`): in no bucket, not errors. */
    skipped: z.number().int().default(0),
  }),
  ratePerSecond: z.number().nullable(),
  warnings: z.array(z.object({ bucket: z.string(), kind: z.enum(['skew', 'records-per-second', 'bytes-per-second', 'hot-key']), message: z.string() })),
  /** Why routing could not be computed (e.g. the stream could not be read), in words. */
  problem: z.string().nullable(),
});
export type RoutingPreview = z.infer<typeof RoutingPreviewSchema>;
