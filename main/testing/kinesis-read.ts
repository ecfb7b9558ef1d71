import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

export interface ReadRecord {
  partitionKey: string;
  data: Buffer;
  shardId: string;
  sequenceNumber: string;
}

/** Every record of a stream, shard by shard from its start (test support: streams of test size). */
export async function readAllRecords(client: KinesisClient, stream: string): Promise<ReadRecord[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const out: ReadRecord[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (let i = 0; i < 1000 && iterator; i++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
      for (const r of page.Records ?? [])
        out.push({ partitionKey: r.PartitionKey!, data: Buffer.from(r.Data!), shardId: shard.ShardId!, sequenceNumber: r.SequenceNumber! });
      if (!page.Records?.length && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}
