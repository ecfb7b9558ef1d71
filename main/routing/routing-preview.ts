import { rowPlace, rowUnitOf, type RowUnit } from '../../shared/config/source';
import type { Sync } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { hotKeyWarnings, routingWarnings, type Bucket, type KeyTally } from '../../shared/routing/histogram';
import { RoutingPreviewRequestSchema, type RoutedRecord, type RoutingPreview, type RoutingPreviewRequest } from '../../shared/routing/routing-preview';
import type { EngineServices } from '../engine/services';
import { engineKind } from '../destinations/kinds/registry';
import { publisherFor } from '../destinations/publisher-factory';
import { UnmatchedEvent } from '../sync/firehose-routing';
import { RenderError, type RenderContext } from '../sync/payload-renderer';
import { rowKey } from '../sync/row-identity';
import { nextRunId } from '../sync/run-store';
import type { Router } from './router';
import { RowPicker, scanModel, type PickedRow, type RowsPick } from '../sync/row-picker';
import { sharedModelRead } from '../sources/shared-reads';

type Picked = PickedRow;

/** The previewed rows (first N / by key / random) and a reservoir sample of the whole model, in one pass. */
async function readRows(
  engine: EngineServices,
  sync: Sync,
  rows: RowsPick,
  sampleSize: number,
): Promise<{ shown: Picked[]; sample: Picked[]; total: number; numberColumns: string[] }> {
  const model = engine.catalog.getModel(sync.model);
  // Asked again as each setting rests: the same rows asked while they are read share that read.
  return sharedModelRead(engine, 'routing', model, [rows, sampleSize], async () => {
    const shown = new RowPicker(rows, model.primaryKey);
    const sample = new RowPicker({ mode: 'random', count: sampleSize }, model.primaryKey);
    let total = 0;
    const numberColumns = await scanModel(engine, model.name, (item) => {
      total++;
      shown.offer(item);
      sample.offer(item);
    });
    return { shown: shown.picked, sample: sample.picked, total, numberColumns };
  });
}

/**
 * The routing preview: for the previewed rows and a sample of the whole model, where each record
 * would land — the Kinesis shard (MD5 of the partition key, or the explicit hash key, against the
 * stream's shard ranges from ListShards), the Kafka partition (murmur2 of the key modulo the topic's
 * partition count from the broker's metadata), or the Firehose delivery stream — with a histogram
 * and warnings for hot shards or partitions.
 */
export async function previewRouting(engine: EngineServices, input: RoutingPreviewRequest): Promise<RoutingPreview> {
  const request = RoutingPreviewRequestSchema.parse(input);
  const saved = engine.catalog.getSync(request.sync);
  const sync: Sync = {
    ...saved.definition,
    ...(request.payload ? { payload: request.payload } : {}),
    ...(request.partitionKey ? { partitionKey: request.partitionKey } : {}),
    ...(request.explicitHashKey !== undefined ? { explicitHashKey: request.explicitHashKey ?? undefined } : {}),
    ...(request.kafka ? { kafka: request.kafka } : {}),
    ...(request.firehose !== undefined ? { firehose: request.firehose ?? undefined } : {}),
  };
  const destination = engine.catalog.getDestination(sync.destination);
  const model = engine.catalog.getModel(sync.model);
  const lastRate = engine.runs.list(saved.id, 10).find((r) => !r.dryRun && r.ratePerSecond > 0)?.ratePerSecond ?? null;
  const ratePerSecond = request.ratePerSecond ?? lastRate;
  const runId = nextRunId(engine.db);
  const startedAt = new Date().toISOString();
  const ctxOf = (p: Picked): RenderContext => ({
    key: rowKey(p.row, model.primaryKey) ?? '',
    event: 'added',
    row: p.row,
    previous: null,
    run: { id: runId, sync: sync.name, startedAt },
  });

  const base = { destinationKind: destination.kind, ratePerSecond, problem: null as string | null };
  const { shown, sample, total, numberColumns } = await readRows(engine, sync, request.rows, request.sample);
  const calls = engine.recorder.scope({ runId: null, context: 'routing-preview', destination: destination.name });
  // The preview's calls (ListShards, Kafka metadata) are listed in the Debugger like every other call.
  const router = engineKind(destination.kind).router(destination, {
    engine,
    sync,
    numberColumns,
    calls,
    publisher: () => publisherFor(destination, engine.secretResolver, engine.sandbox, calls),
  });
  try {
    await router.open();
    const items = await routeShown(router, shown, ctxOf, rowUnitOf(engine.catalog.getSource(model.source).kind));
    const { buckets, keys, errors, roundRobin, skipped } = await routeSample(router, sample.map(ctxOf));
    const noun = router.noun === 'partition' ? 'partition' : 'shard';
    return {
      ...base,
      noun: router.noun,
      topology: router.topology(),
      items,
      sample: { rows: sample.length, modelRows: total, buckets, errors, roundRobin, skipped },
      warnings: router.warns ? [...routingWarnings(buckets, ratePerSecond, noun), ...hotKeyWarnings(keys.values(), sample.length - errors, noun)] : [],
    };
  } catch (err) {
    // The destination could not be asked (unreachable, refused, authentication): said, with nothing routed.
    if (err instanceof SluiceError || err instanceof RenderError) throw err;
    const e = err as Error;
    return {
      ...base,
      noun: router.noun,
      topology: [],
      items: [],
      sample: { rows: 0, modelRows: total, buckets: [], errors: 0, roundRobin: 0, skipped: 0 },
      warnings: [],
      problem: `${router.unreachable}: ${engine.redactor.redact(router.explain?.(err) ?? `${e.name}: ${e.message}`)}`,
    };
  } finally {
    await router.close();
  }
}

/** The previewed rows, each with where its record lands or why it does not (a Firehose record no route takes shows with its reason). */
async function routeShown(router: Router, shown: Picked[], ctxOf: (p: Picked) => RenderContext, unit: RowUnit): Promise<RoutedRecord[]> {
  const items: RoutedRecord[] = [];
  for (const p of shown) {
    const ctx = ctxOf(p);
    try {
      const r = await router.route(ctx);
      items.push({
        key: ctx.key,
        rowNumber: p.rowNumber,
        target: r.shown,
        partitionKey: r.partitionKey,
        explicitHashKey: r.explicitHashKey,
        hash: r.hash,
        bytes: r.bytes,
        error: null,
      });
    } catch (err) {
      if (!(err instanceof RenderError || err instanceof UnmatchedEvent)) throw err;
      const error = `${rowPlace(unit, p.rowNumber)} (key ${ctx.key}): ${err.message}`;
      items.push({ key: ctx.key, rowNumber: p.rowNumber, target: null, partitionKey: null, explicitHashKey: null, hash: null, bytes: 0, error });
    }
  }
  return items;
}

/** The histogram over the sample: records and bytes per bucket, records per key (hot keys), and what could not be placed. */
async function routeSample(router: Router, sample: RenderContext[]) {
  const tally = new Map<string, Bucket>(router.buckets().map((b) => [b.id, b]));
  const keys = new Map<string, KeyTally>();
  let errors = 0;
  let roundRobin = 0;
  let skipped = 0;
  for (const ctx of sample) {
    try {
      const r = await router.route(ctx);
      if (r.roundRobin) roundRobin++;
      if (r.bucket === null) continue;
      const b = tally.get(r.bucket) ?? { id: r.bucket, records: 0, bytes: 0, fairShare: r.fairShare };
      b.records++;
      b.bytes += r.bytes;
      tally.set(r.bucket, b);
      if (r.hotKey) {
        const k = keys.get(r.hotKey.id);
        if (k) k.records++;
        else keys.set(r.hotKey.id, { label: r.hotKey.label, records: 1, bucket: r.bucket });
      }
    } catch (err) {
      if (err instanceof UnmatchedEvent) {
        skipped++; // skipped on purpose: in no bucket, and not an error
        continue;
      }
      if (!(err instanceof RenderError)) throw err;
      errors++;
    }
  }
  return { buckets: router.finish(tally), keys, errors, roundRobin, skipped };
}
