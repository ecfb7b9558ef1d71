import type { SyncEvent } from '../../shared/config/sync';

interface OutRecordBase {
  /** Position in the run's work list (stable across retries). */
  seq: number;
  key: string;
  event: SyncEvent;
  /** Records with the same ordering key keep their order (Kinesis: the partition key; Kafka: topic + key). */
  partitionKey: string;
}

/** A Kinesis data stream record (also the sandbox's). */
export interface KinesisOutRecord extends OutRecordBase {
  kind: 'kinesis';
  data: Buffer;
  /** A 128-bit unsigned decimal that places the record instead of the MD5 of the partition key. */
  explicitHashKey?: string;
}

/** A Firehose record. */
export interface FirehoseOutRecord extends OutRecordBase {
  kind: 'firehose';
  data: Buffer;
  /** The delivery stream this record goes to, when the sync routes events to several. */
  deliveryStream?: string;
}

/** A Kafka message. */
export interface KafkaOutRecord extends OutRecordBase {
  kind: 'kafka';
  /** The value; null for a tombstone. */
  data: Buffer | null;
  kafka: KafkaProperties;
}

/** What a publisher sends for a row: one shape per destination kind. */
export type OutRecord = KinesisOutRecord | FirehoseOutRecord | KafkaOutRecord;

export interface KafkaProperties {
  topic: string;
  key: string | null;
  /** An explicit partition beats the key. */
  partition: number | null;
  headers: Record<string, string>;
}

/** Where an acknowledged record landed. */
export type RecordLocation =
  { shardId: string; sequenceNumber: string } | { recordId: string; deliveryStream?: string } | { topic: string; partition: number; offset: string };

export type RecordResult =
  { seq: number; ok: true; location: RecordLocation } | { seq: number; ok: false; code: string; message: string; retryable: boolean; unreachable?: boolean };

export interface PublisherLimits {
  maxBatchRecords: number;
  maxBatchBytes: number;
  maxRecordBytes: number;
}

/**
 * One destination's write path. `send` answers one result per record, in order. A publisher of a kind
 * is given only records of its kind (`R`): the run makes them for its destination (record-maker.ts).
 */
export interface Publisher<R extends OutRecord = OutRecord> {
  readonly limits: PublisherLimits;
  /** Bytes a record counts against the limits (Kinesis: data + partition key). */
  recordBytes(record: R): number;
  /**
   * `signal`: the run's cancel (2 s after it). The publisher gives its requests up then, rather than
   * wait for their answers or their timeouts: their records fail, and stay pending.
   */
  send(batch: R[], signal?: AbortSignal): Promise<RecordResult[]>;
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
