import { describe, expect, it } from 'vitest';
import { DestinationSchema, type Destination } from '../../../../shared/config/destination';
import { kafkaBrokerIssues } from '../../destinations/kinds/kafka/kafka-wizard';
import { emptyForm, fromDestination, newExternalId, secretsInUse, toDraft, withNewExternalId } from './wizard-form';

type Editable = Exclude<Destination, { kind: 'sandbox-kinesis' }>;
const parse = (d: unknown) => DestinationSchema.parse(d) as Editable;

// Every kind of saved destination the wizard can edit, with each of its auth modes.
const saved: Record<string, Editable> = {
  'kinesis, access key with a session token': parse({
    kind: 'kinesis',
    name: 'k1',
    stream: 'orders',
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:4567',
    auth: { kind: 'access-key', accessKeyId: 'AKIA1', secretAccessKey: { keychain: 'aws-secret' }, sessionToken: { env: 'AWS_SESSION_TOKEN' } },
  }),
  'kinesis, default chain with a profile': parse({
    kind: 'kinesis',
    name: 'k2',
    stream: 'orders',
    region: 'us-east-1',
    auth: { kind: 'default-chain', profile: 'analytics' },
  }),
  'firehose, assumed role with an external ID, no newline': parse({
    kind: 'firehose',
    name: 'f1',
    deliveryStream: 'events',
    region: 'us-west-2',
    appendNewline: false,
    auth: {
      kind: 'assume-role',
      roleArn: 'arn:aws:iam::123456789012:role/w',
      externalId: { keychain: 'ext' },
      sessionName: 'me',
      durationSeconds: 1800,
      stsEndpoint: 'http://127.0.0.1:5000',
      base: { kind: 'default-chain' },
    },
  }),
  'kafka, SCRAM over TLS with a client certificate': parse({
    kind: 'kafka',
    name: 'kf1',
    clientId: 'app',
    brokers: ['a:9092', 'b:9093'],
    topic: 'orders',
    compression: 'gzip',
    auth: { mechanism: 'scram-sha-512', username: 'u', password: { keychain: 'kpw' } },
    tls: {
      enabled: true,
      caPem: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----',
      clientCertPem: '-----BEGIN CERTIFICATE-----\nY\n-----END CERTIFICATE-----',
      clientKey: { env: 'KEY' },
    },
  }),
  'kafka, MSK IAM through an assumed role': parse({
    kind: 'kafka',
    name: 'msk',
    brokers: ['b-1.c.kafka.us-east-1.amazonaws.com:9098'],
    tls: { enabled: true },
    auth: {
      mechanism: 'aws',
      region: 'us-east-1',
      credentials: {
        kind: 'assume-role',
        roleArn: 'arn:aws:iam::210987654321:role/r',
        sessionName: 'sluice',
        durationSeconds: 900,
        base: { kind: 'access-key', accessKeyId: 'AKIA2', secretAccessKey: { keychain: 's' } },
      },
    },
  }),
  'kafka, no auth, topic from each row': parse({ kind: 'kafka', name: 'plain', brokers: ['localhost:9092'] }),
};

describe('the destination wizard form', () => {
  it.each(Object.entries(saved))('gives back what it was opened with on Edit: %s', (_, destination) => {
    const draft = toDraft(fromDestination(destination));
    expect(DestinationSchema.parse(draft)).toEqual(destination);
  });

  it('asks the keychain only for the secrets the chosen settings use', () => {
    const kafka = { ...emptyForm('kafka'), mechanism: 'scram-sha-256' as const };
    expect(secretsInUse(kafka)).toEqual(['password']);
    expect(secretsInUse({ ...kafka, tls: true, clientCertPem: 'CERT' })).toEqual(['password', 'clientKey']);
    expect(secretsInUse({ ...kafka, mechanism: 'none', tls: true, clientCertPem: '  ' })).toEqual([]);
    expect(secretsInUse({ ...kafka, mechanism: 'aws', authKind: 'default-chain' })).toEqual([]);

    const aws = emptyForm('kinesis');
    expect(secretsInUse(aws)).toEqual(['secretAccessKey']);
    expect(secretsInUse({ ...aws, useSessionToken: true })).toEqual(['secretAccessKey', 'sessionToken']);
    expect(secretsInUse({ ...aws, authKind: 'assume-role', baseKind: 'default-chain' })).toEqual(['externalId']);
    expect(secretsInUse({ ...aws, authKind: 'assume-role', baseKind: 'access-key', useExternalId: false })).toEqual(['secretAccessKey']);
  });

  it('generates a fresh external ID for every new form and on request, kept as a new keychain secret', () => {
    expect(newExternalId()).toMatch(/^sluice-[0-9a-f]{32}$/);
    const a = emptyForm('firehose');
    const b = withNewExternalId(a);
    expect(a.externalId).toEqual({ mode: 'new', name: '', value: a.knownExternalId });
    expect(b.knownExternalId).not.toBe(a.knownExternalId);
    expect(b.externalId.value).toBe(b.knownExternalId);
  });

  it('moves a typed-in external ID of an older configuration into a new secret, shown with the policy', () => {
    const older = { ...saved['firehose, assumed role with an external ID, no newline']! } as Editable & { kind: 'firehose' };
    const form = fromDestination({ ...older, auth: { ...older.auth, externalId: 'typed-id' } as typeof older.auth });
    expect(form.externalId).toEqual({ mode: 'new', name: '', value: 'typed-id' });
    expect(form.knownExternalId).toBe('typed-id');
  });

  it('trims what was typed and drops empty optional fields', () => {
    const f = { ...emptyForm('kafka'), name: ' orders ', brokers: ' a:1 , ,b:2 ', clientId: '  ', target: '  ' };
    expect(toDraft(f)).toEqual({
      kind: 'kafka',
      name: 'orders',
      clientId: 'sluice',
      brokers: ['a:1', 'b:2'],
      auth: { mechanism: 'none' },
      tls: { enabled: false },
      compression: 'none',
    });
    expect(
      toDraft({ ...emptyForm('kinesis'), name: 'k', accessKeyId: ' AKIA ', secretAccessKey: { mode: 'existing', name: ' s ', value: '' } }, ' orders '),
    ).toEqual({
      kind: 'kinesis',
      name: 'k',
      region: 'us-east-1',
      stream: 'orders',
      auth: { kind: 'access-key', accessKeyId: 'AKIA', secretAccessKey: { keychain: 's' } },
    });
  });
});

describe("the Kafka wizard's brokers", () => {
  it('says each broker the client could not connect to, by its place and its text, before the connection is tested', () => {
    expect(kafkaBrokerIssues({ brokers: 'localhost:9092, b-1.example:9096 ,, my_broker:65535' })).toEqual([]);
    expect(kafkaBrokerIssues({ brokers: '' })).toEqual([]);
    expect(kafkaBrokerIssues({ brokers: 'kafka:9092,kafka:99999,kafka:0,kafka:abc,kafka:' })).toEqual([
      { path: 'brokers.1', message: 'Broker 2 (kafka:99999): the port must be a number from 1 to 65535' },
      { path: 'brokers.2', message: 'Broker 3 (kafka:0): the port must be a number from 1 to 65535' },
      { path: 'brokers.3', message: 'Broker 4 (kafka:abc): the port must be a number from 1 to 65535' },
      { path: 'brokers.4', message: 'Broker 5 (kafka:): the port must be a number from 1 to 65535' },
    ]);
    expect(kafkaBrokerIssues({ brokers: 'kafka:1234567, no-port, SASL_SSL://h:9092, [::1]:9092' }).map((i) => i.message)).toEqual([
      'Broker 1 (kafka:1234567): the port must be a number from 1 to 65535',
      'Broker 2 (no-port): a broker is host:port',
      'Broker 3 (SASL_SSL://h:9092): a broker is host:port, without a protocol (write host:9092, not SASL_SSL://host:9092; TLS and SASL are set under tls and auth)',
      'Broker 4 ([::1]:9092): a broker is host:port; an IPv6 address cannot be written here (the Kafka client cannot reach one): use a host name for it',
    ]);
  });
});
