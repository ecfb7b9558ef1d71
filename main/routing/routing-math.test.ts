import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hotKeyWarnings, routingWarnings } from '../../shared/routing/histogram';
import { kinesisShardFor, MAX_HASH_KEY, md5Hex, parseExplicitHashKey } from './kinesis-hash';
import { kafkaPartitionFor, murmur2 } from '../../shared/routing/murmur2';

// The pure routing math (shared/routing, also run in the renderer) against reference implementations:
// Node's MD5 and kafkajs' own murmur2 (the Java client's port).
const kafkajsMurmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

const keys = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'customer-42', 'zoë ✓ naïve 🚀', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'w'.repeat(1000)];
for (let i = 0; i < 300; i++) keys.push(randomBytes(i % 70).toString('base64'));

describe('routing math', () => {
  it('MD5 of the key’s UTF-8 bytes: RFC 1321’s test vectors and a non-ASCII key', () => {
    const rfc1321: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [k, h] of rfc1321) expect(md5Hex(k)).toBe(h);
    // UTF-8, not UTF-16 or Latin-1: "é" is the two bytes c3 a9.
    expect(md5Hex('é')).toBe(
      createHash('md5')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest('hex'),
    );
  });

  it('murmur2 equals kafkajs’ default partitioner hash, and Kafka’s published test vectors', () => {
    for (const k of keys) expect(murmur2(k)).toBe(kafkajsMurmur2(Buffer.from(k)));
    // From Kafka's UtilsTest.testMurmur2.
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [k, h] of vectors) expect(murmur2(k)).toBe(h);
    expect(kafkaPartitionFor('foobar', 7)).toBe((-790332482 & 0x7fffffff) % 7);
  });

  it('explicit hash keys: 0 ≤ n < 2^128 as plain decimals; anything else says what is wrong', () => {
    expect(parseExplicitHashKey('0')).toEqual({ ok: true, value: 0n });
    expect(parseExplicitHashKey(MAX_HASH_KEY.toString())).toEqual({ ok: true, value: MAX_HASH_KEY });
    expect(parseExplicitHashKey((MAX_HASH_KEY + 1n).toString())).toMatchObject({ ok: false, message: expect.stringContaining('is 2^128 or more') });
    expect(parseExplicitHashKey('-1')).toMatchObject({ ok: false, message: expect.stringContaining('"-1" is not a whole decimal number') });
    expect(parseExplicitHashKey('12e3')).toMatchObject({ ok: false });
    expect(parseExplicitHashKey('0x10')).toMatchObject({ ok: false });
    expect(parseExplicitHashKey('007')).toMatchObject({ ok: false, message: expect.stringContaining('leading zeros') });
  });

  it('a shard is chosen by the explicit hash key when given, else by the MD5 of the partition key', () => {
    const half = 2n ** 127n;
    const shards = [
      { shardId: 'low', start: 0n, end: half - 1n },
      { shardId: 'high', start: half, end: MAX_HASH_KEY },
    ];
    expect(kinesisShardFor(shards, 'anything', '0')).toBe('low');
    expect(kinesisShardFor(shards, 'anything', half.toString())).toBe('high');
    const md5 = BigInt(`0x${createHash('md5').update('customer-42').digest('hex')}`);
    expect(kinesisShardFor(shards, 'customer-42')).toBe(md5 < half ? 'low' : 'high');
  });

  it('warns of a partition key that carries a quarter of the records or more (the three largest), not of a sample under 20', () => {
    const keys = [
      { label: 'tenant-1', records: 60, bucket: 's0' },
      { label: 'tenant-2', records: 25, bucket: 's1' },
      { label: 'tenant-3', records: 15, bucket: 's1' },
    ];
    expect(hotKeyWarnings(keys, 100, 'shard').map((w) => [w.kind, w.bucket, w.message])).toEqual([
      [
        'hot-key',
        's0',
        'the partition key "tenant-1" carries 60% of the records (all in shard s0): a key\'s records are sent in order, one request at a time, so this key bounds the send rate (and a Kinesis shard takes at most 1,000 records/s); a key per row, or a "message id" key, spreads them',
      ],
      ['hot-key', 's1', expect.stringContaining('"tenant-2" carries 25%')],
    ]);
    expect(hotKeyWarnings(keys, 100, 'partition')[0]!.message).not.toContain('Kinesis');
    expect(hotKeyWarnings([{ label: 'k', records: 19, bucket: '0' }], 19, 'partition')).toEqual([]);
    expect(
      hotKeyWarnings(
        Array.from({ length: 100 }, (_, i) => ({ label: `k${i}`, records: 1, bucket: '0' })),
        100,
        'partition',
      ),
    ).toEqual([]);
  });

  it('warns when a shard takes more than twice its even share, or more than a shard accepts per second', () => {
    const skewed = [
      { id: 's0', records: 90, bytes: 90_000, fairShare: 0.5 },
      { id: 's1', records: 10, bytes: 10_000, fairShare: 0.5 },
    ];
    // With 2 shards, 2 × 50% is everything: the limit is halfway, 75%.
    expect(routingWarnings(skewed, null, 'shard').map((x) => x.message)).toEqual([
      'shard s0 would take 90% of the records, more than 75% (its even share is 50%): the partition key is skewed (a "message id" key spreads evenly)',
    ]);
    expect(
      routingWarnings(
        [
          { ...skewed[0]!, records: 70 },
          { ...skewed[1]!, records: 30 },
        ],
        null,
        'shard',
      ),
    ).toEqual([]);
    const four = [
      { id: '0', records: 70, bytes: 70 * 2000, fairShare: 0.25 },
      { id: '1', records: 10, bytes: 10 * 2000, fairShare: 0.25 },
      { id: '2', records: 10, bytes: 10 * 2000, fairShare: 0.25 },
      { id: '3', records: 10, bytes: 10 * 2000, fairShare: 0.25 },
    ];
    const w = routingWarnings(four, 2000, 'partition');
    expect(w.map((x) => [x.bucket, x.kind])).toEqual([
      ['0', 'skew'],
      ['0', 'records-per-second'],
      ['0', 'bytes-per-second'],
    ]);
    expect(w[0]!.message).toContain('partition 0 would take 70% of the records');
    expect(w[1]!.message).toContain('1400 records/s');
  });
});
