import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { formatRunReport, runReport } from '../cli/run-report';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { startMoto, type MotoPeer } from '../testing/peers/moto';

// Issue #17 item 7: a dry run says where each record would go — per topic partition for Kafka (as the
// real run chooses it), per delivery stream for Firehose — and which records a real run would reject,
// with their key and reason. Proved against the real broker (the dry run's counts equal where a real
// run put the same records, read back with kcat) and moto (records delivered per stream's bucket).

let kafka: KafkaPeer;
let moto: MotoPeer;
beforeAll(async () => {
  [kafka, moto] = await Promise.all([startKafka(), startMoto()]);
}, 300_000);
afterAll(async () => {
  await Promise.all([kafka?.stop(), moto?.stop()]);
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a dry run to Kafka', () => {
  it('counts records per partition exactly where a real run puts them, and lists the records it would reject with key and reason', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { file, db } = createPeopleDb(t.dir, 60);
    // Row 7 is far over Kafka's record limit.
    db.prepare('UPDATE people SET name = hex(randomblob(600000)) WHERE id = 7').run();
    db.close();
    await kafka.createTopic('dry-plan', 4);
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic: 'dry-plan' });
    engine.catalog.putSync({
      name: 'to-kafka',
      model: 'people',
      destination: 'kafka',
      triggers: ['added', 'changed', 'removed'],
      // Row 8 renders invalid JSON (a template error).
      payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}{% if row.id == 8 %}, oops{% endif %}}' },
      kafka: {
        // Rows 51–60 have no key: spread round-robin.
        key: { kind: 'template', template: '{% if row.id <= 50 %}person-{{ row.id }}{% endif %}' },
        // Row 5 goes to partition 2 whatever its key; row 6 names a partition the topic lacks.
        partition: { kind: 'template', template: '{% if row.id == 5 %}2{% elsif row.id == 6 %}9{% endif %}' },
      },
    });

    const dry = await engine.runSync('to-kafka', { dryRun: true });
    expect(dry).toMatchObject({ status: 'partial', dryRun: true, counts: { rendered: 59, failed: 3, acknowledged: 0 } });
    const plan = dry.dryRunPlan!;
    expect(plan.per).toBe('partition');
    expect(plan.roundRobin).toBe(10);
    expect(plan.note).toBeNull();
    expect(plan.targets.reduce((n, x) => n + x.records, 0)).toBe(47);
    expect(plan.rejected.total).toBe(3);
    expect(plan.rejected.perReason).toEqual({ 'render-error': 1, 'too-large': 1, 'invalid-partition': 1 });
    expect(plan.rejected.first.map((r) => [r.key, r.reason])).toEqual([
      ['6', 'invalid-partition'],
      ['7', 'too-large'],
      ['8', 'render-error'],
    ]);
    expect(plan.rejected.first[0]!.detail).toMatch(/Partition 9 does not exist in "dry-plan" \(it has 4\)/);
    // Kafka counts a record's data and key (it said "data + partition key").
    expect(plan.rejected.first[1]!.detail).toMatch(/^Row 7 \(key 7, added\): The record \(data \+ key\) is 1,\d{3},\d{3} bytes/);

    // The CLI's report says the same.
    const text = formatRunReport(runReport(engine, dry));
    expect(text).toMatch(
      /per partition: dry-plan\/0 \d+, dry-plan\/1 \d+, dry-plan\/2 \d+, dry-plan\/3 \d+; and 10 without key or partition, spread round-robin/,
    );
    expect(text).toContain('a real run would reject 3 records (1 invalid-partition, 1 too-large, 1 render-error):');
    expect(text).toContain('- [invalid-partition] Row 6 (key 6, added): Partition 9 does not exist in "dry-plan" (it has 4)');

    // The real run: the same records land exactly where the dry run said.
    const real = await engine.runSync('to-kafka');
    expect(real).toMatchObject({ status: 'partial', counts: { acknowledged: 57, failed: 3 } });
    const landed: Record<string, number> = {};
    const keyless: Record<string, number> = {};
    for (const line of kafka.kcat(['-C', '-t', 'dry-plan', '-o', 'beginning', '-e', '-q', '-f', '%k\\t%p\\n']).split('\n').filter(Boolean)) {
      const [key, partition] = line.split('\t');
      const counts = key ? landed : keyless;
      counts[`dry-plan/${partition}`] = (counts[`dry-plan/${partition}`] ?? 0) + 1;
    }
    expect(landed).toEqual(Object.fromEntries(plan.targets.map((x) => [x.id, x.records])));
    // The 10 keyless records: round-robin, 2 or 3 on each of the 4 partitions.
    expect(Object.values(keyless).sort()).toEqual([2, 2, 3, 3]);
    // And row 5's explicit partition is where the broker holds it.
    const row5 = kafka
      .kcat(['-C', '-t', 'dry-plan', '-o', 'beginning', '-e', '-q', '-f', '%k %p\\n'])
      .split('\n')
      .find((l) => l.startsWith('person-5 '));
    expect(row5).toBe('person-5 2');
  });

  it('rejects every record of a topic the cluster lacks, saying so', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { file, db } = createPeopleDb(t.dir, 5);
    db.close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic: 'no-such-topic' });
    t.engine.catalog.putSync({
      name: 'to-kafka',
      model: 'people',
      destination: 'kafka',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    const dry = await t.engine.runSync('to-kafka', { dryRun: true });
    expect(dry.dryRunPlan).toMatchObject({ targets: [], rejected: { total: 5, perReason: { 'unknown-topic': 5 } } });
    expect(dry.dryRunPlan!.rejected.first[0]!.detail).toContain('The topic "no-such-topic" does not exist on the cluster');
  });
});

describe('a dry run to an unreachable Kafka', () => {
  it('renders every row still (listing those a real run would reject), then fails, naming the brokers and why, instead of saying it succeeded without placing a record', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { file, db } = createPeopleDb(t.dir, 5);
    db.close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    t.engine.catalog.putDestination({ kind: 'kafka', name: 'nowhere', brokers: ['127.0.0.1:1'], topic: 'anything' });
    t.engine.catalog.putSync({
      name: 'to-nowhere',
      model: 'people',
      destination: 'nowhere',
      triggers: ['added'],
      // Row 3 renders no JSON: a real run would reject it.
      payload: { mode: 'template', template: '{% if row.id == 3 %}oops{% endif %}{"id": {{ row.id }}}' },
    });
    const dry = await t.engine.runSync('to-nowhere', { dryRun: true });
    // It succeeded, with only a note that no record was placed.
    expect(dry.status).toBe('failed');
    expect(dry.error).toMatch(/^Could not read the topics' partitions on 127\.0\.0\.1:1: .*ECONNREFUSED/);
    // Every row rendered still: four records, and the row a real run would reject counted and listed as such.
    expect(dry.counts).toMatchObject({ rendered: 4, failed: 1 });
    expect(dry.dryRunPlan!.rejected.first.map((r) => r.key)).toEqual(['3']);
  }, 120_000);
});

describe('a dry run to Firehose', () => {
  it('counts records per delivery stream as the routes send them, and lists the events no route takes under unmatched: reject', async () => {
    const aws = awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
    const s3 = new S3Client({ ...aws, forcePathStyle: true });
    const firehose = new FirehoseClient(aws);
    closers.push(
      () => s3.destroy(),
      () => firehose.destroy(),
    );
    for (const name of ['dry-signups', 'dry-orders']) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${name}`, RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
        }),
      );
    }
    const t = await openTestEngine();
    closers.push(t.close);
    const { file, db } = createPeopleDb(t.dir, 25);
    db.close();
    const { engine } = t;
    await engine.secrets.save('aws-dry', moto.credentials.secretAccessKey);
    closers.push(() => engine.secrets.delete('aws-dry').then(() => undefined));
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'firehose',
      name: 'firehose',
      deliveryStream: 'dry-signups',
      region: moto.region,
      endpoint: moto.endpoint,
      auth: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'aws-dry' } },
    });
    engine.catalog.putSync({
      name: 'to-firehose',
      model: 'people',
      destination: 'firehose',
      triggers: ['added', 'changed', 'removed'],
      payload: { mode: 'mapping', fields: [{ column: 'id', key: 'id' }] },
      firehose: {
        eventName: { kind: 'template', template: '{% if row.id <= 10 %}Signed Up{% elsif row.id <= 22 %}Order Completed{% else %}Page Viewed{% endif %}' },
        routes: [
          { match: 'Signed Up', stream: 'dry-signups' },
          { match: 'Order Completed', stream: 'dry-orders' },
        ],
        unmatched: 'reject',
      },
    });
    const dry = await engine.runSync('to-firehose', { dryRun: true });
    expect(dry.dryRunPlan).toMatchObject({
      per: 'delivery-stream',
      targets: [
        { id: 'dry-orders', records: 12 },
        { id: 'dry-signups', records: 10 },
      ],
      rejected: { total: 3, perReason: { unmatched: 3 } },
    });
    expect(dry.dryRunPlan!.rejected.first.map((r) => r.key)).toEqual(['23', '24', '25']);

    const real = await engine.runSync('to-firehose');
    expect(real).toMatchObject({ status: 'partial', counts: { acknowledged: 22 } });
    const records = async (bucket: string) => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const bodies = await Promise.all(
        (listed.Contents ?? []).map(async (o) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString()),
      );
      return bodies.join('').split('\n').filter(Boolean).length;
    };
    expect({ 'dry-orders': await records('dry-orders'), 'dry-signups': await records('dry-signups') }).toEqual({ 'dry-orders': 12, 'dry-signups': 10 });
  });
});
