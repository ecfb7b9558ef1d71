import { kinesisStream } from './stream-param';
import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';

/**
 * Every shard of a stream, following ListShards' NextToken through all pages (closed shards
 * included). `requestOptions` is asked once per page (e.g. a fresh timeout signal for each request).
 */
export async function listShards(client: KinesisClient, stream: string, requestOptions?: () => { abortSignal?: AbortSignal }): Promise<Shard[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(token ? { NextToken: token } : kinesisStream(stream)), requestOptions?.());
    shards.push(...(page.Shards ?? []));
    token = page.NextToken;
  } while (token);
  return shards;
}
