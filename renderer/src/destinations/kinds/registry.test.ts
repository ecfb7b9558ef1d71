import { describe, expect, it } from 'vitest';
import { DestinationDraftSchema, DestinationSchema, type Destination } from '../../../../shared/config/destination';
import type { InspectTargets, KafkaRecord, KinesisRecord } from '../../../../shared/config/inspector';
import { emptyForm, toDraft } from '../../views/destinations/wizard-form';
import { EMPTY_CREATE_TARGET } from './shared/create-target-form';
import { describeDestination, inspectorOf, isEditable, isReadable, recordsOf, UI_KINDS, uiKind, WIZARD_KINDS, wizardOf } from './registry';
import type { DestinationKind } from './types';

const parse = (d: unknown): Destination => DestinationSchema.parse(d);
const accessKey = { kind: 'access-key', accessKeyId: 'AKIA1', secretAccessKey: { keychain: 's' } };

const destinations: Record<DestinationKind, Destination> = {
  kinesis: parse({ kind: 'kinesis', name: 'k', stream: 'orders', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4567', auth: accessKey }),
  firehose: parse({ kind: 'firehose', name: 'f', deliveryStream: 'events', region: 'us-west-2', auth: accessKey }),
  kafka: parse({
    kind: 'kafka',
    name: 'q',
    brokers: ['b1:9092', 'b2:9092'],
    auth: { mechanism: 'scram-sha-512', username: 'u', password: { env: 'P' } },
    tls: { enabled: true },
  }),
  'sandbox-kinesis': parse({ kind: 'sandbox-kinesis', name: 'sandbox' }),
};

describe('the destination kinds registry', () => {
  it('has an entry for every destination kind the schema knows, under its own name', () => {
    const schemaKinds = DestinationSchema.options.map((o) => o.shape.kind.value).sort();
    expect(Object.keys(UI_KINDS).sort()).toEqual(schemaKinds);
    for (const kind of schemaKinds) expect(uiKind(kind).kind).toBe(kind);
  });

  it('names each kind, its target and what it is in a picker', () => {
    const names = Object.values(UI_KINDS).map((k) => [k.kind, k.label, k.shortLabel, k.noun]);
    expect(names).toEqual([
      ['kinesis', 'Amazon Kinesis Data Streams', 'Kinesis', 'stream'],
      ['firehose', 'Amazon Data Firehose', 'Firehose', 'delivery stream'],
      ['kafka', 'Apache Kafka', 'Kafka', 'topic'],
      ['sandbox-kinesis', 'Sandbox Kinesis stream', 'sandbox Kinesis', 'stream'],
    ]);
  });

  it('describes each destination in the list: its stream or topic, and where it is', () => {
    expect(describeDestination(destinations.kinesis)).toEqual({ target: 'orders', where: 'eu-west-1 · http://127.0.0.1:4567' });
    expect(describeDestination(destinations.firehose)).toEqual({ target: 'events', where: 'us-west-2' });
    expect(describeDestination(destinations.kafka)).toEqual({ target: '(topic per row)', where: 'b1:9092, b2:9092 · SCRAM-SHA-512 · TLS' });
    expect(
      describeDestination(
        parse({
          kind: 'kafka',
          name: 'm',
          brokers: ['b:9098'],
          topic: 't',
          auth: { mechanism: 'aws', region: 'us-east-1', credentials: { kind: 'default-chain' } },
        }),
      ),
    ).toEqual({
      target: 't',
      where: 'b:9098 · AWS IAM (MSK)',
    });
    expect(describeDestination(parse({ kind: 'kafka', name: 'n', brokers: ['b:9092'] })).where).toBe('b:9092 · no auth');
    expect(describeDestination(destinations['sandbox-kinesis'])).toEqual({
      target: 'sluice-sandbox',
      where: 'local, started by Sluice on 127.0.0.1; its records kept in the workspace',
    });
  });
});

describe('the kinds the wizard makes', () => {
  it('lets the wizard make and edit every kind but the built-in sandbox, in the order it offers them', () => {
    expect(WIZARD_KINDS).toEqual(['kinesis', 'firehose', 'kafka']);
    expect(
      Object.values(destinations)
        .filter(isEditable)
        .map((d) => d.kind),
    ).toEqual(['kinesis', 'firehose', 'kafka']);
    for (const kind of WIZARD_KINDS) expect(wizardOf(kind).about).not.toBe('');
  });

  it("says per kind what the wizard asks: the stream before review, the empty choice, the inspector's policy, the AWS profiles", () => {
    const asked = WIZARD_KINDS.map((k) => {
      const w = wizardOf(k);
      return [k, w.targetRequired, w.noTarget, w.asksInspector, w.listsAwsProfiles(emptyForm(k)), w.listsAwsProfiles({ ...emptyForm(k), mechanism: 'aws' })];
    });
    expect(asked).toEqual([
      ['kinesis', true, 'Choose…', true, true, true],
      ['firehose', true, 'Choose…', false, true, true],
      ['kafka', false, 'No default topic: each row names its topic', false, false, true],
    ]);
  });

  it('reads back every kind but Firehose (inspector read-back, capture)', () => {
    expect((Object.keys(UI_KINDS) as DestinationKind[]).filter(isReadable)).toEqual(['kinesis', 'kafka', 'sandbox-kinesis']);
  });

  it('builds the create-target spec of each kind from the form, and names its fields', () => {
    const form = { ...EMPTY_CREATE_TARGET, name: ' new ', bucket: ' b ', roleArn: ' arn:aws:iam::123456789012:role/r ', prefix: ' p/ ' };
    expect(uiKind('kafka').createTarget.spec({ ...form, retention: 2 })).toEqual({
      kind: 'kafka',
      topic: 'new',
      partitions: 3,
      replicationFactor: 1,
      retentionMs: 86_400_000,
    });
    expect(uiKind('kafka').createTarget.spec({ ...form, partitions: ' ' })).toEqual({
      kind: 'kafka',
      topic: 'new',
      partitions: Number.NaN,
      replicationFactor: 1,
    });
    // Separators or decimals are refused (the schema says so under the field), never read as another number.
    for (const partitions of ['1,000', '1.5', '1 000'])
      expect(uiKind('kafka').createTarget.spec({ ...form, partitions, replicationFactor: ' 2 ' })).toMatchObject({
        partitions: Number.NaN,
        replicationFactor: 2,
      });
    expect(uiKind('kinesis').createTarget.spec({ ...form, mode: 'provisioned', shardCount: '1,000' })).toMatchObject({ shardCount: Number.NaN });
    expect(uiKind('kinesis').createTarget.spec(form)).toEqual({ kind: 'kinesis', stream: 'new', mode: 'on-demand' });
    expect(uiKind('kinesis').createTarget.spec({ ...form, mode: 'provisioned', shardCount: '4' })).toEqual({
      kind: 'kinesis',
      stream: 'new',
      mode: 'provisioned',
      shardCount: 4,
    });
    expect(uiKind('firehose').createTarget.spec(form)).toEqual({
      kind: 'firehose',
      deliveryStream: 'new',
      bucket: 'b',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      prefix: 'p/',
    });
    expect(WIZARD_KINDS.map((k) => uiKind(k).createTarget.fields)).toEqual([
      ['stream', 'shardCount'],
      ['deliveryStream', 'bucket', 'prefix', 'roleArn'],
      ['topic', 'partitions', 'replicationFactor'],
    ]);
  });
});

describe("the inspector's form per kind", () => {
  const kinesis: InspectTargets = {
    kind: 'kinesis',
    destination: 'k',
    stream: 's',
    shards: [
      { shardId: 'shardId-0', open: true },
      { shardId: 'shardId-1', open: false },
    ],
  };
  const kafka: InspectTargets = {
    kind: 'kafka',
    destination: 'q',
    defaultTopic: null,
    topics: [
      { topic: 'a', partitions: [0, 1, 2] },
      { topic: 'b', partitions: [0] },
    ],
  };
  const firehose: InspectTargets = { kind: 'firehose', destination: 'f', deliveryStream: 'd' };
  const from = { at: 'latest' } as const;

  it('reads the chosen shards of a stream from where the user says', () => {
    const ui = inspectorOf(kinesis);
    expect(ui.parts?.label).toBe('Shards');
    expect(ui.parts?.choices(kinesis, '')).toEqual(['shardId-0', 'shardId-1']);
    expect(ui.parts?.starts.map(([at]) => at)).toEqual(['earliest', 'latest', 'timestamp', 'sequence']);
    expect(ui.request('', ['shardId-1'], from)).toEqual({ shards: ['shardId-1'], from });
    expect(ui.request('', [], from)).toEqual({ from });
    expect(ui.defaultTopic(kinesis)).toBe('');
    expect(ui.readLabel).toBe('Read records');
  });

  it("reads a topic's chosen partitions, the destination's topic (else the first) until one is picked", () => {
    const ui = inspectorOf(kafka);
    expect(ui.defaultTopic(kafka)).toBe('a');
    expect(ui.defaultTopic({ ...kafka, defaultTopic: 'b' })).toBe('b');
    expect(ui.parts?.label).toBe('Partitions');
    expect(ui.parts?.choices(kafka, 'a')).toEqual(['0', '1', '2']);
    expect(ui.parts?.choices(kafka, 'missing')).toEqual([]);
    expect(ui.parts?.starts.map(([at]) => at)).toEqual(['earliest', 'latest', 'offset', 'timestamp']);
    expect(ui.request('a', ['2'], from)).toEqual({ topic: 'a', partitions: [2], from });
    expect(ui.request('a', [], from)).toEqual({ topic: 'a', from });
  });

  it('shows what the ledger says was sent to a delivery stream, from the first record', () => {
    const ui = inspectorOf(firehose);
    expect(ui.parts).toBeUndefined();
    expect(ui.request('', ['x'], from)).toEqual({ from: { at: 'earliest' } });
    expect(ui.readLabel).toBe('Show sent records');
  });

  it('gives read records as text by kind; ledger records have no kind of their own', () => {
    const data = { bytes: 2, truncated: false, text: '{}', prettyJson: null, base64: null };
    const k: KinesisRecord = { kind: 'kinesis', shardId: 's', sequenceNumber: '1', partitionKey: 'p', arrivalTimestamp: null, data };
    const q: KafkaRecord = { kind: 'kafka', topic: 't', partition: 0, offset: '1', key: null, headers: [], timestamp: '2026-01-01T00:00:00.000Z', value: null };
    expect(recordsOf('kinesis')?.text(k)).toBe('{}');
    expect(recordsOf('kafka')?.text(q)).toBe('null (tombstone)');
    expect(recordsOf('kafka')?.text({ ...q, value: data })).toBe('{}');
    expect(recordsOf('ledger')).toBeUndefined();
  });
});

describe("each kind's wizard draft", () => {
  it("starts from the kind's defaults: an AWS region, except Kafka's MSK IAM (the brokers' host names tell it)", () => {
    expect(WIZARD_KINDS.map((k) => [k, emptyForm(k).region])).toEqual([
      ['kinesis', 'us-east-1'],
      ['firehose', 'us-east-1'],
      ['kafka', ''],
    ]);
  });

  it('makes a draft of its own kind, its target under its own name, and none while unchosen', () => {
    const named = (k: (typeof WIZARD_KINDS)[number]) => ({
      ...emptyForm(k),
      name: 'n',
      brokers: 'b:1',
      accessKeyId: 'A',
      secretAccessKey: { mode: 'existing' as const, name: 's', value: '' },
    });
    // The target's field is the create spec's name field: stream, deliveryStream, topic.
    const target = (k: (typeof WIZARD_KINDS)[number]) => (toDraft(named(k), ' t ') as Record<string, unknown>)[uiKind(k).createTarget.fields[0]!];
    expect(WIZARD_KINDS.map((k) => [toDraft(named(k), '').kind, target(k)])).toEqual([
      ['kinesis', 't'],
      ['firehose', 't'],
      ['kafka', 't'],
    ]);
    for (const k of WIZARD_KINDS) expect(Object.keys(toDraft(named(k), ''))).not.toContain(uiKind(k).createTarget.fields[0]);
    expect(toDraft({ ...named('firehose'), appendNewline: false }, '')).toMatchObject({ appendNewline: false });
  });

  it('refuses a draft whose settings do not validate, and accepts one that does', () => {
    expect(DestinationDraftSchema.safeParse(toDraft({ ...emptyForm('kafka'), name: 'q' }, '')).success).toBe(false);
    expect(DestinationDraftSchema.safeParse(toDraft({ ...emptyForm('kafka'), name: 'q', brokers: 'b:9092' }, '')).success).toBe(true);
    expect(DestinationDraftSchema.safeParse(toDraft({ ...emptyForm('kinesis'), name: 'k', region: 'eu-west-1', authKind: 'default-chain' }, '')).success).toBe(
      true,
    );
  });
});
