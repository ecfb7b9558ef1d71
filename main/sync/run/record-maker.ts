import { rowPlace, type Row, type RowUnit } from '../../../shared/config/source';
import type { OutRecord, Publisher } from '../../publishers/publisher';
import { withColumns } from '../../sources/sparse-rows';
import type { WorkItem } from '../differ';
import { UnmatchedEvent } from '../firehose-routing';
import { NoPartitionKey, RenderError, type PayloadRenderer } from '../payload-renderer';
import type { PoolResult } from '../render-pool';
import { formatBytes, type RunContext } from './context';
import type { LedgerWriter } from './ledger-writer';
import type { RecordTarget } from './record-target';

/** A work item as a run's listed rows name it: "Row 7 (key 7, added)", or for a removal (no row in the model) "Removed row (key 7)". */
export function rowLabel(item: Pick<WorkItem, 'rowNumber' | 'key' | 'event'>, unit: RowUnit): string {
  return item.rowNumber === null ? `Removed row (key ${item.key})` : `${rowPlace(unit, item.rowNumber)} (key ${item.key}, ${item.event})`;
}

/**
 * Stage 3 — render: a work item becomes the record a publisher sends (payload bytes, partition key or
 * Kafka properties, Firehose delivery stream). A row that does not render, or whose record is over the
 * destination's record limit, is rejected with its reason (and stays pending for the next run). A
 * Firehose record no route matches under `unmatched: skip` is skipped: recorded in the snapshot as
 * delivered (not in a dry run), so it is not looked at again until its row changes, and counted and
 * listed (the first `SKIPS_LISTED`, ledger-writer.ts) once that has committed. A rejected row is listed once its ledger row has.
 */
export class RecordMaker {
  constructor(
    private readonly ctx: RunContext,
    private readonly renderer: PayloadRenderer,
    private readonly ledger: LedgerWriter,
    readonly target: RecordTarget,
    /** What a record's size counts, in words (the destination kind's: "data + key" for Kafka). */
    private readonly sizedAs = 'data + partition key',
  ) {}

  render(item: WorkItem): OutRecord | undefined {
    const { ctx } = this;
    const row = withColumns(JSON.parse(item.row) as Row, ctx.columns);
    const previous = item.previous === null ? null : withColumns(JSON.parse(item.previous) as Row, ctx.columns);
    const context = { key: item.key, event: item.event, row, previous, run: { id: ctx.runId, sync: ctx.syncName, startedAt: ctx.startedAt } };
    try {
      const record = this.target.record(item, context, this.renderer);
      ctx.counts.rendered++;
      return record;
    } catch (err) {
      if (err instanceof UnmatchedEvent) {
        const why = err.message;
        // (counted and listed once committed)
        this.ledger.skip(item, () => ({ reason: 'unmatched', key: item.key, rowNumber: item.rowNumber, detail: `${rowLabel(item, ctx.rowUnit)}: ${why}` }));
        return undefined;
      }
      if (!(err instanceof RenderError)) throw err;
      const detail = `${rowLabel(item, ctx.rowUnit)}: ${err.message}`;
      const reason = err instanceof NoPartitionKey ? 'no-partition-key' : 'render-error';
      this.ledger.reject(item, undefined, 'RenderError', err.message, { reason, key: item.key, rowNumber: item.rowNumber, detail }); // (counted and listed once committed)
      return undefined;
    }
  }

  /** A record rendered on a pool thread; a row that failed there renders again here, for the usual rejection. */
  pooled(item: WorkItem, result: PoolResult): OutRecord | undefined {
    if (!result.ok) return this.render(item);
    this.ctx.counts.rendered++;
    return this.target.pooled(item, result);
  }

  /** Whether the record is over the destination's record limit (then it is rejected, saying so). */
  oversize(publisher: Pick<Publisher, 'limits' | 'recordBytes'>, record: OutRecord, item: WorkItem): boolean {
    const bytes = publisher.recordBytes(record);
    if (bytes <= publisher.limits.maxRecordBytes) return false;
    const message = `The record (${this.sizedAs}) is ${formatBytes(bytes)}; the destination takes at most ${formatBytes(publisher.limits.maxRecordBytes)}`;
    const listed = { reason: 'too-large' as const, key: item.key, rowNumber: item.rowNumber, detail: `${rowLabel(item, this.ctx.rowUnit)}: ${message}` };
    this.ledger.reject(item, record, 'RecordTooLarge', message, listed); // (counted and listed once committed)
    return true;
  }
}
