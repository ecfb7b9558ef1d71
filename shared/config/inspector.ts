import { z } from 'zod';
import { LedgerEntrySchema } from './sync';
import { wholeNumber } from '../zod-words';

/** Most records one read returns (per call, across every shard or partition). */
export const INSPECT_MAX_RECORDS = 1000;
/** Most bytes of one record's data a read returns (text or base64); the rest is cut, flagged `truncated`. */
export const INSPECT_SHOWN_BYTES = 64 * 1024;
/** Longest a read keeps listening for new records after it has caught up. */
export const INSPECT_MAX_WAIT_MS = 20_000;
/** The wait's range as the inspector's form asks it, in seconds (the request's `waitMs` is milliseconds). */
export const INSPECT_WAIT_WORDS = `Listen for new records from 0 to ${INSPECT_MAX_WAIT_MS / 1000} seconds`;

/**
 * Where a read starts. `earliest` is TRIM_HORIZON (Kinesis) or the beginning (Kafka); `latest` is
 * LATEST or the end; `timestamp` is AT_TIMESTAMP or the first offset at/after it; `sequence` is
 * AT_SEQUENCE_NUMBER (Kinesis only); `offset` is an offset in each chosen partition (Kafka only).
 */
export const StartPositionSchema = z.discriminatedUnion('at', [
  z.object({ at: z.literal('earliest') }).strict(),
  z.object({ at: z.literal('latest') }).strict(),
  z
    .object({
      at: z.literal('timestamp'),
      timestamp: z.iso.datetime({ offset: true, message: 'A timestamp is an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z' }),
    })
    .strict(),
  z.object({ at: z.literal('sequence'), sequenceNumber: z.string().regex(/^\d{1,128}$/, 'A sequence number is digits only, at most 128 of them') }).strict(),
  z.object({ at: z.literal('offset'), offset: z.string().regex(/^\d{1,19}$/, 'An offset is a whole number, 0 or more, of at most 19 digits') }).strict(),
]);
export type StartPosition = z.infer<typeof StartPositionSchema>;

/**
 * A record's bytes for a person: UTF-8 text (and pretty JSON when it parses), else base64. Only the first
 * INSPECT_SHOWN_BYTES are included; `bytes` is always the record's full size.
 */
export const RecordDataSchema = z.object({
  /** The record's full size in bytes. */
  bytes: z.number().int(),
  /** Only the first INSPECT_SHOWN_BYTES bytes are in text / base64 (and there is no pretty JSON). */
  truncated: z.boolean(),
  /** The bytes as UTF-8, or null when they are not valid UTF-8 (then see base64). */
  text: z.string().nullable(),
  /** Indented JSON when the text parses as JSON (never for a truncated record). */
  prettyJson: z.string().nullable(),
  /** The bytes in base64, only when they are not valid UTF-8. */
  base64: z.string().nullable(),
});
export type RecordData = z.infer<typeof RecordDataSchema>;

export const KinesisRecordSchema = z.object({
  kind: z.literal('kinesis'),
  shardId: z.string(),
  sequenceNumber: z.string(),
  partitionKey: z.string(),
  /** ISO time the stream accepted the record (ApproximateArrivalTimestamp). */
  arrivalTimestamp: z.string().nullable(),
  data: RecordDataSchema,
});

export const KafkaRecordSchema = z.object({
  kind: z.literal('kafka'),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  /** The key as text (`base64:…` when not UTF-8), or null. */
  key: z.string().nullable(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  timestamp: z.string(),
  /** Null for a tombstone. */
  value: RecordDataSchema.nullable(),
});

/** Firehose has no read API: what the ledger says was sent. */
export const SentRecordSchema = z.object({
  kind: z.literal('ledger'),
  ledgerId: z.number().int(),
  runId: z.number().int(),
  key: z.string(),
  recordId: z.string().nullable(),
  sentAt: z.string().nullable(),
  data: RecordDataSchema.nullable(),
});

export const InspectedRecordSchema = z.discriminatedUnion('kind', [KinesisRecordSchema, KafkaRecordSchema, SentRecordSchema]);
export type InspectedRecord = z.infer<typeof InspectedRecordSchema>;
export type KinesisRecord = z.infer<typeof KinesisRecordSchema>;
export type KafkaRecord = z.infer<typeof KafkaRecordSchema>;
export type SentRecord = z.infer<typeof SentRecordSchema>;

export const InspectTargetsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('kinesis'),
    destination: z.string(),
    stream: z.string(),
    shards: z.array(z.object({ shardId: z.string(), open: z.boolean() })),
  }),
  z.object({
    kind: z.literal('kafka'),
    destination: z.string(),
    /** The destination's own topic, when it has one. */
    defaultTopic: z.string().nullable(),
    topics: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })),
  }),
  z.object({ kind: z.literal('firehose'), destination: z.string(), deliveryStream: z.string() }),
]);
export type InspectTargets = z.infer<typeof InspectTargetsSchema>;

export const InspectReadRequestSchema = z
  .object({
    destination: z.string().min(1, 'Choose a destination').max(100, 'A destination name can be at most 100 characters'),
    /** Kinesis: another stream than the destination's (same account and endpoint). */
    stream: z.string().min(1).max(128).optional(),
    /** Kafka: the topic (default: the destination's topic). */
    topic: z.string().min(1).max(249).optional(),
    /** Kinesis: the shards to read (default: all). */
    shards: z.array(z.string().min(1).max(128, 'A shard id can be at most 128 characters')).max(64).optional(),
    /** Kafka: the partitions to read (default: all). */
    partitions: z.array(z.number().int().min(0)).max(1000).optional(),
    from: StartPositionSchema.default({ at: 'earliest' }),
    limit: wholeNumber('Limit', 1, INSPECT_MAX_RECORDS).default(100),
    /** After catching up, keep listening this long for new records (useful from `latest`); said in seconds, as the form asks it. */
    waitMs: z
      .number({ error: INSPECT_WAIT_WORDS })
      .refine((n) => Number.isInteger(n) && n >= 0 && n <= INSPECT_MAX_WAIT_MS, { message: INSPECT_WAIT_WORDS })
      .default(0),
  })
  .strict();
export type InspectReadRequest = z.output<typeof InspectReadRequestSchema>;

export const ReaderReportSchema = z.object({
  /** Shard id or `topic-partition`. */
  part: z.string(),
  /** Its records among those returned. */
  read: z.number().int(),
  /** limit: the read was full and this reader's next record was newer than all kept; caught-up: reached the end (plus the wait). */
  stopped: z.enum(['limit', 'caught-up', 'timeout', 'closed']),
});

export const InspectReadSchema = z.object({
  kind: z.enum(['kinesis', 'kafka', 'firehose']),
  /** Stream, topic or delivery stream read. */
  target: z.string(),
  /** The `limit` oldest records from the start position across the chosen shards or partitions, oldest first (by arrival time / timestamp, then shard or partition, then sequence number / offset). */
  records: z.array(InspectedRecordSchema),
  /** One per shard or partition read. */
  readers: z.array(ReaderReportSchema),
  note: z.string().nullable(),
});
export type InspectRead = z.infer<typeof InspectReadSchema>;

export const ReadBackSchema = z.object({
  entry: LedgerEntrySchema,
  destination: z.string(),
  kind: z.enum(['kinesis', 'kafka', 'firehose']),
  /** What the ledger says was sent (null: a tombstone). */
  sent: RecordDataSchema.nullable(),
  /** The record read back at the entry's coordinates; null when not found or not readable (Firehose). */
  read: InspectedRecordSchema.nullable(),
  /** true: identical bytes; false: different or not found; null: cannot be read back (Firehose). */
  match: z.boolean().nullable(),
  /** In words: "bytes match (123 bytes)", where they first differ, or why nothing could be read. */
  detail: z.string(),
});
export type ReadBack = z.infer<typeof ReadBackSchema>;
