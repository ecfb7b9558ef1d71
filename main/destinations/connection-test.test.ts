import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Destination } from '../../shared/config/destination';
import { DestinationSchema } from '../../shared/config/destination';
import { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { freePort } from '../testing/peers/ports';
import { startSilentServer } from '../testing/peers/silent-server';
import { testDestination } from './connection-test';

// Connection tests against the real peers: each failure is told at its step, with a hint and the raw error.

let kafka: KafkaPeer;
let kinesis: KinesisPeer;
const sandbox = new SandboxKinesis();
const secrets = { resolve: async (ref: { keychain: string } | { env: string }) => ('keychain' in ref ? ref.keychain : 'x') };

beforeAll(async () => {
  [kafka, kinesis] = await Promise.all([startKafka(), startKinesisLocal()]);
  for (const topic of ['checked', 'part-10', 'part-2']) await kafka.createTopic(topic, topic === 'checked' ? 2 : 1);
  const client = kinesis.client();
  for (const stream of ['checked', 'part-10', 'part-2']) {
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  }
  client.destroy();
}, 300_000);
afterAll(async () => {
  await Promise.all([kafka?.stop(), kinesis?.stop(), sandbox.close()]);
});

// The secret resolver above hands back the keychain *name*, so the password is written there.
const kafkaDest = (overrides: Record<string, unknown>): Destination =>
  DestinationSchema.parse({
    kind: 'kafka',
    name: 'k',
    brokers: [kafka.listeners.saslSsl],
    auth: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: { keychain: kafka.users.scram512.password } },
    tls: { enabled: true, caPem: kafka.pki.caPem },
    topic: 'checked',
    ...overrides,
  });

const failedStep = (r: Awaited<ReturnType<typeof testDestination>>) => r.steps.find((s) => s.status === 'failed');

describe('Kafka connection test', () => {
  it('passes every step over SCRAM and TLS, showing the certificate chain and listing topics', async () => {
    const r = await testDestination(kafkaDest({}), secrets, sandbox);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => [s.step, s.status])).toEqual([
      ['Name resolution', 'ok'],
      ['TCP connection', 'ok'],
      ['TLS', 'ok'],
      ['Authentication', 'ok'],
      ['Authorisation', 'ok'],
      ['Listing', 'ok'],
    ]);
    expect(r.steps[2]!.detail).toContain('localhost ← Sluice Kafka Test CA');
    expect(r.steps[4]!.detail).toBe('The topic "checked" exists with 2 partition(s)');
    // The wizard's topic picker, numbers by value as in the Inspector (it listed part-10 before part-2).
    expect(r.listed.filter((t) => /^(checked|part-\d+)$/.test(t))).toEqual(['checked', 'part-2', 'part-10']);
  });

  it('a host that does not resolve: said once, without a raw error that repeats it', async () => {
    const r = await testDestination(
      kafkaDest({ brokers: ['nosuchhost.invalid:9092'], auth: { mechanism: 'none' }, tls: { enabled: false } }),
      secrets,
      sandbox,
    );
    expect(failedStep(r)).toMatchObject({ step: 'Name resolution', detail: 'nosuchhost.invalid does not resolve (ENOTFOUND)' });
    expect(failedStep(r)!.raw).toBeUndefined();
  });

  it('when no broker of the list answers, says each one and why (it said the first one alone)', async () => {
    const plain = { auth: { mechanism: 'none' }, tls: { enabled: false } };
    const [a, b] = [await freePort(), await freePort()];
    const refused = await testDestination(kafkaDest({ brokers: [`127.0.0.1:${a}`, `127.0.0.1:${b}`], ...plain }), secrets, sandbox);
    expect(failedStep(refused)).toMatchObject({
      step: 'TCP connection',
      detail: `None of the 2 brokers answers (127.0.0.1:${a}, 127.0.0.1:${b}): The connection was refused: nothing listens on that port`,
      hint: 'Check the host and port, and that the service is running.',
    });
    const mixed = await testDestination(kafkaDest({ brokers: [`127.0.0.1:${a}`, '127.0.0.1:99999'], ...plain }), secrets, sandbox);
    expect(failedStep(mixed)!.detail).toBe(
      `None of the 2 brokers answers: 127.0.0.1:${a} — The connection was refused: nothing listens on that port; 127.0.0.1:99999 — That is not a port: a port is 1 to 65535`,
    );
    const unresolved = await testDestination(kafkaDest({ brokers: ['one.invalid:9092', 'two.invalid:9092'], ...plain }), secrets, sandbox);
    expect(failedStep(unresolved)).toMatchObject({
      step: 'Name resolution',
      detail: 'one.invalid does not resolve (ENOTFOUND); two.invalid does not resolve (ENOTFOUND)',
    });
    // No raw line that says it all again ("Error: one.invalid: one.invalid does not resolve (ENOTFOUND); …").
    expect(failedStep(unresolved)!.raw).toBeUndefined();
    // Refused: the raw line holds each broker's own error, with its code.
    expect(failedStep(refused)!.raw).toBe(
      `127.0.0.1:${a}: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${a}; 127.0.0.1:${b}: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${b}`,
    );
  });

  it('a broker whose host does not resolve, among ones that answer, is said so at TCP too (not getaddrinfo ENOTFOUND)', async () => {
    const r = await testDestination(
      kafkaDest({ brokers: [kafka.listeners.plaintext, 'nosuch.invalid:9092'], auth: { mechanism: 'none' }, tls: { enabled: false } }),
      secrets,
      sandbox,
    );
    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.step === 'TCP connection')).toMatchObject({
      status: 'warning',
      detail: '1 of 2 brokers answer. Not answering: nosuch.invalid:9092 — Its host does not resolve (ENOTFOUND; see Name resolution)',
    });
  });

  it('tells a wrong password from a wrong mechanism', async () => {
    const wrongPassword = await testDestination(
      kafkaDest({ auth: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: { keychain: 'nope' } } }),
      secrets,
      sandbox,
    );
    expect(failedStep(wrongPassword)).toMatchObject({ step: 'Authentication', detail: 'The broker refused the username or password' });
    expect(failedStep(wrongPassword)!.raw).toMatch(/SCRAM SHA512 authentication failed/i);
    const wrongMechanism = await testDestination(
      kafkaDest({
        auth: { mechanism: 'aws', region: 'us-east-1', credentials: { kind: 'access-key', accessKeyId: 'AKIA', secretAccessKey: { keychain: 'x' } } },
      }),
      secrets,
      sandbox,
    );
    expect(failedStep(wrongMechanism)).toMatchObject({
      step: 'Authentication',
      detail: 'The broker does not accept the AWS IAM (SASL/OAUTHBEARER) mechanism (wrong mechanism, not a wrong password)',
    });
  });

  it('says to add the CA certificate when the broker’s certificate is not trusted', async () => {
    const r = await testDestination(kafkaDest({ tls: { enabled: true } }), secrets, sandbox);
    expect(failedStep(r)).toMatchObject({
      step: 'TLS',
      detail: 'The server’s certificate is signed by a certificate authority this machine does not trust (unknown CA)',
      hint: 'Add your CA certificate (PEM) to the destination’s TLS settings.',
    });
    expect(r.steps.slice(3).every((s) => s.status === 'skipped')).toBe(true);
  });

  it('names a refused port and a missing topic', async () => {
    const port = await freePort();
    const refused = await testDestination(kafkaDest({ brokers: [`127.0.0.1:${port}`] }), secrets, sandbox);
    expect(failedStep(refused)).toMatchObject({ step: 'TCP connection', detail: 'The connection was refused: nothing listens on that port' });
    const missing = await testDestination(kafkaDest({ topic: 'no-such-topic' }), secrets, sandbox);
    expect(failedStep(missing)).toMatchObject({
      step: 'Authorisation',
      detail: 'The topic "no-such-topic" does not exist',
      hint: 'Create it on the cluster, or with “Create a new topic…” on the wizard’s topic step (a sync never creates topics).',
    });
  });
});

describe('Kafka connection test, listeners that are not what the destination expects', () => {
  it('a port that takes the connection and never answers is said in seconds, asking whether it is a Kafka listener', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const r = await testDestination(
        kafkaDest({ brokers: [`127.0.0.1:${silent.port}`], auth: { mechanism: 'none' }, tls: { enabled: false } }),
        secrets,
        sandbox,
      );
      expect(Date.now() - started).toBeLessThan(25_000);
      expect(failedStep(r)).toMatchObject({
        detail: 'The broker took the connection but did not answer Kafka’s first request (ApiVersions) in time',
        hint: expect.stringContaining('Is this address a Kafka listener?'),
      });
    } finally {
      await silent.close();
    }
  }, 60_000);

  it('a SASL login to a listener without SASL says so (it said only "Request is not valid given the current SASL state")', async () => {
    const r = await testDestination(kafkaDest({ brokers: [kafka.listeners.plaintext], tls: { enabled: false } }), secrets, sandbox);
    expect(failedStep(r)).toMatchObject({ step: 'Authentication', hint: expect.stringContaining('This listener may take no SASL') });
  });
});

describe('Kinesis connection test', () => {
  const dest = (stream: string): Destination =>
    DestinationSchema.parse({
      kind: 'kinesis',
      name: 'kin',
      stream,
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'x' } },
    });

  it('describes the stream and lists the streams', async () => {
    const r = await testDestination(dest('checked'), secrets, sandbox);
    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.step === 'TLS')).toMatchObject({ status: 'skipped' });
    expect(r.steps.find((s) => s.step === 'Authorisation')!.detail).toBe('The stream "checked" is ACTIVE with 1 open shard(s)');
    // The wizard's stream picker, numbers by value (ListStreams gives part-10 before part-2).
    expect(r.listed.filter((t) => /^(checked|part-\d+)$/.test(t))).toEqual(['checked', 'part-2', 'part-10']);
  });

  it('names a stream that does not exist, and where it looked', async () => {
    const r = await testDestination(dest('nope'), secrets, sandbox);
    expect(failedStep(r)).toMatchObject({ step: 'Authorisation', detail: 'There is no stream "nope" in us-east-1', hint: 'Check the name and the region.' });
  });

  it("an endpoint that takes the connection and never answers is said in 15 s, with what to check (it took 60 s, in the HTTP client's words)", async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const r = await testDestination({ ...dest('checked'), endpoint: `http://127.0.0.1:${silent.port}` } as Destination, secrets, sandbox);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(failedStep(r)).toMatchObject({
        detail: 'The endpoint took the connection but did not answer in 15 s',
        hint: expect.stringContaining('Check that the endpoint is the service’s address and port'),
      });
    } finally {
      await silent.close();
    }
  }, 60_000);

  it('the sandbox stream starts on demand and passes', async () => {
    const r = await testDestination(DestinationSchema.parse({ kind: 'sandbox-kinesis', name: 'sb' }), secrets, sandbox);
    expect(r.ok).toBe(true);
    expect(r.listed).toEqual(['sluice-sandbox']);
  });
});
