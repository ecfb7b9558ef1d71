import type { SyncEvent } from '../../shared/config/sync';

export interface OutRecord {
  /** Position in the run's work list (stable across retries). */
  seq: number;
  key: string;
  event: SyncEvent;
  data: Buffer;
  partitionKey: string;
}

export type RecordResult =
  | { seq: number; ok: true; shardId: string; sequenceNumber: string }
  | { seq: number; ok: false; code: string; message: string; retryable: boolean };

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
  ) {
    super(message);
  }
}
