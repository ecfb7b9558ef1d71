import type { KafkaProperties, OutRecord } from '../../publishers/publisher';
import type { WorkItem } from '../differ';
import type { PayloadRenderer, RenderContext } from '../payload-renderer';
import type { PoolKafka, PoolResult } from '../render-pool';

export type RecordOrigin = Pick<WorkItem, 'seq' | 'key' | 'event'>;
export type PooledRecord = Extract<PoolResult, { ok: true }>;

/** What the payload editor's preview shows of a row beyond its JSON. */
export interface RecordPreview {
  /** Kafka's message properties (null for the other kinds). */
  kafka: KafkaProperties | null;
  /** A removal sent as a tombstone (null value). */
  tombstone: boolean;
  /** Whether a partition key goes with the data (and counts against the limit). */
  partitionKey: boolean;
  /** What follows the data on the wire (Firehose's newline). */
  suffix: string;
}

/**
 * What a destination kind's records carry beyond the payload, made from a sync's settings by the kind
 * (`EngineKind.recordTarget`): nothing more (Kinesis), a delivery stream when the sync routes events
 * (Firehose), the message's topic, key, partition and headers (Kafka).
 */
export interface RecordTarget {
  /**
   * The record a publisher sends for a row in `context`. Throws RenderError for a row that does not
   * render, UnmatchedEvent for a Firehose record no route takes (`firehose.unmatched: skip`).
   */
  record(origin: RecordOrigin, context: RenderContext, renderer: PayloadRenderer): OutRecord;
  /** The record for a row a render-pool thread rendered. */
  pooled(origin: RecordOrigin, result: PooledRecord): OutRecord;
  /** What the render pool's threads need (Kafka's message templates); null: no pool (Firehose routes are decided on the main thread). */
  readonly pool: { kafka?: PoolKafka } | null;
  /** The payload editor's preview of a row. */
  preview(context: RenderContext): RecordPreview;
}
