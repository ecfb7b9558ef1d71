// The routing math lives in shared/routing (pure TypeScript, also used by the renderer's routing preview).
export { kinesisShardFor, shardRangeOf, type ShardRange } from '../routing/kinesis-hash';
