import { describe, expect, it } from 'vitest';
import { DestinationSchema, type Destination } from '../../../shared/config/destination';
import { engineKind } from './registry';
import type { DestinationKind } from './kind';

const kinds = DestinationSchema.options.map((o) => o.shape.kind.value) as DestinationKind[];

const samples: Destination[] = [
  { kind: 'kinesis', name: 'k', stream: 'orders', region: 'eu-west-1', auth: { kind: 'default-chain' } },
  { kind: 'firehose', name: 'f', deliveryStream: 'events', region: 'us-east-1', auth: { kind: 'default-chain' }, appendNewline: true },
  {
    kind: 'kafka',
    name: 'q',
    clientId: 'sluice',
    brokers: ['a:9092', 'b:9092'],
    auth: { mechanism: 'none' },
    tls: { enabled: false },
    topic: 'orders',
    compression: 'none',
  },
  { kind: 'sandbox-kinesis', name: 's', stream: 'sluice-sandbox', shards: 2 },
];

describe('the engine’s destination kinds', () => {
  it('has one entry per kind of the destination schema, each answering for its own kind', () => {
    expect(kinds.sort()).toEqual(['firehose', 'kafka', 'kinesis', 'sandbox-kinesis']);
    for (const kind of kinds) expect(engineKind(kind).kind).toBe(kind);
  });

  it('names each destination as a run’s messages do, with its record limit and what the size counts', () => {
    expect(samples.map((d) => engineKind(d.kind).label(d))).toEqual([
      'Kinesis stream orders',
      'Firehose delivery stream events',
      'Kafka (a:9092, b:9092)',
      'Sandbox stream sluice-sandbox',
    ]);
    expect(samples.map((d) => engineKind(d.kind).maxRecordBytes)).toEqual([1024 * 1024, 1000 * 1024, 1024 * 1024 - 512, 1024 * 1024]);
    expect(engineKind('kafka').sizedAs).toBe('data + key');
  });

  it('says why a kind cannot do something instead of failing later: the sandbox makes its own stream, Firehose cannot be captured', () => {
    expect(engineKind('sandbox-kinesis').streams).toMatch(/sandbox makes its own stream/);
    expect(engineKind('firehose').capture(samples[1] as Extract<Destination, { kind: 'firehose' }>)).toMatch(/cannot be read back/);
    const kafka = samples[2] as Extract<Destination, { kind: 'kafka' }>;
    expect(engineKind('kafka').capture({ ...kafka, topic: undefined })).toMatch(/has no topic of its own/);
    expect(engineKind('kafka').capture(kafka)).toMatchObject({ target: 'orders' });
  });

  it('refuses the sync settings of another kind, and keeps the ones that fit', () => {
    const settings = { model: 'm', destination: 'k', triggers: ['added' as const], initialSync: 'backfill' as const, kafkaTombstones: true, firehose: null };
    const kinesis = samples[0] as Extract<Destination, { kind: 'kinesis' }>;
    expect(
      engineKind('kinesis')
        .syncSettings.check(kinesis, { settings })
        .map((i) => i.path),
    ).toEqual(['settings.kafkaTombstones']);
    const kafka = samples[2] as Extract<Destination, { kind: 'kafka' }>;
    expect(
      engineKind('kafka')
        .syncSettings.check({ ...kafka, topic: undefined }, { settings })
        .map((i) => i.path),
    ).toEqual(['settings.kafkaTopic']);
    expect(engineKind('kafka').syncSettings.check(kafka, { settings })).toEqual([]);
  });

  it('makes each kind’s record from a rendered row', async () => {
    const { PayloadRenderer } = await import('../../sync/payload-renderer');
    const renderer = new PayloadRenderer({ mode: 'template', template: '{"id": {{ row.id }}}' }, { kind: 'primary-key' });
    const ctx = { key: '7', event: 'added' as const, row: { id: 7 }, previous: null, run: { id: 1, sync: 's', startedAt: '2026-01-01T00:00:00Z' } };
    const made = samples.map((d) => engineKind(d.kind).recordTarget(d, {}).record({ seq: 1, key: '7', event: 'added' }, ctx, renderer));
    expect(made.map((r) => r.kind)).toEqual(['kinesis', 'firehose', 'kafka', 'kinesis']);
    expect(made.map((r) => r.data?.toString())).toEqual(Array(4).fill('{"id":7}'));
    expect(made[2]).toMatchObject({ kafka: { topic: 'orders', key: '7', partition: null } });
  });
});
