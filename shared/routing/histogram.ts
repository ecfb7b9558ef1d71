/** How records spread over shards or partitions, and which would run hot. */

export interface Bucket {
  /** Shard id, or the partition number as text. */
  id: string;
  records: number;
  bytes: number;
  /** The share of traffic this bucket should take if spread were even (0–1). */
  fairShare: number;
}

export interface RoutingWarning {
  bucket: string;
  kind: 'skew' | 'records-per-second' | 'bytes-per-second' | 'hot-key';
  message: string;
}

/** Kinesis' per-shard write limits (Kafka has none as such; the same figures are used as a guide). */
export const SHARD_RECORDS_PER_SECOND = 1000;
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;
/** A bucket taking more than this multiple of its even share is flagged (see routingWarnings for few buckets). */
export const SKEW_FACTOR = 2;

export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond >= 1024 * 1024 ? `${(bytesPerSecond / 1024 / 1024).toFixed(2)} MB/s` : `${(bytesPerSecond / 1024).toFixed(1)} KB/s`;
}

/**
 * Warnings for a histogram: a bucket with more than SKEW_FACTOR × its even share — or, where that is
 * out of reach (2 buckets), more than halfway from its share to everything — (only with at least
 * 20 records, so a handful of rows does not cry wolf), and — at a send rate of `ratePerSecond`
 * records/s for the whole run — a bucket that would pass 1,000 records/s or 1 MB/s.
 */
export function routingWarnings(buckets: readonly Bucket[], ratePerSecond: number | null, noun: 'shard' | 'partition'): RoutingWarning[] {
  const total = buckets.reduce((n, b) => n + b.records, 0);
  const totalBytes = buckets.reduce((n, b) => n + b.bytes, 0);
  const warnings: RoutingWarning[] = [];
  if (total === 0) return warnings;
  for (const b of buckets) {
    const share = b.records / total;
    // More than twice the even share; with few buckets (2× of 50% is everything) halfway between the share and all.
    const limit = Math.min(SKEW_FACTOR * b.fairShare, (1 + b.fairShare) / 2);
    if (total >= 20 && buckets.length > 1 && share > limit) {
      warnings.push({
        bucket: b.id,
        kind: 'skew',
        message: `${noun} ${b.id} would take ${(share * 100).toFixed(0)}% of the records, more than ${(limit * 100).toFixed(0)}% (its even share is ${(b.fairShare * 100).toFixed(0)}%): the partition key is skewed (a "message id" key spreads evenly)`,
      });
    }
    if (ratePerSecond !== null && ratePerSecond > 0) {
      const records = ratePerSecond * share;
      const bytes = totalBytes > 0 ? ratePerSecond * (b.bytes / total) : 0;
      if (records > SHARD_RECORDS_PER_SECOND) {
        warnings.push({
          bucket: b.id,
          kind: 'records-per-second',
          message: `at ${Math.round(ratePerSecond)} records/s, ${noun} ${b.id} would take ${Math.round(records)} records/s, more than the ${SHARD_RECORDS_PER_SECOND} a Kinesis shard accepts`,
        });
      }
      if (bytes > SHARD_BYTES_PER_SECOND) {
        warnings.push({
          bucket: b.id,
          kind: 'bytes-per-second',
          message: `at ${Math.round(ratePerSecond)} records/s, ${noun} ${b.id} would take ${formatRate(bytes)}, more than the 1 MB/s a Kinesis shard accepts`,
        });
      }
    }
  }
  return warnings;
}

/** A partition key carrying at least this share of the records bounds the send rate (warned from 20 records). */
export const HOT_KEY_SHARE = 0.25;

/** How often one partition (ordering) key came up in a sample, and where its records land. */
export interface KeyTally {
  /** The key as the user wrote it (Kafka: the message key). */
  label: string;
  records: number;
  /** The shard or partition its records go to. */
  bucket: string;
}

/**
 * Warnings for partition keys that carry HOT_KEY_SHARE of the records or more (the three largest): a
 * key's records go in order, many to a request but one request at a time, so such a key bounds the
 * send rate (on Kinesis, its shard's 1,000 records/s bounds it too).
 */
export function hotKeyWarnings(keys: Iterable<KeyTally>, total: number, noun: 'shard' | 'partition'): RoutingWarning[] {
  if (total < 20) return [];
  return [...keys]
    .filter((k) => k.records / total >= HOT_KEY_SHARE)
    .sort((a, b) => b.records - a.records)
    .slice(0, 3)
    .map((k) => ({
      bucket: k.bucket,
      kind: 'hot-key' as const,
      message: `the partition key "${k.label.length > 60 ? `${k.label.slice(0, 57)}…` : k.label}" carries ${Math.round((k.records / total) * 100)}% of the records (all in ${noun} ${k.bucket}): a key's records are sent in order, one request at a time, so this key bounds the send rate${noun === 'shard' ? ` (and a Kinesis shard takes at most ${SHARD_RECORDS_PER_SECOND.toLocaleString('en-US')} records/s)` : ''}; a key per row, or a "message id" key, spreads them`,
    }));
}
