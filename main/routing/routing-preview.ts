import type { Destination } from '../../shared/config/destination';
import { KafkaMessageSchema, type Sync } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { hotKeyWarnings, routingWarnings, type Bucket, type KeyTally } from '../../shared/routing/histogram';
import { kinesisHashOf, shardForHash, shardRangeOf, shardShare, type ShardRange } from './kinesis-hash';
import { murmur2, toPositive } from '../../shared/routing/murmur2';
import { RoutingPreviewRequestSchema, type RoutedRecord, type RoutingPreview, type RoutingPreviewRequest } from '../../shared/routing/routing-preview';
import type { EngineServices } from '../engine/services';
import { publisherFor } from '../destinations/publisher-factory';
import { kafkaConfig } from '../kafka/client';
import { KafkaCallRecorder } from '../kafka/instrumentation';
import type { KinesisPublisher } from '../publishers/kinesis-publisher';
import { KafkaPartitionCounts } from '../kafka/partition-counts';
import { FirehoseRouter, UnmatchedEvent } from '../sync/firehose-routing';
import { KafkaMessageRenderer } from '../sync/kafka-message';
import { PayloadRenderer, RenderError, type RenderContext } from '../sync/payload-renderer';
import { rowKey } from '../sync/row-identity';
import { RowPicker, scanModel, type PickedRow, type RowsPick } from '../sync/row-picker';

type Picked = PickedRow;

/** The previewed rows (first N / by key / random) and a reservoir sample of the whole model, in one pass. */
async function readRows(engine: EngineServices, sync: Sync, rows: RowsPick, sampleSize: number): Promise<{ shown: Picked[]; sample: Picked[]; total: number }> {
  const model = engine.catalog.getModel(sync.model);
  const shown = new RowPicker(rows, model.primaryKey);
  const sample = new RowPicker({ mode: 'random', count: sampleSize }, model.primaryKey);
  let total = 0;
  await scanModel(engine, model.name, (item) => {
    total++;
    shown.offer(item);
    sample.offer(item);
  });
  return { shown: shown.picked, sample: sample.picked, total };
}

interface Router {
  noun: RoutingPreview['noun'];
  topology: RoutingPreview['topology'];
  /** Where one row's record goes; throws RenderError for a row problem. */
  route(ctx: RenderContext): Omit<RoutedRecord, 'key' | 'rowNumber' | 'error'>;
  buckets(): Bucket[];
}

async function kinesisRouter(engine: EngineServices, destination: Destination, sync: Sync): Promise<Router> {
  const publisher = (await publisherFor(destination, engine.secretResolver, engine.sandbox, recorded(engine, destination))) as KinesisPublisher;
  let shards: ShardRange[];
  try {
    shards = (await publisher.shards()).map(shardRangeOf);
  } finally {
    await publisher.close();
  }
  shards.sort((a, b) => (a.start < b.start ? -1 : 1));
  const renderer = new PayloadRenderer(sync.payload, sync.partitionKey, sync.explicitHashKey);
  return {
    noun: 'shard',
    topology: shards.map((s) => ({ id: s.shardId, detail: `hash keys ${s.start} – ${s.end}` })),
    route(ctx) {
      const { data, partitionKey, explicitHashKey } = renderer.render(ctx);
      const hash = kinesisHashOf(partitionKey, explicitHashKey);
      return {
        target: shardForHash(shards, hash) ?? null,
        partitionKey,
        explicitHashKey: explicitHashKey ?? null,
        hash: hash.toString(),
        bytes: data.length + Buffer.byteLength(partitionKey),
      };
    },
    buckets: () => shards.map((s) => ({ id: s.shardId, records: 0, bytes: 0, fairShare: shardShare(s) })),
  };
}

interface KafkaRoute {
  topic: string;
  partition: number | null;
  partitionKey: string | null;
  hash: string | null;
  bytes: number;
}

/** The preview's calls (ListShards, Kafka metadata) are listed in the Debugger like every other call. */
function recorded(engine: EngineServices, destination: Destination) {
  return engine.recorder.scope({ runId: null, context: 'routing-preview', destination: destination.name });
}

/** Kafka: the topic's partition count from the broker (per topic, fetched once), murmur2 of the key. */
class KafkaRouter {
  readonly partitionCounts = new Map<string, number>();
  private readonly message: KafkaMessageRenderer;
  private readonly renderer: PayloadRenderer;

  constructor(
    destination: Extract<Destination, { kind: 'kafka' }>,
    sync: Sync,
    private readonly counts: KafkaPartitionCounts,
  ) {
    this.message = new KafkaMessageRenderer(sync.kafka ?? KafkaMessageSchema.parse({}), destination.topic);
    this.renderer = new PayloadRenderer(sync.payload, { kind: 'primary-key' });
  }

  async route(ctx: RenderContext): Promise<KafkaRoute> {
    const props = this.message.render(ctx);
    const data = ctx.event === 'removed' && this.message.tombstones ? '' : this.renderer.renderJson(ctx);
    if (!this.partitionCounts.has(props.topic)) this.partitionCounts.set(props.topic, await this.counts.count(props.topic));
    const n = this.partitionCounts.get(props.topic)!;
    if (n === 0) throw new RenderError(`the topic "${props.topic}" does not exist on the cluster`);
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(props.key ?? '');
    if (props.partition !== null) {
      if (props.partition >= n) throw new RenderError(`partition ${props.partition} does not exist in "${props.topic}" (it has ${n})`);
      return { topic: props.topic, partition: props.partition, partitionKey: props.key, hash: null, bytes };
    }
    if (props.key === null) return { topic: props.topic, partition: null, partitionKey: null, hash: null, bytes };
    const hash = murmur2(props.key);
    return { topic: props.topic, partition: toPositive(hash) % n, partitionKey: props.key, hash: String(hash), bytes };
  }
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
    ...(request.partitionKey ? { partitionKey: request.partitionKey } : {}),
    ...(request.explicitHashKey !== undefined ? { explicitHashKey: request.explicitHashKey ?? undefined } : {}),
    ...(request.kafka ? { kafka: request.kafka } : {}),
    ...(request.firehose !== undefined ? { firehose: request.firehose ?? undefined } : {}),
  };
  const destination = engine.catalog.getDestination(sync.destination);
  const model = engine.catalog.getModel(sync.model);
  const lastRate = engine.runs.list(saved.id, 10).find((r) => !r.dryRun && r.ratePerSecond > 0)?.ratePerSecond ?? null;
  const ratePerSecond = request.ratePerSecond ?? lastRate;
  const nextRunId = (engine.db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS n FROM runs').get() as { n: number }).n;
  const startedAt = new Date().toISOString();
  const ctxOf = (p: Picked): RenderContext => ({
    key: rowKey(p.row, model.primaryKey) ?? '',
    event: 'added',
    row: p.row,
    previous: null,
    run: { id: nextRunId, sync: sync.name, startedAt },
  });

  const base = { destinationKind: destination.kind, ratePerSecond, problem: null as string | null };
  const { shown, sample, total } = await readRows(engine, sync, request.rows, request.sample);
  const items: RoutedRecord[] = [];
  const tally = new Map<string, Bucket>();
  let errors = 0;
  let roundRobin = 0;
  let skipped = 0;
  const keys = new Map<string, KeyTally>();
  const countKey = (orderingKey: string, label: string, bucket: string) => {
    const k = keys.get(orderingKey);
    if (k) k.records++;
    else keys.set(orderingKey, { label, records: 1, bucket });
  };
  const count = (id: string, bytes: number, fairShare: number) => {
    const b = tally.get(id) ?? { id, records: 0, bytes: 0, fairShare };
    b.records++;
    b.bytes += bytes;
    tally.set(id, b);
  };

  if (destination.kind === 'kafka') {
    // Only the destination's own secrets (issue 12), as publisherFor does for Kinesis: one bound to other brokers is refused before it is read.
    const counts = new KafkaPartitionCounts(
      await kafkaConfig(destination, engine.secretResolver.forDestination(destination)),
      new KafkaCallRecorder(recorded(engine, destination), destination.brokers),
    );
    const r = new KafkaRouter(destination, sync, counts);
    try {
      const label = (topic: string, partition: number) =>
        topic === (destination.topic ?? topic) && !sync.kafka?.topic && !sync.kafka?.topicByTrigger ? String(partition) : `${topic}/${partition}`;
      for (const p of shown) {
        const ctx = ctxOf(p);
        try {
          const x = await r.route(ctx);
          items.push({
            key: ctx.key,
            rowNumber: p.rowNumber,
            target: x.partition === null ? 'round-robin' : label(x.topic, x.partition),
            partitionKey: x.partitionKey,
            explicitHashKey: null,
            hash: x.hash,
            bytes: x.bytes,
            error: null,
          });
        } catch (err) {
          if (!(err instanceof RenderError)) throw err;
          items.push({
            key: ctx.key,
            rowNumber: p.rowNumber,
            target: null,
            partitionKey: null,
            explicitHashKey: null,
            hash: null,
            bytes: 0,
            error: err.message,
          });
        }
      }
      for (const p of sample) {
        try {
          const x = await r.route(ctxOf(p));
          if (x.partition === null) roundRobin++;
          else count(label(x.topic, x.partition), x.bytes, 1 / r.partitionCounts.get(x.topic)!);
          if (x.partition !== null && x.partitionKey !== null) countKey(`${x.topic}\u0000${x.partitionKey}`, x.partitionKey, label(x.topic, x.partition));
        } catch (err) {
          if (!(err instanceof RenderError)) throw err;
          errors++;
        }
      }
      // Every partition of each topic seen shows, empty ones too.
      for (const [topic, n] of r.partitionCounts)
        for (let i = 0; i < n; i++)
          if (!tally.has(label(topic, i))) tally.set(label(topic, i), { id: label(topic, i), records: 0, bytes: 0, fairShare: 1 / n });
      const buckets = [...tally.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
      return {
        ...base,
        noun: 'partition',
        topology: [...r.partitionCounts].map(([topic, n]) => ({ id: topic, detail: n ? `${n} partitions` : 'does not exist' })),
        items,
        sample: { rows: sample.length, modelRows: total, buckets, errors, roundRobin, skipped },
        warnings: [...routingWarnings(buckets, ratePerSecond, 'partition'), ...hotKeyWarnings(keys.values(), sample.length - errors, 'partition')],
      };
    } catch (err) {
      // The cluster could not be asked (unreachable, refused, authentication): told like Kinesis's ListShards.
      if (err instanceof SluiceError || err instanceof RenderError) throw err;
      const e = err as Error;
      return {
        ...base,
        noun: 'partition',
        topology: [],
        items: [],
        sample: { rows: 0, modelRows: total, buckets: [], errors: 0, roundRobin: 0, skipped: 0 },
        warnings: [],
        problem: `Could not read the topics' partitions: ${engine.redactor.redact(`${e.name}: ${e.message}`)}`,
      };
    } finally {
      await counts.close().catch(() => undefined);
    }
  }

  let router: Router;
  if (destination.kind === 'firehose') {
    const renderer = new PayloadRenderer(sync.payload, { kind: 'primary-key' });
    const fh = sync.firehose ? new FirehoseRouter(sync.firehose) : undefined;
    const streams = sync.firehose ? [...new Set(sync.firehose.routes.map((r) => r.stream))] : [destination.deliveryStream];
    router = {
      noun: 'delivery stream',
      topology: streams.map((s) => ({ id: s, detail: 'delivery stream' })),
      route(ctx) {
        const data = renderer.renderJson(ctx);
        return {
          target: fh ? fh.route(ctx) : destination.deliveryStream,
          partitionKey: null,
          explicitHashKey: null,
          hash: null,
          bytes: Buffer.byteLength(data) + (destination.appendNewline ? 1 : 0),
        };
      },
      buckets: () => streams.map((s) => ({ id: s, records: 0, bytes: 0, fairShare: 1 / streams.length })),
    };
  } else {
    try {
      router = await kinesisRouter(engine, destination, sync);
    } catch (err) {
      if (err instanceof SluiceError) throw err;
      const e = err as Error;
      return {
        ...base,
        noun: 'shard',
        topology: [],
        items: [],
        sample: { rows: 0, modelRows: total, buckets: [], errors: 0, roundRobin: 0, skipped: 0 },
        warnings: [],
        problem: `Could not list the stream's shards: ${engine.redactor.redact(`${e.name}: ${e.message}`)}`,
      };
    }
  }
  for (const b of router.buckets()) tally.set(b.id, b);
  for (const p of shown) {
    const ctx = ctxOf(p);
    try {
      items.push({ key: ctx.key, rowNumber: p.rowNumber, ...router.route(ctx), error: null });
    } catch (err) {
      // A Firehose record no route takes (unmatched: skip) shows with its reason, as a row that does not render.
      if (!(err instanceof RenderError || err instanceof UnmatchedEvent)) throw err;
      items.push({
        key: ctx.key,
        rowNumber: p.rowNumber,
        target: null,
        partitionKey: null,
        explicitHashKey: null,
        hash: null,
        bytes: 0,
        error: `Row ${p.rowNumber} (key ${ctx.key}): ${err.message}`,
      });
    }
  }
  for (const p of sample) {
    try {
      const x = router.route(ctxOf(p));
      if (x.target !== null) count(x.target, x.bytes, tally.get(x.target)?.fairShare ?? 0);
      if (x.target !== null && x.partitionKey !== null) countKey(x.partitionKey, x.partitionKey, x.target);
    } catch (err) {
      if (err instanceof UnmatchedEvent) {
        skipped++; // skipped on purpose: in no bucket, and not an error
        continue;
      }
      if (!(err instanceof RenderError)) throw err;
      errors++;
    }
  }
  const buckets = [...tally.values()];
  return {
    ...base,
    noun: router.noun,
    topology: router.topology,
    items,
    sample: { rows: sample.length, modelRows: total, buckets, errors, roundRobin, skipped },
    warnings:
      destination.kind === 'firehose'
        ? []
        : [...routingWarnings(buckets, ratePerSecond, 'shard'), ...hotKeyWarnings(keys.values(), sample.length - errors, 'shard')],
  };
}
