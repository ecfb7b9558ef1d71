import type { Destination } from '../../../shared/config/destination';
import { DRY_RUN_REJECTS_LISTED, type DryRunPlan, type RowReject } from '../../../shared/config/sync';
import { choosePartition } from '../../kafka/producer';
import type { OutRecord } from '../../publishers/publisher';
import type { Differ, WorkItem } from '../differ';
import { kinesisShardFor, shardRangeOf, type ShardRange } from '../routing';
import { PAGE, type RunContext, type RunPublisher } from './context';
import type { RecordMaker } from './record-maker';

type Reason = DryRunPlan['rejected']['first'][number]['reason'];

/** What a dry run answers: the plan, and (Kinesis) the records per shard as before. */
export interface DryRunResult {
  perShard: Record<string, number> | null;
  plan: DryRunPlan;
}

/** Counts records per target as the real run would place them. */
interface Placer {
  readonly per: DryRunPlan['per'];
  place(record: OutRecord, item: WorkItem): Promise<void> | void;
  targets(): DryRunPlan['targets'];
  roundRobin: number;
  note: string | null;
}

function kinesisPlacer(shards: ShardRange[] | null, note: string | null): Placer {
  const counts = new Map<string, number>((shards ?? []).map((s) => [s.shardId, 0]));
  return {
    per: 'shard',
    roundRobin: 0,
    note,
    place(record) {
      if (!shards?.length || record.kind !== 'kinesis') return;
      const shard = kinesisShardFor(shards, record.partitionKey, record.explicitHashKey);
      if (shard) counts.set(shard, (counts.get(shard) ?? 0) + 1);
    },
    targets: () => [...counts].map(([id, records]) => ({ id, records })),
  };
}

function firehosePlacer(defaultStream: string): Placer {
  const counts = new Map<string, number>();
  return {
    per: 'delivery-stream',
    roundRobin: 0,
    note: null,
    place(record) {
      if (record.kind !== 'firehose') return;
      const stream = record.deliveryStream ?? defaultStream; // as FirehosePublisher sends it
      counts.set(stream, (counts.get(stream) ?? 0) + 1);
    },
    targets: () => [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([id, records]) => ({ id, records })),
  };
}

/**
 * Kafka: each topic's partitions from the broker (once per topic), then the partition the publisher
 * would choose (`choosePartition`: explicit partition, else murmur2 of the key; records with
 * neither are only counted, as they spread round-robin in send order). A partition the topic lacks or a topic the cluster lacks rejects the record.
 */
function kafkaPlacer(ctx: RunContext, publisher: RunPublisher, reject: (item: WorkItem, reason: Reason, message: string) => void): Placer {
  const partitions = new Map<string, number[] | null>();
  const counts = new Map<string, { topic: string; partition: number; records: number }>();
  let unreadable: string | null = null;
  const placer: Placer = {
    per: 'partition',
    roundRobin: 0,
    note: null,
    async place(record, item) {
      if (record.kind !== 'kafka') return;
      const k = record.kafka;
      if (!partitions.has(k.topic) && unreadable === null) {
        try {
          if (!publisher.partitionCount) throw new Error('this publisher cannot tell partitions');
          const n = await publisher.partitionCount(k.topic);
          partitions.set(k.topic, n === null ? null : Array.from({ length: n }, (_, i) => i));
        } catch (err) {
          unreadable = ctx.deps.redactor.redact((err as Error).message);
          placer.note = `Could not read the topics' partitions (${unreadable}): records are not placed on partitions.`;
          ctx.deps.log.warn('run.dry-run-no-partitions', { error: unreadable });
        }
      }
      if (unreadable !== null) return;
      const ids = partitions.get(k.topic);
      if (!ids) return reject(item, 'unknown-topic', `The topic "${k.topic}" does not exist on the cluster (Sluice never creates topics)`);
      const placed = choosePartition(k, ids, () => 0); // (keyless records stop below)
      if ('code' in placed) return reject(item, 'invalid-partition', placed.message);
      // Keyless records spread round-robin in the order the send queue takes them (not the work
      // list's): counted apart, since which partition each one takes is not known before.
      if (k.partition === null && k.key === null) {
        placer.roundRobin++;
        return;
      }
      const id = `${k.topic}/${placed.partition}`;
      const c = counts.get(id);
      if (c) c.records++;
      else counts.set(id, { topic: k.topic, partition: placed.partition, records: 1 });
    },
    targets: () =>
      [...counts]
        .sort(([, a], [, b]) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
        .map(([id, c]) => ({ id, records: c.records, topic: c.topic, partition: c.partition })),
  };
  return placer;
}

/** The records a real run would reject, from the run's listed rows: per reason, and the first ones. */
function rejectedOf(rejects: RowReject[]): DryRunPlan['rejected'] {
  const perReason: DryRunPlan['rejected']['perReason'] = {};
  const first: DryRunPlan['rejected']['first'] = [];
  let total = 0;
  for (const r of rejects) {
    if (r.reason === 'unmatched') continue; // skipped under `unmatched: skip`: not a rejection
    // Under `unmatched: reject` the router's refusal is a render error naming it.
    const reason: Reason = r.reason === 'render-error' && /no event → delivery stream row matches/.test(r.detail) ? 'unmatched' : r.reason;
    perReason[reason] = (perReason[reason] ?? 0) + 1;
    total++;
    if (first.length < DRY_RUN_REJECTS_LISTED) first.push({ key: r.key, reason, detail: r.detail });
  }
  return { total, perReason, first };
}

/**
 * A dry run: every record is rendered and placed as a run would place it — the shard (Kinesis), the
 * topic partition (Kafka), the delivery stream (Firehose) — nothing is sent and no state changes.
 * Records a real run would reject (a template error, too large, a partition or topic that does not
 * exist, a Firehose event no route takes under `unmatched: reject`) are counted as failed and listed.
 */
export async function dryRun(ctx: RunContext, differ: Differ, records: RecordMaker, destination: Destination): Promise<DryRunResult> {
  const publisher = await ctx.deps.publisherFor(destination, { runId: ctx.runId, dryRun: true });
  const reject = (item: WorkItem, reason: Reason, message: string) => {
    ctx.rejects.push({
      reason: reason as RowReject['reason'],
      key: item.key,
      rowNumber: item.rowNumber,
      detail: `Row ${item.rowNumber ?? '(removed)'} (key ${item.key}, ${item.event}): ${message}`,
    });
    ctx.counts.failed++;
  };
  let placer: Placer;
  if (destination.kind === 'kafka') placer = kafkaPlacer(ctx, publisher, reject);
  else if (destination.kind === 'firehose') placer = firehosePlacer(destination.deliveryStream);
  else {
    let shards: ShardRange[] | null = null;
    let note: string | null = null;
    try {
      shards = ((await publisher.shards?.()) ?? []).map(shardRangeOf);
    } catch (err) {
      note = `Could not list the stream's shards (${ctx.deps.redactor.redact((err as Error).message)}): records are not placed on shards.`;
      ctx.deps.log.warn('run.dry-run-no-shards', { error: (err as Error).message });
    }
    placer = kinesisPlacer(shards, note);
  }
  try {
    for (let after = 0; ;) {
      const page = differ.page(after, PAGE);
      if (page.length === 0 || ctx.cancelled) break;
      after = page[page.length - 1]!.seq;
      for (const item of page) {
        const record = records.render(item);
        if (!record || records.oversize(publisher, record, item)) continue;
        await placer.place(record, item);
      }
      ctx.progress();
    }
  } finally {
    await publisher.close();
  }
  const targets = placer.targets();
  const plan: DryRunPlan = { per: placer.per, targets, roundRobin: placer.roundRobin, note: placer.note, rejected: rejectedOf(ctx.rejects) };
  const perShard = placer.per === 'shard' && placer.note === null ? Object.fromEntries(targets.map((t) => [t.id, t.records])) : null;
  return { perShard, plan };
}
