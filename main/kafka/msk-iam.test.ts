import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SASLOptions } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DestinationSchema, type Destination } from '../../shared/config/destination';
import { fetchMskIamAuth, MSK_IAM_AUTH_VERSION } from '../testing/peers/msk-iam-java';
import type { RecordedCall } from '../recorder/types';
import { startMskIamBroker, type MskIamBroker } from '../testing/peers/kafka-msk-iam';
import { kafkaConfig } from './client';
import { KafkaPublisher } from './producer';
import { testDestination } from '../destinations/connection-test';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';

// Sluice's MSK IAM login (SASL/OAUTHBEARER, msk-iam.ts) against the one AWS's own Java library
// (software.amazon.msk:aws-msk-iam-auth) makes for the same credentials, region and time.

const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // Base64, as session tokens are: + / = need escaping in a query string.
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/Session+Token/ab==',
};
const REGION = 'eu-west-1';
const BROKER = 'b-1.sluice.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098';

type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;

const secrets = {
  resolve: async (ref: { keychain: string } | { env: string }) =>
    'keychain' in ref && ref.keychain === 'msk-secret' ? CREDENTIALS.secretAccessKey : CREDENTIALS.sessionToken,
};

function destination(auth: unknown, brokers = [BROKER]): KafkaDestination {
  return DestinationSchema.parse({ kind: 'kafka', name: 'msk', brokers, auth, tls: { enabled: true } }) as KafkaDestination;
}

/** The token Sluice's kafkajs client sends, through the destination's kafkajs settings (the production path). */
async function sluiceToken(d: KafkaDestination): Promise<string> {
  const sasl = (await kafkaConfig(d, secrets)).sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>;
  expect(sasl.mechanism).toBe('oauthbearer');
  return (await sasl.oauthBearerProvider()).value;
}

/** The signed parts of a token: the URL's host, path and query parameters (raw, as sent), without the unsigned User-Agent. */
function signedParts(token: string): { url: string; host: string; path: string; params: [string, string][]; userAgent: string | undefined } {
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, unpadded
  const url = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^https:\/\/([^/?]+)(\/?)\?(.*)$/.exec(url);
  if (!m) throw new Error(`not a presigned URL: ${url}`);
  const raw = m[3]!.split('&').map((p) => p.split('=', 2) as [string, string]);
  return {
    url,
    host: m[1]!,
    path: m[2] || '/',
    params: raw.filter(([k]) => k !== 'User-Agent').sort(([a], [b]) => (a < b ? -1 : 1)),
    userAgent: raw.find(([k]) => k === 'User-Agent')?.[1],
  };
}

async function javaToken(): Promise<string> {
  const libs = path.join(await fetchMskIamAuth(), 'libs');
  const { stdout } = await promisify(execFile)('java', ['-cp', `${libs}/*`, path.join(__dirname, '../testing/msk-iam/MskIamToken.java')], {
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent', // no shared AWS files: the credentials below are the only ones
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_REGION: REGION,
    },
  });
  return stdout.trim();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MSK IAM login', () => {
  it(`signs the same token as AWS's Java library aws-msk-iam-auth ${MSK_IAM_AUTH_VERSION}`, async () => {
    // The Java library signs at the current time (nothing injects another): Sluice signs at the time its token carries.
    let java = signedParts(await javaToken());
    // Its expiry is read from the clock a moment before the signer's: across a second boundary it says 899.
    if (java.params.find(([k]) => k === 'X-Amz-Expires')?.[1] !== '900') java = signedParts(await javaToken());
    const amzDate = java.params.find(([k]) => k === 'X-Amz-Date')![1];
    const at = new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    vi.useFakeTimers({ toFake: ['Date'], now: at });

    const d = destination({
      mechanism: 'aws',
      region: REGION,
      credentials: {
        kind: 'access-key',
        accessKeyId: CREDENTIALS.accessKeyId,
        secretAccessKey: { keychain: 'msk-secret' },
        sessionToken: { keychain: 'msk-token' },
      },
    });
    const sluice = signedParts(await sluiceToken(d));

    // Every signed byte is the same: host, path, each query parameter's name and (escaped) value, the signature.
    expect(sluice.host).toBe(`kafka.${REGION}.amazonaws.com`);
    expect(sluice.host).toBe(java.host);
    expect(sluice.path).toBe(java.path);
    expect(sluice.params).toEqual(java.params);
    expect(sluice.params.map(([k]) => k)).toEqual([
      'Action',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Security-Token',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
    ]);
    expect(Object.fromEntries(sluice.params)).toMatchObject({
      Action: 'kafka-cluster%3AConnect',
      'X-Amz-Credential': `${CREDENTIALS.accessKeyId}%2F${amzDate.slice(0, 8)}%2F${REGION}%2Fkafka-cluster%2Faws4_request`,
      'X-Amz-Security-Token': encodeURIComponent(CREDENTIALS.sessionToken),
      'X-Amz-Expires': '900',
    });
    // Only the unsigned User-Agent names each library.
    expect(decodeURIComponent(java.userAgent!)).toMatch(/^aws-msk-iam-auth\//);
    expect(decodeURIComponent(sluice.userAgent!)).toMatch(/^aws-msk-iam-sasl-signer-js\//);
    // The secret key itself is nowhere in the token.
    expect(sluice.url).not.toContain(CREDENTIALS.secretAccessKey);
    expect(sluice.url).not.toContain(encodeURIComponent(CREDENTIALS.secretAccessKey));
  }, 300_000);

  it('signs for the region in the brokers’ MSK host names when the destination names none', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-02T03:04:05Z') });
    const d = destination(
      { mechanism: 'aws', credentials: { kind: 'access-key', accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'msk-secret' } } },
      ['b-2.x.y.c3.kafka.ap-southeast-2.amazonaws.com:9098'],
    );
    const parts = signedParts(await sluiceToken(d));
    expect(parts.host).toBe('kafka.ap-southeast-2.amazonaws.com');
    expect(Object.fromEntries(parts.params)['X-Amz-Credential']).toBe(`${CREDENTIALS.accessKeyId}%2F20260102%2Fap-southeast-2%2Fkafka-cluster%2Faws4_request`);
    expect(Object.fromEntries(parts.params)['X-Amz-Date']).toBe('20260102T030405Z');
  });

  it('asks for the region when the brokers’ names do not show it, and checks its form', () => {
    const noRegion = DestinationSchema.safeParse({
      kind: 'kafka',
      name: 'msk',
      brokers: ['10.0.0.5:9098'],
      auth: { mechanism: 'aws', credentials: { kind: 'default-chain' } },
    });
    expect(noRegion.success).toBe(false);
    expect(noRegion.error!.issues[0]).toMatchObject({ path: ['auth', 'region'], message: expect.stringContaining('region of the MSK cluster is required') });
    const badRegion = DestinationSchema.safeParse({
      kind: 'kafka',
      name: 'msk',
      brokers: ['10.0.0.5:9098'],
      auth: { mechanism: 'aws', region: 'Ireland', credentials: { kind: 'default-chain' } },
    });
    expect(badRegion.error!.issues[0]).toMatchObject({
      path: ['auth', 'region'],
      message: 'region must be an AWS region code, like us-east-1, eu-central-2 or us-gov-west-1',
    });
  });

  it('reads a configuration of the old shape (one access key in place) as access-key credentials', () => {
    const d = destination({
      mechanism: 'aws',
      authorizationIdentity: 'AIDAEXAMPLE',
      accessKeyId: 'AKIAOLD',
      secretAccessKey: { env: 'MSK_SECRET' },
      sessionToken: { keychain: 'tok' },
    });
    expect(d.auth).toEqual({
      mechanism: 'aws',
      credentials: { kind: 'access-key', accessKeyId: 'AKIAOLD', secretAccessKey: { env: 'MSK_SECRET' }, sessionToken: { keychain: 'tok' } },
    });
  });
});

describe('MSK IAM login to a real Kafka broker (OAUTHBEARER only, MSK IAM tokens only)', () => {
  let broker: MskIamBroker;
  beforeAll(async () => {
    broker = await startMskIamBroker(CREDENTIALS.accessKeyId);
    await broker.createTopic('msk-orders');
  }, 180_000);
  afterAll(() => broker?.stop());

  const mskOn = (accessKeyId: string) =>
    DestinationSchema.parse({
      kind: 'kafka',
      name: 'msk',
      brokers: [broker.iamListener],
      auth: {
        mechanism: 'aws',
        region: REGION,
        credentials: { kind: 'access-key', accessKeyId, secretAccessKey: { keychain: 'msk-secret' }, sessionToken: { keychain: 'msk-token' } },
      },
      topic: 'msk-orders',
    }) as KafkaDestination;
  const record = (seq: number) => ({
    kind: 'kafka' as const,
    seq,
    key: String(seq),
    event: 'added' as const,
    data: Buffer.from(`order ${seq}`),
    partitionKey: 'msk-orders/k',
    kafka: { topic: 'msk-orders', key: 'k', partition: null, headers: {} },
  });

  it('logs in with SASL/OAUTHBEARER and exactly Sluice’s signed token, writes, and records no secret for the Debugger', async () => {
    const d = mskOn(CREDENTIALS.accessKeyId);
    const calls: RecordedCall[] = [];
    const publisher = new KafkaPublisher(await kafkaConfig(d, secrets), 'none', { record: (c) => calls.push(c) });
    try {
      const results = await publisher.send([record(1)]);
      expect(results).toEqual([{ seq: 1, ok: true, location: { topic: 'msk-orders', partition: 0, offset: '0' } }]);
    } finally {
      await publisher.close();
    }
    // The broker enables only OAUTHBEARER, and its validator took the token: these are the bytes it got.
    const tokens = broker.tokens();
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) {
      const amzDate = Object.fromEntries(signedParts(token).params)['X-Amz-Date']!;
      vi.useFakeTimers({ toFake: ['Date'], now: new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) });
      expect(await sluiceToken(d)).toBe(token);
      vi.useRealTimers();
    }
    // The Debugger's calls name the mechanism and hold neither the secret key, the session token nor a token.
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.some((c) => (c.transport as { security?: { sasl?: { mechanism?: string } } } | undefined)?.security?.sasl?.mechanism === 'aws')).toBe(true);
    const recorded = JSON.stringify(calls);
    for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, encodeURIComponent(CREDENTIALS.sessionToken), ...tokens])
      expect(recorded).not.toContain(secret);
  }, 120_000);

  it('a login the broker refuses fails the send, and the connection test says the signed login was refused', async () => {
    // Apache Kafka's OAUTHBEARER server answers a refused token with an error challenge and closes the
    // connection; kafkajs does not read the challenge, so the failure shows as the closed connection.
    const publisher = new KafkaPublisher(await kafkaConfig(mskOn('AKIAOTHERKEYEXAMPLE'), secrets), 'none');
    try {
      await expect(publisher.send([record(2)])).rejects.toThrow(/Closed connection|authentication/i);
    } finally {
      await publisher.close();
    }
    expect(broker.tokens().some((t) => Buffer.from(t, 'base64url').toString().includes('AKIAOTHERKEYEXAMPLE%2F'))).toBe(true);
    // The connection test says what a person can act on, at the Authentication step.
    const test = await testDestination(mskOn('AKIAOTHERKEYEXAMPLE'), secrets, undefined as unknown as SandboxKinesis);
    const auth = test.steps.find((s) => s.step === 'Authentication');
    expect(test.ok).toBe(false);
    expect(auth?.status).toBe('failed');
    expect(auth?.detail).toMatch(/^The broker closed the connection during the AWS IAM login: it refused the signed token/);
    expect(auth?.hint).toContain('kafka-cluster:Connect');
  }, 120_000);
});
