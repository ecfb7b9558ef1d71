import { createHash } from 'node:crypto';

/**
 * The MD5 of text's UTF-8 bytes as a 128-bit unsigned big-endian integer: how Kinesis maps a partition
 * key to a shard. node:crypto (faster than the hand-written MD5 it replaced, measured 1.5–3× on 200k keys).
 */
export function md5BigInt(text: string): bigint {
  return BigInt(`0x${md5Hex(text)}`);
}

/** The MD5 of text's UTF-8 bytes, as 32 hex digits. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** One open shard and its inclusive hash-key range. */
export interface ShardRange {
  shardId: string;
  start: bigint;
  end: bigint;
}

export const MAX_HASH_KEY = 2n ** 128n - 1n;

/** A ListShards shard (its id and hash-key range as decimal text) as a ShardRange. */
export function shardRangeOf(shard: { ShardId?: string; HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string } }): ShardRange {
  return { shardId: shard.ShardId!, start: BigInt(shard.HashKeyRange!.StartingHashKey!), end: BigInt(shard.HashKeyRange!.EndingHashKey!) };
}

/**
 * Checks an explicit hash key: a 128-bit unsigned decimal, 0 ≤ n < 2^128, digits only.
 * Answers the number, or a sentence saying what is wrong with it.
 */
export function parseExplicitHashKey(text: string): { ok: true; value: bigint } | { ok: false; message: string } {
  if (!/^\d+$/.test(text)) {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    return { ok: false, message: `the explicit hash key "${shown}" is not a whole decimal number from 0 to 2^128−1 (digits only)` };
  }
  if (text.length > 1 && text.startsWith('0'))
    return { ok: false, message: `the explicit hash key "${text}" has leading zeros; write it as a plain decimal number` };
  const value = BigInt(text);
  if (value > MAX_HASH_KEY) return { ok: false, message: `the explicit hash key ${text} is 2^128 or more; the largest is ${MAX_HASH_KEY}` };
  return { ok: true, value };
}

/** The 128-bit number Kinesis places a record by: the explicit hash key if given, else MD5 of the partition key. */
export function kinesisHashOf(partitionKey: string, explicitHashKey?: string | null): bigint {
  if (explicitHashKey !== undefined && explicitHashKey !== null) {
    const parsed = parseExplicitHashKey(explicitHashKey);
    if (!parsed.ok) throw new RangeError(parsed.message);
    return parsed.value;
  }
  return md5BigInt(partitionKey);
}

/** The shard whose range holds the hash, or undefined when no open shard covers it. */
export function shardForHash(shards: readonly ShardRange[], hash: bigint): string | undefined {
  return shards.find((s) => s.start <= hash && hash <= s.end)?.shardId;
}

/** The shard a Kinesis record lands on. */
export function kinesisShardFor(shards: readonly ShardRange[], partitionKey: string, explicitHashKey?: string | null): string | undefined {
  return shardForHash(shards, kinesisHashOf(partitionKey, explicitHashKey));
}

/** The share of the hash space a shard owns (0–1), for the "even share" of uneven shards. */
export function shardShare(shard: ShardRange): number {
  return Number(((shard.end - shard.start + 1n) * 1_000_000n) / (MAX_HASH_KEY + 1n)) / 1_000_000;
}
