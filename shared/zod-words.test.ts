import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { KafkaTopicSpecSchema, KinesisStreamSpecSchema } from './ipc/channels/streams';
import { wholeNumber, zodWords } from './zod-words';

const messages = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input, { error: zodWords });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('zodWords', () => {
  it("says zod's broken rules in words, naming the field", () => {
    const schema = z.object({ version: z.literal(1), kind: z.enum(['a', 'b']), shards: z.number().int().min(1).max(16), name: z.string().min(1).max(3) });
    expect(messages(schema, { version: 2, kind: 'c', shards: 17, name: 'long' })).toEqual([
      'version: version must be 1',
      'kind: kind must be one of "a", "b"',
      'shards: shards must be at most 16',
      'name: name can have at most 3 characters',
    ]);
    expect(messages(schema, { version: 1, kind: 'a', shards: 0.5, name: '' })).toEqual(['shards: shards must be a whole number', 'name: name is required']);
    expect(messages(schema, { version: 1, kind: 'a', shards: 1e20 })).toEqual([
      'shards: shards is too big',
      'shards: shards must be at most 16',
      'name: name is required',
    ]);
    expect(messages(z.array(z.object({ n: z.number().min(1) })), [{ n: 0 }, { n: '1' }])).toEqual(['0.n: n must be at least 1', '1.n: n must be a number']);
  });

  it('says a limit of one in the singular ("at most 1 characters")', () => {
    const schema = z.object({ c: z.string().max(1), list: z.array(z.number()).min(1) });
    expect(messages(schema, { c: 'ab', list: [] })).toEqual(['c: c can have at most 1 character', 'list: list needs at least 1 item']);
  });

  it("keeps a schema's own message", () => {
    expect(messages(z.object({ n: z.number().max(2, 'At most two') }), { n: 3 })).toEqual(['n: At most two']);
  });
});

describe('wholeNumber', () => {
  it('says the range, in its unit, whatever misses it', () => {
    const limit = z.object({ limit: wholeNumber('Limit', 1, 1000) });
    for (const bad of [0, 1001, 1.5, 1e20, '5']) expect(messages(limit, { limit: bad })).toEqual(['limit: Limit must be a whole number from 1 to 1,000']);
    expect(messages(limit, { limit: 1000 })).toEqual([]);
    expect(messages(z.object({ w: wholeNumber('Listening', 0, 20, 'seconds') }), { w: 21 })).toEqual([
      'w: Listening must be a whole number from 0 to 20 seconds',
    ]);
  });
});

describe("a new topic's or stream's numbers", () => {
  it('say their range whatever misses it (a number past every bound was "Partitions must be a whole number")', () => {
    const topic = { kind: 'kafka', topic: 'orders', replicationFactor: 1 };
    expect(messages(KafkaTopicSpecSchema, { ...topic, partitions: Number('99999999999999999999') })).toEqual([
      'partitions: Partitions must be a whole number from 1 to 10,000',
    ]);
    expect(messages(KafkaTopicSpecSchema, { ...topic, partitions: 3, replicationFactor: 0 })).toEqual([
      'replicationFactor: The replication factor must be a whole number from 1 to 32',
    ]);
    expect(messages(KinesisStreamSpecSchema, { kind: 'kinesis', stream: 's', mode: 'provisioned', shardCount: 1.5 })).toEqual([
      'shardCount: The shard count must be a whole number from 1 to 10,000',
    ]);
  });
});
