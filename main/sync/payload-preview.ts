import type { Destination } from '../../shared/config/destination';
import { PayloadPreviewRequestSchema, type PayloadPreview, type PayloadPreviewRequest, type PreviewItem } from '../../shared/config/payload-preview';
import { rowUnitOf, type Row, type RowUnit } from '../../shared/config/source';
import { prettyJson } from '../../shared/json/minify';
import type { EngineServices } from '../engine/services';
import { engineKind } from '../destinations/kinds/registry';
import { KINESIS_LIMITS } from '../publishers/kinesis-publisher';
import { PayloadRenderer, RenderError, TemplateError } from './payload-renderer';
import { keyService } from './partition-key-words';
import { rowKey } from './row-identity';
import type { RecordPreview, RecordTarget } from './run/record-target';
import { pickModelRows } from './row-picker';
import { withColumns } from '../sources/sparse-rows';
import { SluiceError } from '../../shared/ipc/errors';

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
    renderer = new PayloadRenderer(request.payload, request.partitionKey, request.explicitHashKey, [], keyService(destination?.kind ?? 'kinesis'));
    // The kind's record target parses its own templates now (Kafka's topic, key, headers).
    target = destination ? engineKind(destination.kind).recordTarget(destination, { kafka: request.kafka }) : undefined;
  } catch (err) {
    // Settings that can never be sent (two headers of one name, mapping keys that overlap) are a problem
    // the preview shows, as a template's syntax error is; the editor stays usable to mend them.
    if (err instanceof TemplateError)
      problems.push({ where: err.where, message: err.detail, line: err.position?.line ?? null, column: err.position?.column ?? null });
    else if (err instanceof SluiceError && err.code === 'invalid-input')
      // Its message names the setting ("The mapping's key \"x\" (field 1) …"): no place said before it.
      problems.push({ where: '', message: err.message, line: null, column: null });
    else throw err;
  }
  const started = performance.now();
  const { rows, numberColumns } = renderer ? await pickModelRows(engine, request.model, request.rows, model.primaryKey) : { rows: [], numberColumns: [] };
  const forRows = renderer?.withNumberColumns(numberColumns);
  const sync = request.sync ? engine.catalog.findSync(request.sync) : undefined;
  const snapshotRow = sync ? engine.db.prepare('SELECT row FROM snapshot WHERE sync_id = ? AND key = ?') : undefined;
  const limit = limitOf(destination);
  const rowUnit = rowUnitOf(engine.catalog.getSource(model.source).kind);
  const items = rows.map(({ rowNumber, row }) => {
    const key = rowKey(row, model.primaryKey) ?? '';
    const delivered = request.event === 'added' ? undefined : (snapshotRow?.get(sync!.id, key) as { row: string } | undefined);
    return previewItem(
      request,
      { rowNumber, rowUnit, row, key, delivered: delivered ? withColumns(JSON.parse(delivered.row) as Row, Object.keys(row)) : undefined },
      forRows!,
      target,
      limit,
    );
  });
  return { items, problems, destinationKind: destination?.kind ?? null, renderMs: Math.round((performance.now() - started) * 10) / 10, numberColumns };
}

/** One row as the preview shows it: rendered for the request's event (with the row as last delivered, or as it is now), its bytes against the limit. */
function previewItem(
  request: PayloadPreviewRequest & { event: PreviewItem['event'] },
  picked: { rowNumber: number | null; rowUnit: RowUnit; row: Row; key: string; delivered: Row | undefined },
  renderer: PayloadRenderer,
  target: RecordTarget | undefined,
  limit: number,
): PreviewItem {
  const { rowNumber, rowUnit, row, key, delivered } = picked;
  const previous = request.event === 'added' ? null : (delivered ?? row);
  const previousFrom: PreviewItem['previousFrom'] = request.event === 'added' ? 'none' : delivered ? 'snapshot' : 'current-row';
  const shown = request.event === 'removed' && previous ? previous : row;
  const ctx = { key, event: request.event, row: shown, previous, run: { id: 0, sync: request.sync ?? '(preview)', startedAt: new Date().toISOString() } };
  const base = { key, rowNumber, rowUnit, event: request.event, previousFrom, limit };
  try {
    const json = renderer.renderJson(ctx);
    const { kafka, tombstone, partitionKey: keyed, suffix } = target?.preview(ctx) ?? KINESIS_PREVIEW;
    const partitionKey = keyed ? renderer.renderKey(ctx).partitionKey : null;
    const data: string | null = tombstone ? null : json + suffix;
    const bytes = Buffer.byteLength(data ?? '') + (partitionKey ? Buffer.byteLength(partitionKey) : 0) + Buffer.byteLength(kafka?.key ?? '');
    const error = bytes > limit ? `The record is ${bytes} bytes; the destination takes at most ${limit}` : null;
    return { ...base, pretty: tombstone ? null : prettyJson(json), data, partitionKey, kafka, bytes, error };
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    return { ...base, pretty: null, data: null, partitionKey: null, kafka: null, bytes: 0, error: err.message };
  }
}
