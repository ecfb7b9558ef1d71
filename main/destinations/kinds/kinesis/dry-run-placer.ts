import { kinesisShardFor, shardRangeOf, type ShardRange } from '../../../sync/routing';
import type { Placer, PlacerDeps } from '../../../sync/run/placer';

/** Kinesis: the stream's shards (ListShards), then the shard each record's hash key falls in. */
export async function kinesisPlacer({ ctx, publisher }: PlacerDeps): Promise<Placer> {
  let shards: ShardRange[] | null = null;
  let note: string | null = null;
  try {
    shards = ((await publisher.shards?.()) ?? []).map(shardRangeOf);
  } catch (err) {
    note = `Could not list the stream's shards (${ctx.deps.redactor.redact((err as Error).message)}): records are not placed on shards.`;
    ctx.deps.log.warn('run.dry-run-no-shards', { error: (err as Error).message });
  }
  return shardPlacer(shards, note);
}

function shardPlacer(shards: ShardRange[] | null, note: string | null): Placer {
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
