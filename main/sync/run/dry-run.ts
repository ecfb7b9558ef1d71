import type { Destination } from '../../../shared/config/destination';
import type { Differ } from '../differ';
import { kinesisShardFor, shardRangeOf, type ShardRange } from '../routing';
import { PAGE, type RunContext } from './context';
import type { RecordMaker } from './record-maker';

/**
 * A dry run: every record is rendered and placed as a run would (the shard, for Kinesis), nothing is
 * sent and no state changes. Answers the records per shard (null when the stream's shards are unknown).
 */
export async function dryRun(ctx: RunContext, differ: Differ, records: RecordMaker, destination: Destination): Promise<Record<string, number> | null> {
  const publisher = await ctx.deps.publisherFor(destination, { runId: ctx.runId, dryRun: true });
  let shards: ShardRange[] = [];
  let perShard: Record<string, number> | null = null;
  try {
    shards = ((await publisher.shards?.()) ?? []).map(shardRangeOf);
    perShard = Object.fromEntries(shards.map((s) => [s.shardId, 0]));
  } catch (err) {
    ctx.deps.log.warn('run.dry-run-no-shards', { error: (err as Error).message });
  }
  try {
    for (let after = 0; ; ) {
      const page = differ.page(after, PAGE);
      if (page.length === 0 || ctx.cancelled) break;
      after = page[page.length - 1]!.seq;
      for (const item of page) {
        const record = records.render(item);
        if (!record || records.oversize(publisher, record, item)) continue;
        const shard = shards.length ? kinesisShardFor(shards, record.partitionKey, record.explicitHashKey) : undefined;
        if (shard && perShard) perShard[shard] = (perShard[shard] ?? 0) + 1;
      }
      ctx.progress();
    }
  } finally {
    await publisher.close();
  }
  return perShard;
}
