import type { Router, RouterDeps } from '../../../routing/router';
import { kinesisHashOf, shardForHash, shardRangeOf, shardShare, type ShardRange } from '../../../routing/kinesis-hash';
import type { KinesisPublisher } from '../../../publishers/kinesis-publisher';
import { PayloadRenderer } from '../../../sync/payload-renderer';

/** Kinesis: the stream's shard ranges (ListShards), the MD5 of the partition key or the explicit hash key. */
export function kinesisRouter({ sync, numberColumns, publisher: publisherOf }: RouterDeps): Router {
  let shards: ShardRange[] = [];
  const share = new Map<string, number>();
  const renderer = new PayloadRenderer(sync.payload, sync.partitionKey, sync.explicitHashKey, numberColumns);
  return {
    noun: 'shard',
    unreachable: "Could not list the stream's shards",
    warns: true,
    async open() {
      const publisher = (await publisherOf()) as KinesisPublisher;
      try {
        shards = (await publisher.shards()).map(shardRangeOf);
      } finally {
        await publisher.close();
      }
      shards.sort((a, b) => (a.start < b.start ? -1 : 1));
      for (const s of shards) share.set(s.shardId, shardShare(s));
    },
    route(ctx) {
      const { data, partitionKey, explicitHashKey } = renderer.render(ctx);
      const hash = kinesisHashOf(partitionKey, explicitHashKey);
      const shard = shardForHash(shards, hash) ?? null;
      return Promise.resolve({
        bucket: shard,
        shown: shard,
        roundRobin: false,
        fairShare: shard ? (share.get(shard) ?? 0) : 0,
        hotKey: { id: partitionKey, label: partitionKey },
        partitionKey,
        explicitHashKey: explicitHashKey ?? null,
        hash: hash.toString(),
        bytes: data.length + Buffer.byteLength(partitionKey),
      });
    },
    buckets: () => shards.map((s) => ({ id: s.shardId, records: 0, bytes: 0, fairShare: shardShare(s) })),
    finish: (tally) => [...tally.values()],
    topology: () => shards.map((s) => ({ id: s.shardId, detail: `hash keys ${s.start} – ${s.end}` })),
    close: () => Promise.resolve(),
  };
}
