import { randomBytes } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { describe, expect, it, vi } from 'vitest';
// The produce request encoder Sluice patches into kafkajs (patches/kafkajs+2.2.4.patch).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Long = require('kafkajs/src/utils/long') as { fromNumber(n: number): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const produceV3 = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (args: object) => { encode(): Promise<{ buffer: Buffer }> };

/**
 * The request kafkajs 2.2.4 itself encodes for these messages (its own Record and RecordBatch
 * encoders, before the patch): keys as text, bytes and null; headers with repeated and binary
 * values; a tombstone; a record with its own timestamp; two partitions.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const checksum = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const javascriptCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as (b: Buffer) => number;

const KAFKAJS_ORIGINAL =
  '/////wAAdTAAAAABAAZwZW9wbGUAAAACAAAAAQAAAqAAAAAAAAAAAAAAApQAAAAAAtgzRusAAAAAAAMAAAGaqqwq0gAAAZqqrCrSAAAAAAAAD6EAAgAAABEAAAAETgCjEwAUY3VzdG9tZXItMSx7ImlkIjoxLCJuYW1lIjoiWm/DqyJ9AGQAoxMCARB7ImlkIjoyfQgMc291cmNlDHNsdWljZQh0YWdzAmEIdGFncwJiBmJpbgQA/xIAoxMEBGszAQD4BwAABpADeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHjYBEFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQQAAAAAAAAAAZAAAAAAAAAAAAAAAWAAAAAACUYygEgAAAAAAAAAAAZqqrCYAAAABmqqsJgAAAAAAAAAPoQACAAAAAAAAAAFMAAAAFGN1c3RvbWVyLTEseyJpZCI6MSwibmFtZSI6Ilpvw6sifQA=';

describe('the patched kafkajs produce encoder', () => {
  it('writes exactly the bytes the original kafkajs encoder wrote', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1763800000000);
    const messages = [
      { key: 'customer-1', value: Buffer.from('{"id":1,"name":"Zoë"}') },
      { key: null, value: '{"id":2}', headers: { source: 'sluice', tags: ['a', 'b'], bin: Buffer.from([0, 255]) } },
      { key: Buffer.from('k3'), value: null },
      { key: 'x'.repeat(200), value: Buffer.alloc(300, 0x41), timestamp: '1763800001234' },
    ];
    const request = produceV3({
      acks: -1,
      timeout: 30000,
      compression: 0,
      transactionalId: null,
      producerId: Long.fromNumber(4001),
      producerEpoch: 2,
      topicData: [
        {
          topic: 'people',
          partitions: [
            { partition: 1, firstSequence: 17, messages },
            { partition: 0, firstSequence: 0, messages: messages.slice(0, 1) },
          ],
        },
      ],
    });
    const encoded = (await request.encode()).buffer;
    vi.restoreAllMocks();
    expect(encoded.toString('base64')).toBe(KAFKAJS_ORIGINAL);
  });

  it('checksums batches with the hardware CRC-32C, and the JavaScript fallback agrees with it', () => {
    expect(checksum(Buffer.from('123456789'))).toBe(0xe3069283); // the CRC-32C check value
    for (const size of [0, 1, 7, 8, 9, 63, 64, 65, 1000, 70_001]) {
      const bytes = randomBytes(size);
      expect([size, javascriptCrc32C(bytes)]).toEqual([size, crc32c(bytes) >>> 0]);
      expect(checksum(bytes)).toBe(crc32c(bytes) >>> 0);
    }
  });
});
