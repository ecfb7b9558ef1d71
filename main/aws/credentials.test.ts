import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwsAuthSchema } from '../../shared/config/destination';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { startMoto, type MotoPeer } from '../testing/peers/moto';
import { awsClientConfig } from './client-config';
import { awsCredentials } from './credentials';
import { DestinationSchema } from '../../shared/config/destination';
import { iamPolicyFor } from '../../shared/destinations/iam-policy';
import { testDestination } from '../destinations/connection-test';
import { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import { openTestEngine } from '../testing/engine';
import { REDACTED } from '../secrets/redactor';
import type { RecordedCall } from '../recorder/types';

// Assumed-role credentials (STS on moto) are renewed before they expire, so a long run never stops
// on an expired session: the provider assumes the role, and the client that uses it (as the publishers
// do) keeps the session until fewer than five minutes remain. The clock the SDK reads is moved on;
// moto issues new keys on each AssumeRole.

let moto: MotoPeer;
beforeAll(async () => {
  moto = await startMoto();
}, 300_000);
afterAll(async () => {
  vi.useRealTimers();
  await moto?.stop();
});

describe('assume-role credentials', () => {
  it('are reused while fresh and assumed again when fewer than five minutes remain', async () => {
    const auth = AwsAuthSchema.parse({
      kind: 'assume-role',
      roleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
      externalId: 'sluice-external-id-42',
      durationSeconds: 900,
      stsEndpoint: moto.endpoint,
      base: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'base' } },
    });
    const provider = await awsCredentials(auth, moto.region, { resolve: async () => moto.credentials.secretAccessKey });
    if (typeof provider !== 'function') throw new Error('an assumed role is a provider');
    const client = new FirehoseClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: provider }));
    const current = () => client.config.credentials();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const first = await current();
    expect(first.sessionToken).toBeTruthy();
    expect(first.expiration!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

    vi.setSystemTime(Date.now() + 5 * 60_000); // 10 minutes left: still fresh
    expect((await current()).accessKeyId).toBe(first.accessKeyId);

    vi.setSystemTime(Date.now() + 6 * 60_000); // 4 minutes left: renewed before expiry
    const renewed = await current();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(renewed.expiration!.getTime()).toBeGreaterThan(first.expiration!.getTime());
    client.destroy();
    vi.useRealTimers();
  });
});

describe('temporary credentials and redaction', () => {
  it('an assumed role’s secret key and session token are redacted from log lines and error texts', async () => {
    const t = await openTestEngine();
    try {
      const { engine } = t;
      await engine.secrets.save('moto-base', moto.credentials.secretAccessKey);
      const auth = AwsAuthSchema.parse({
        kind: 'assume-role',
        roleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
        stsEndpoint: moto.endpoint,
        base: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'moto-base' } },
      });
      const provider = await awsCredentials(auth, moto.region, engine.secretResolver);
      if (typeof provider !== 'function') throw new Error('an assumed role is a provider');
      const session = await provider();
      expect(session.sessionToken).toBeTruthy();
      expect(session.secretAccessKey).not.toBe(moto.credentials.secretAccessKey);
      engine.log.warn('aws.echo', { message: `The security token ${session.sessionToken} is invalid (key ${session.secretAccessKey})` });
      const line = engine.log.tail(5).find((l) => l.includes('aws.echo'))!;
      expect(line).toContain(`The security token ${REDACTED} is invalid (key ${REDACTED})`);
      expect(engine.redactor.redact(`signed with ${session.secretAccessKey}`)).toBe(`signed with ${REDACTED}`);
      await engine.secrets.delete('moto-base');
    } finally {
      await t.close();
    }
  });
});

describe('an external ID kept in the keychain', () => {
  it('is sent with AssumeRole and redacted from log lines, while a typed-in one is left as it is', async () => {
    const t = await openTestEngine();
    try {
      const { engine } = t;
      const id = 'sluice-0123456789abcdef0123456789abcdef';
      await engine.secrets.save('moto-base', moto.credentials.secretAccessKey);
      await engine.secrets.save('role/external-id', id);
      const auth = AwsAuthSchema.parse({
        kind: 'assume-role',
        roleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
        externalId: { keychain: 'role/external-id' },
        stsEndpoint: moto.endpoint,
        base: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'moto-base' } },
      });
      const calls: RecordedCall[] = [];
      const provider = await awsCredentials(auth, moto.region, engine.secretResolver, { record: (c) => calls.push(c) });
      if (typeof provider !== 'function') throw new Error('an assumed role is a provider');
      expect((await provider()).sessionToken).toBeTruthy();
      expect(calls.find((c) => c.operation === 'AssumeRole')).toMatchObject({ status: '200' });
      engine.log.warn('aws.echo', { message: `assumed with ${id}` });
      expect(engine.log.tail(5).find((l) => l.includes('aws.echo'))).toContain(`assumed with ${REDACTED}`);
      if (auth.kind !== 'assume-role') throw new Error('an assumed role');
      await awsCredentials({ ...auth, externalId: 'ab' }, moto.region, engine.secretResolver);
      expect(engine.redactor.redact('about')).toBe('about');
      await engine.secrets.delete('moto-base');
      await engine.secrets.delete('role/external-id');
    } finally {
      await t.close();
    }
  });
});

describe('the account for the IAM policy', () => {
  it('comes from STS GetCallerIdentity of the assumed role, even when the delivery stream cannot be read', async () => {
    const destination = DestinationSchema.parse({
      kind: 'firehose',
      name: 'fh',
      deliveryStream: 'not-created',
      region: moto.region,
      endpoint: moto.endpoint,
      auth: {
        kind: 'assume-role',
        roleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
        stsEndpoint: moto.endpoint,
        base: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'base' } },
      },
    });
    const sandbox = new SandboxKinesis();
    const calls: RecordedCall[] = [];
    const r = await testDestination(destination, { resolve: async () => moto.credentials.secretAccessKey }, sandbox, { record: (c) => calls.push(c) });
    await sandbox.close();
    expect(r.account).toBe('123456789012');
    // The Debugger shows the GetCallerIdentity call like every other AWS call.
    expect(calls.find((c) => c.operation === 'GetCallerIdentity')).toMatchObject({ service: 'sts', status: '200' });
    expect(r.steps.find((s) => s.step === 'Authentication')!.detail).toBe('Credentials ready (assume-role); account 123456789012');
    expect(r.steps.find((s) => s.status === 'failed')).toMatchObject({
      step: 'Authorisation',
      detail: 'There is no delivery stream "not-created" in us-east-1',
    });
    const advice = iamPolicyFor(destination, { inspector: false, encrypted: false, account: r.account });
    expect(advice!.policy.Statement[0]!.Resource).toBe('arn:aws:firehose:us-east-1:123456789012:deliverystream/not-created');
  });

  it('is not asked of AWS for a destination on a custom endpoint without an STS endpoint', async () => {
    const destination = DestinationSchema.parse({
      kind: 'firehose',
      name: 'fh',
      deliveryStream: 'not-created',
      region: moto.region,
      endpoint: moto.endpoint,
      auth: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'base' } },
    });
    const sandbox = new SandboxKinesis();
    const r = await testDestination(destination, { resolve: async () => moto.credentials.secretAccessKey }, sandbox);
    await sandbox.close();
    expect(r.account).toBeUndefined();
    expect(r.steps.find((s) => s.step === 'Authentication')!.detail).toBe('Credentials ready (access-key)');
  });
});
