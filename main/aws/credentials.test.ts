import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwsAuthSchema } from '../../shared/config/destination';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { startMoto, type MotoPeer } from '../testing/peers/moto';
import { awsClientConfig } from './client-config';
import { awsCredentials } from './credentials';

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
  });
});
