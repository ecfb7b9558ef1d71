import type { Row } from '../../../shared/config/source';
import type { Destination } from '../../../shared/config/destination';
import type { KafkaOutRecord, KafkaProperties, OutRecord, Publisher } from '../../publishers/publisher';
import type { WorkItem } from '../differ';
import { FirehoseRouter, UnmatchedEvent } from '../firehose-routing';
import { KafkaMessageRenderer } from '../kafka-message';
import { KafkaMessageSchema, type FirehoseRouting, type KafkaMessage } from '../../../shared/config/sync';
import { RenderError, type PayloadRenderer, type RenderContext } from '../payload-renderer';
import type { PoolResult } from '../render-pool';
import { formatBytes, type RunContext } from './context';
import type { LedgerWriter } from './ledger-writer';

/** Skipped records listed per run with their reason (all are counted). */
export const SKIPS_LISTED = 100;

type RecordOrigin = Pick<WorkItem, 'seq' | 'key' | 'event'>;

/**
 * What a destination kind's records carry beyond the payload: nothing more (Kinesis), a delivery stream
 * when the sync routes events (Firehose), the message's topic, key, partition and headers (Kafka).
 */
export type RecordTarget = { kind: 'kinesis' } | { kind: 'firehose'; router: FirehoseRouter | undefined } | { kind: 'kafka'; message: KafkaMessageRenderer };

/** The record target of a sync's settings for its destination (parses its Kafka templates now). */
export function recordTargetFor(destination: Destination, def: { kafka?: KafkaMessage | null; firehose?: FirehoseRouting | null }): RecordTarget {
  switch (destination.kind) {
    case 'kafka':
      return { kind: 'kafka', message: new KafkaMessageRenderer(def.kafka ?? KafkaMessageSchema.parse({}), destination.topic) };
    case 'firehose':
      return { kind: 'firehose', router: def.firehose ? new FirehoseRouter(def.firehose) : undefined };
    default:
      return { kind: 'kinesis' };
  }
}

/**
 * The record a publisher sends for a row in `context`: payload bytes, partition / explicit hash key or
 * Kafka properties (a tombstone for a removal when the sync says so), Firehose delivery stream. Throws
 * RenderError for a row that does not render, UnmatchedEvent for a Firehose record no route takes
 * (`firehose.unmatched: skip`). A run's RecordMaker and the payload editor's test record
 * both make records here.
 */
export function recordFor(origin: RecordOrigin, context: RenderContext, renderer: PayloadRenderer, target: RecordTarget): OutRecord {
  if (target.kind === 'kafka') {
    const props = target.message.render(context);
    const tombstone = origin.event === 'removed' && target.message.tombstones;
    return kafkaRecord(origin, props, tombstone ? null : renderer.renderBytes(context));
  }
  const { data, partitionKey, explicitHashKey } = renderer.render(context);
  const base = { seq: origin.seq, key: origin.key, event: origin.event, data, partitionKey };
  if (target.kind === 'firehose') return { kind: 'firehose', ...base, deliveryStream: target.router?.route(context) };
  return { kind: 'kinesis', ...base, explicitHashKey };
}

/** A Kafka record: order is kept per topic and key; keyless records spread round-robin and need none. */
function kafkaRecord(origin: RecordOrigin, kafka: KafkaProperties, data: Buffer | null): KafkaOutRecord {
  const orderingKey = kafka.key === null ? `${kafka.topic}\u0000#${origin.seq}` : `${kafka.topic}\u0000${kafka.key}`;
  return { kind: 'kafka', seq: origin.seq, key: origin.key, event: origin.event, data, partitionKey: orderingKey, kafka };
}

/**
 * Stage 3 — render: a work item becomes the record a publisher sends (payload bytes, partition key or
 * Kafka properties, Firehose delivery stream). A row that does not render, or whose record is over the
 * destination's record limit, is rejected with its reason (and stays pending for the next run). A
 * Firehose record no route matches under `unmatched: skip` is skipped: counted, listed (the first
 * SKIPS_LISTED), and recorded in the snapshot as delivered (not in a dry run), so it is not looked at
 * again until its row changes.
 */
export class RecordMaker {
  constructor(
    private readonly ctx: RunContext,
    private readonly renderer: PayloadRenderer,
    private readonly ledger: LedgerWriter,
    private readonly target: RecordTarget,
  ) {}

  render(item: WorkItem): OutRecord | undefined {
    const { ctx } = this;
    const row = JSON.parse(item.row) as Row;
    const previous = item.previous === null ? null : (JSON.parse(item.previous) as Row);
    const context = { key: item.key, event: item.event, row, previous, run: { id: ctx.runId, sync: ctx.syncName, startedAt: ctx.startedAt } };
    try {
      const record = recordFor(item, context, this.renderer, this.target);
      ctx.counts.rendered++;
      return record;
    } catch (err) {
      if (err instanceof UnmatchedEvent) {
        this.ledger.skip(item);
        ctx.counts.skippedUnmatched++;
        if (ctx.counts.skippedUnmatched <= SKIPS_LISTED)
          ctx.rejects.push({
            reason: 'unmatched',
            key: item.key,
            rowNumber: item.rowNumber,
            detail: `Row ${item.rowNumber ?? '(removed)'} (key ${item.key}, ${item.event}): ${err.message}`,
          });
        return undefined;
      }
      if (!(err instanceof RenderError)) throw err;
      const detail = `Row ${item.rowNumber ?? '(removed)'} (key ${item.key}, ${item.event}): ${err.message}`;
      ctx.rejects.push({ reason: 'render-error', key: item.key, rowNumber: item.rowNumber, detail });
      this.ledger.reject(item, undefined, 'RenderError', err.message);
      ctx.counts.failed++;
      return undefined;
    }
  }

  /** A record rendered on a pool thread; a row that failed there renders again here, for the usual rejection. */
  pooled(item: WorkItem, result: PoolResult): OutRecord | undefined {
    if (!result.ok) return this.render(item);
    const data = result.data === null ? null : Buffer.from(result.data, 'utf8');
    this.ctx.counts.rendered++;
    if (result.kafka) return kafkaRecord(item, result.kafka, data);
    const base = { seq: item.seq, key: item.key, event: item.event, data: data ?? Buffer.alloc(0), partitionKey: result.partitionKey };
    // The pool renders Kinesis and Kafka records only (Firehose routes are decided on the main thread).
    return this.target.kind === 'firehose' ? { kind: 'firehose', ...base } : { kind: 'kinesis', ...base, explicitHashKey: result.explicitHashKey };
  }

  /** Whether the record is over the destination's record limit (then it is rejected, saying so). */
  oversize(publisher: Pick<Publisher, 'limits' | 'recordBytes'>, record: OutRecord, item: WorkItem): boolean {
    const bytes = publisher.recordBytes(record);
    if (bytes <= publisher.limits.maxRecordBytes) return false;
    const message = `The record (data + partition key) is ${formatBytes(bytes)}; the destination takes at most ${formatBytes(publisher.limits.maxRecordBytes)}`;
    this.ctx.rejects.push({
      reason: 'too-large',
      key: item.key,
      rowNumber: item.rowNumber,
      detail: `Row ${item.rowNumber ?? '(removed)'} (key ${item.key}): ${message}`,
    });
    this.ledger.reject(item, record, 'RecordTooLarge', message);
    this.ctx.counts.failed++;
    return true;
  }
}
