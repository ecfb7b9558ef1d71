import type { Destination } from '../../shared/config/destination';
import { PayloadPreviewRequestSchema, type PayloadPreview, type PayloadPreviewRequest, type PreviewItem } from '../../shared/config/payload-preview';
import type { Row } from '../../shared/config/source';
import type { EngineServices } from '../engine/services';
import { engineKind } from '../destinations/kinds/registry';
import { KINESIS_LIMITS } from '../publishers/kinesis-publisher';
import { PayloadRenderer, RenderError, TemplateError } from './payload-renderer';
import { rowKey } from './row-identity';
import type { RecordPreview, RecordTarget } from './run/record-target';
import { pickRows } from './row-picker';

function limitOf(destination: Destination | undefined): number {
  return destination ? engineKind(destination.kind).maxRecordBytes : KINESIS_LIMITS.maxRecordBytes;
}

/** Without a destination the preview is a Kinesis record's. */
const KINESIS_PREVIEW: RecordPreview = { kafka: null, tombstone: false, partitionKey: true, suffix: '' };

/**
 * Renders real rows the way a run would, for the editor's live preview: the pretty JSON, the exact
 * bytes on the wire, their size against the destination's limit, and per-row errors. Templates that
 * do not parse come back as problems with line and column.
 */
export async function previewPayload(engine: EngineServices, input: PayloadPreviewRequest): Promise<PayloadPreview> {
  const request = PayloadPreviewRequestSchema.parse(input);
  const model = engine.catalog.getModel(request.model);
  const destination = request.destination ? engine.catalog.getDestination(request.destination) : undefined;
  const problems: PayloadPreview['problems'] = [];
  let renderer: PayloadRenderer | undefined;
  let target: RecordTarget | undefined;
  try {
    renderer = new PayloadRenderer(request.payload, request.partitionKey, request.explicitHashKey);
    // The kind's record target parses its own templates now (Kafka's topic, key, headers).
    target = destination ? engineKind(destination.kind).recordTarget(destination, { kafka: request.kafka }) : undefined;
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    problems.push({ where: err.where, message: err.detail, line: err.position?.line ?? null, column: err.position?.column ?? null });
  }
  const started = performance.now();
  const rows = renderer ? await pickRows(engine, request.model, request.rows, model.primaryKey) : [];
  const sync = request.sync ? engine.catalog.findSync(request.sync) : undefined;
  const snapshotRow = sync ? engine.db.prepare('SELECT row FROM snapshot WHERE sync_id = ? AND key = ?') : undefined;
  const limit = limitOf(destination);
  const items: PreviewItem[] = rows.map(({ rowNumber, row }) => {
    const key = rowKey(row, model.primaryKey) ?? '';
    let previous: Row | null = null;
    let previousFrom: PreviewItem['previousFrom'] = 'none';
    if (request.event !== 'added') {
      const delivered = snapshotRow?.get(sync!.id, key) as { row: string } | undefined;
      previous = delivered ? (JSON.parse(delivered.row) as Row) : row;
      previousFrom = delivered ? 'snapshot' : 'current-row';
    }
    const shown = request.event === 'removed' && previous ? previous : row;
    const ctx = { key, event: request.event, row: shown, previous, run: { id: 0, sync: request.sync ?? '(preview)', startedAt: new Date().toISOString() } };
    const base = { key, rowNumber, event: request.event, previousFrom, limit };
    try {
      const json = renderer!.renderJson(ctx);
      const { kafka: props, tombstone, partitionKey: keyed, suffix } = target?.preview(ctx, renderer!) ?? KINESIS_PREVIEW;
      const partitionKey = keyed ? renderer!.renderKey(ctx).partitionKey : null;
      const data: string | null = tombstone ? null : json + suffix;
      const bytes = Buffer.byteLength(data ?? '') + (partitionKey ? Buffer.byteLength(partitionKey) : 0) + Buffer.byteLength(props?.key ?? '');
      const error = bytes > limit ? `The record is ${bytes} bytes; the destination takes at most ${limit}` : null;
      return { ...base, pretty: tombstone ? null : JSON.stringify(JSON.parse(json), null, 2), data, partitionKey, kafka: props, bytes, error };
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      return { ...base, pretty: null, data: null, partitionKey: null, kafka: null, bytes: 0, error: err.message };
    }
  });
  return { items, problems, destinationKind: destination?.kind ?? null, renderMs: Math.round((performance.now() - started) * 10) / 10 };
}
