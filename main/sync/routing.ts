import { createHash } from 'node:crypto';

export interface ShardRange {
  shardId: string;
  start: bigint;
  end: bigint;
}

/** The shard a Kinesis record lands on: MD5 of the partition key as a 128-bit number, in a shard's range. */
export function kinesisShardFor(shards: readonly ShardRange[], partitionKey: string, explicitHashKey?: string): string | undefined {
  const hash = explicitHashKey !== undefined ? BigInt(explicitHashKey) : BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
  return shards.find((s) => s.start <= hash && hash <= s.end)?.shardId;
}
