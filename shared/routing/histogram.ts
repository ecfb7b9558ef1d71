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
  kind: 'skew' | 'records-per-second' | 'bytes-per-second';
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
        warnings.push({ bucket: b.id, kind: 'records-per-second', message: `at ${Math.round(ratePerSecond)} records/s, ${noun} ${b.id} would take ${Math.round(records)} records/s, more than the ${SHARD_RECORDS_PER_SECOND} a Kinesis shard accepts` });
      }
      if (bytes > SHARD_BYTES_PER_SECOND) {
        warnings.push({ bucket: b.id, kind: 'bytes-per-second', message: `at ${Math.round(ratePerSecond)} records/s, ${noun} ${b.id} would take ${formatRate(bytes)}, more than the 1 MB/s a Kinesis shard accepts` });
      }
    }
  }
  return warnings;
}
