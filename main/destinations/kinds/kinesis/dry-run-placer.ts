import { kinesisShardFor, shardRangeOf, type ShardRange } from '../../../sync/routing';
import type { Placer, PlacerDeps } from '../../../sync/run/placer';
import type { KinesisDestination } from './client';
import { unreachable } from './unreachable';

/**
 * Kinesis: the stream's shards (ListShards), then the shard each record's hash key falls in. A stream
 * whose shards cannot be listed (out of reach, not there, not allowed) fails the dry run in the words its
 * inspector uses, once its rows are rendered (`failure`): a plan without places is no plan (it said
 * "succeeded", with a note that no record was placed).
 */
export async function kinesisPlacer(d: KinesisDestination, { publisher }: PlacerDeps): Promise<Placer> {
  try {
    if (!publisher.shards) throw new Error('this publisher cannot list shards');
    return shardPlacer((await publisher.shards().catch(unreachable(d, `list the shards of ${d.stream}`))).map(shardRangeOf), null);
  } catch (err) {
    return shardPlacer([], err instanceof Error ? err : new Error(String(err)));
  }
}

function shardPlacer(shards: ShardRange[], failure: Error | null): Placer {
  const counts = new Map<string, number>(shards.map((s) => [s.shardId, 0]));
  return {
    per: 'shard',
    roundRobin: 0,
    note: null,
    failure,
    place(record) {
      if (!shards.length || record.kind !== 'kinesis') return;
      const shard = kinesisShardFor(shards, record.partitionKey, record.explicitHashKey);
      if (shard) counts.set(shard, (counts.get(shard) ?? 0) + 1);
    },
    targets: () => [...counts].map(([id, records]) => ({ id, records })),
  };
}
