import type { SyncEvent } from '../../shared/config/sync';

export interface OutRecord {
  /** Position in the run's work list (stable across retries). */
  seq: number;
  key: string;
  event: SyncEvent;
  /** The record's bytes; null only for a Kafka tombstone. */
  data: Buffer | null;
  /** Records with the same ordering key keep their order (Kinesis: the partition key; Kafka: topic + key). */
  partitionKey: string;
  /** Kafka message properties. */
  kafka?: KafkaProperties;
  /** Kinesis: a 128-bit unsigned decimal that places the record instead of the MD5 of the partition key. */
  explicitHashKey?: string;
  /** Firehose: the delivery stream this record goes to, when the sync routes events to several. */
  deliveryStream?: string;
}

export interface KafkaProperties {
  topic: string;
  key: string | null;
  /** An explicit partition beats the key. */
  partition: number | null;
  headers: Record<string, string>;
}

/** Where an acknowledged record landed. */
export type RecordLocation =
  | { shardId: string; sequenceNumber: string }
  | { recordId: string; deliveryStream?: string }
  | { topic: string; partition: number; offset: string };

export type RecordResult =
  | { seq: number; ok: true; location: RecordLocation }
  | { seq: number; ok: false; code: string; message: string; retryable: boolean; unreachable?: boolean };

export interface PublisherLimits {
  maxBatchRecords: number;
  maxBatchBytes: number;
  maxRecordBytes: number;
}

/** One destination's write path. `send` answers one result per record, in order. */
export interface Publisher {
  readonly limits: PublisherLimits;
  /** Bytes a record counts against the limits (Kinesis: data + partition key). */
  recordBytes(record: OutRecord): number;
  send(batch: OutRecord[]): Promise<RecordResult[]>;
  close(): Promise<void>;
}

/** A whole-request failure: nothing in the batch was written. */
export class PublishError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    /** The destination could not be reached at all (refused, dropped, gone): retried for longer. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}
