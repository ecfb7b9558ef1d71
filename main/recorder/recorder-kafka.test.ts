import fs from 'node:fs';
import path from 'node:path';
import { CreateStreamCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { awsClientConfig } from '../aws/client-config';
import type { Engine } from '../engine/engine';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { startMoto, type MotoPeer } from '../testing/peers/moto';
import { filesUnder, tempWorkspace } from '../testing/temp';

// The recorder against a real Kafka broker (kafkajs instrumentation events and the producer's
// results), and the redaction test: secrets used by Kafka, Kinesis and an assumed role never reach
// the recorded calls, the database file, its WAL, or an NDJSON/HAR export.

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function call<C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await engine.dispatcher.dispatch(channel, input, trusted);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as ChannelOutput<C>;
}

let topics = 0;
async function kafkaSetup(engine: Engine, dir: string, rows: number): Promise<string> {
  return (await kafkaSetupWithFile(engine, dir, rows)).topic;
}

async function kafkaSetupWithFile(engine: Engine, dir: string, rows: number): Promise<{ topic: string; file: string }> {
  const { file, db } = createPeopleDb(dir, rows, `kafka-${topics}.sqlite`);
  db.close();
  const topic = `calls-${++topics}`;
  await kafka.createTopic(topic, 3);
  await engine.secrets.save('kafka-password', kafka.users.scram512.password);
  engine.catalog.putSource({ kind: 'sqlite', name: 'kafka-db', path: file });
  engine.catalog.putModel({ name: 'kafka-people', source: 'kafka-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({
    kind: 'kafka',
    name: 'kafka',
    brokers: [kafka.listeners.saslSsl],
    auth: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: { keychain: 'kafka-password' } },
    tls: { enabled: true, caPem: kafka.pki.caPem },
    topic,
  });
  engine.catalog.putSync({
    name: 'to-kafka',
    model: 'kafka-people',
    destination: 'kafka',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' },
  });
  return { topic, file };
}

interface ProduceRequest {
  topic: string;
  messages: { count: number; first: { key: string | null; partition: number; value: { preview: string } }[] };
}
interface ProduceResults {
  records: number;
  acknowledged: number;
  failed: number;
  partitions: { partition: number; baseOffset: string; lastOffset: string; records: number; errorCode: number }[];
}

describe('recording Kafka calls', () => {
  it('records a sync’s Produce calls with broker, API version, sizes, duration and each partition’s offsets, and the protocol calls around them', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const topic = await kafkaSetup(t.engine, t.dir, 60);
    const run = await t.engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 60 } });

    const all = await call(t.engine, 'listApiCalls', { runId: run.id });
    const operations = new Set(all.calls.map((c) => c.operation));
    for (const op of ['ApiVersions', 'Metadata', 'SaslHandshake', 'SaslAuthenticate', 'InitProducerId', 'Produce']) expect(operations).toContain(op);
    expect(all.calls.every((c) => c.service === 'kafka' && c.context === 'sync' && c.destination === 'kafka')).toBe(true);

    const produced = await call(t.engine, 'listApiCalls', { runId: run.id, operation: 'Produce' });
    expect(produced.calls.reduce((n, c) => n + c.recordCount!, 0)).toBe(60);
    const ledger = t.engine.ledger.search({ runId: run.id, limit: 100 }).entries;
    for (const summary of produced.calls) {
      expect(summary).toMatchObject({ status: 'ok', target: kafka.listeners.saslSsl, failedRecords: 0, isError: false });
      expect(summary.durationMs).toBeGreaterThan(0);
      expect(summary.requestBytes).toBeGreaterThan(summary.recordCount! * 10);
      expect(summary.responseBytes).toBeGreaterThan(0);
      const detail = await call(t.engine, 'getApiCall', { id: summary.id });
      expect((detail.transport as { apiVersion: number }).apiVersion).toBeGreaterThanOrEqual(3);
      const request = detail.request as ProduceRequest;
      expect(request.topic).toBe(topic);
      expect(JSON.parse(request.messages.first[0]!.value.preview)).toHaveProperty('id');
      const results = detail.results as ProduceResults;
      expect(results).toMatchObject({ records: summary.recordCount, acknowledged: summary.recordCount, failed: 0 });
      // Every ledger offset of this batch's partitions lies in the recorded offset range.
      for (const p of results.partitions) {
        const landed = ledger.filter(
          (e) => e.partition === p.partition && BigInt(e.offset!) >= BigInt(p.baseOffset) && BigInt(e.offset!) <= BigInt(p.lastOffset),
        );
        expect(landed).toHaveLength(p.records);
      }
    }
  });

  it('records a Kafka connection test’s requests', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    await kafkaSetup(t.engine, t.dir, 1);
    const test = await call(t.engine, 'testDestination', { destination: 'kafka' });
    expect(test.ok).toBe(true);
    const tested = await call(t.engine, 'listApiCalls', { context: 'connection-test' });
    expect(tested.calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['ApiVersions', 'SaslAuthenticate', 'Metadata']));
    expect(tested.calls.every((c) => c.runId === null && c.target === kafka.listeners.saslSsl)).toBe(true);
  });
});

/** Every encoding a secret could be written to disk in (as main/secrets/leak.test.ts searches). */
function encodings(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(Buffer.from(secret).toString('hex')),
  ];
}
const containing = (files: string[], needle: string) => files.filter((f) => encodings(needle).some((e) => fs.readFileSync(f).includes(e)));

describe('redaction in recorded calls', () => {
  let kinesis: KinesisPeer;
  let moto: MotoPeer;
  beforeAll(async () => {
    [kinesis, moto] = await Promise.all([startKinesisLocal(), startMoto()]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([kinesis?.stop(), moto?.stop()]);
  });

  it('finds none of the suite’s secrets (SASL password, AWS secret key, session tokens) in api_calls, the db file, its WAL, or an NDJSON/HAR export', async () => {
    const t = await openTestEngine();
    const exports = tempWorkspace();
    closers.push(t.close, exports.cleanup);
    const { engine } = t;
    const { file } = await kafkaSetupWithFile(engine, t.dir, 30);
    const sessionToken = 'IQoJb3JpZ2luX2VjEsluiceSessionCanary9d41';
    const secrets = { sasl: kafka.users.scram512.password, awsSecret: LOCAL_AWS_CREDENTIALS.secretAccessKey, sessionToken };
    await engine.secrets.save('aws-secret', secrets.awsSecret);
    await engine.secrets.save('aws-session', secrets.sessionToken);

    // Kinesis with a key, a secret and a session token (kinesis-local); Kinesis on moto through an assumed role.
    const local = new KinesisClient(awsClientConfig({ region: kinesis.region, endpoint: kinesis.endpoint, credentials: LOCAL_AWS_CREDENTIALS }));
    const onMoto = new KinesisClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
    closers.push(
      () => local.destroy(),
      () => onMoto.destroy(),
    );
    for (const c of [local, onMoto]) {
      await c.send(new CreateStreamCommand({ StreamName: 'secret-stream', ShardCount: 1 }));
      await waitUntilStreamExists({ client: c, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'secret-stream' });
    }
    engine.catalog.putSource({ kind: 'sqlite', name: 'aws-db', path: file });
    engine.catalog.putModel({ name: 'aws-people', source: 'aws-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    const keyAuth = {
      kind: 'access-key' as const,
      accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId,
      secretAccessKey: { keychain: 'aws-secret' },
      sessionToken: { keychain: 'aws-session' },
    };
    engine.catalog.putDestination({
      kind: 'kinesis',
      name: 'local',
      stream: 'secret-stream',
      region: kinesis.region,
      endpoint: kinesis.endpoint,
      auth: keyAuth,
    });
    engine.catalog.putDestination({
      kind: 'kinesis',
      name: 'moto',
      stream: 'secret-stream',
      region: moto.region,
      endpoint: moto.endpoint,
      auth: {
        kind: 'assume-role',
        roleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
        sessionName: 'sluice',
        durationSeconds: 900,
        stsEndpoint: moto.endpoint,
        base: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'aws-secret' } },
      },
    });
    const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };
    engine.catalog.putSync({ name: 'to-local', model: 'aws-people', destination: 'local', triggers: ['added'], payload });
    engine.catalog.putSync({ name: 'to-moto', model: 'aws-people', destination: 'moto', triggers: ['added'], payload });

    for (const destination of ['kafka', 'local', 'moto']) expect((await call(engine, 'testDestination', { destination })).ok).toBe(true);
    const runs = [];
    for (const sync of ['to-kafka', 'to-local', 'to-moto']) {
      const run = await engine.runSync(sync);
      expect(run.status, `${sync}: ${run.error}`).toBe('succeeded');
      runs.push(run.id);
    }
    // The assumed role's call is recorded, its temporary credentials are not.
    const sts = await call(engine, 'listApiCalls', { service: 'sts' });
    expect(sts.calls.map((c) => c.operation)).toContain('AssumeRole');
    const assumeRole = sts.calls.find((c) => c.operation === 'AssumeRole')!;
    const assumed = await call(engine, 'getApiCall', { id: assumeRole.id });
    expect(assumed.response).toMatchObject({ Credentials: '[redacted]' });
    const motoTokenPrefix = 'FQoGZXIvYXdzEBYaD';

    // Positive controls: the search finds what the recorder did write.
    const rows = engine.db.prepare('SELECT * FROM api_calls').all() as Record<string, unknown>[];
    const table = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(20);
    expect(table).toContain('SaslAuthenticate');
    expect(table).toContain('x-amz-target');
    for (const [name, secret] of Object.entries({ ...secrets, motoTokenPrefix })) expect(table.includes(secret), `${name} in api_calls`).toBe(false);

    for (const runId of runs) {
      for (const format of ['ndjson', 'har'] as const) {
        if (format === 'har' && runId === runs[0]) continue; // Kafka calls are not HTTP
        const exported = await call(engine, 'exportApiCalls', { runId, format });
        fs.writeFileSync(path.join(exports.dir, exported.fileName), exported.content);
      }
    }
    const written = [...filesUnder(t.dir), ...filesUnder(exports.dir)];
    expect(written.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(['sluice.db', 'sluice.db-wal', `sluice-run-${runs[1]}-api-calls.har`, `sluice-run-${runs[0]}-api-calls.ndjson`]),
    );
    expect(containing(written, 'PutRecords').length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries({ ...secrets, motoTokenPrefix })) expect(containing(written, secret), name).toEqual([]);
  });
});
