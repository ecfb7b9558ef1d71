import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestinationSchema } from '../../shared/config/destination';
import { InspectReadRequestSchema } from '../../shared/config/inspector';
import { iamPolicyFor, type PolicyDocument } from '../../shared/destinations/iam-policy';
import { awsClientConfig } from '../aws/client-config';
import { inspectRead, inspectTargets } from '../inspector/inspector';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { createMotoRole, createMotoUserWithPolicy, enforceMotoIam, startMoto, type MotoPeer } from '../testing/peers/moto';
import { testDestination } from './connection-test';

// The least-privilege policy Sluice generates, applied in moto with IAM enforced: a user with exactly
// that policy syncs and reads back; a user with the policy minus any one action fails somewhere —
// the connection test, the run or the inspector — and every failure names that action.
//
// moto 5.2.5 checks the Action of every statement but authorizes Kinesis and Firehose calls against the
// resource "*" (moto/core/responses.py call_action: only IAM, STS, SQS and S3 determine a resource), so a
// statement scoped to a stream ARN never matches there. The statements are applied with their actions
// exactly as generated and their Resource widened to "*"; the resource ARNs are checked by iam-policy.test.ts.
// STS does determine its resource (the role ARN): the base credentials' policy is applied exactly.

const ACCOUNT = '123456789012';
let moto: MotoPeer;
type Keys = { arn: string; accessKeyId: string; secretAccessKey: string };
const users = new Map<string, Keys>();

const kinesisDest = { kind: 'kinesis', name: 'dest', stream: 'orders', region: 'us-east-1' } as const;
const firehoseDest = { kind: 'firehose', name: 'dest', deliveryStream: 'events', region: 'us-east-1' } as const;
const keyAuth = (k: Keys) => ({ kind: 'access-key', accessKeyId: k.accessKeyId, secretAccessKey: { keychain: 'aws' } });

const kinesisPolicy = () =>
  iamPolicyFor(DestinationSchema.parse({ ...kinesisDest, auth: keyAuth({ arn: '', accessKeyId: 'A', secretAccessKey: '' }) }), {
    inspector: true,
    encrypted: false,
    account: ACCOUNT,
  })!.policy;
const firehosePolicy = () =>
  iamPolicyFor(DestinationSchema.parse({ ...firehoseDest, auth: keyAuth({ arn: '', accessKeyId: 'A', secretAccessKey: '' }) }), {
    inspector: false,
    encrypted: false,
    account: ACCOUNT,
  })!.policy;

const actionsOf = (p: PolicyDocument) => p.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
/** As moto can apply it: every statement's actions as generated, Resource "*" (see above); `without` left out. */
function applied(p: PolicyDocument, without?: string): PolicyDocument {
  return {
    Version: p.Version,
    Statement: p.Statement.map((s) => ({ ...s, Action: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== without), Resource: '*' })).filter(
      (s) => s.Action.length > 0,
    ),
  };
}

beforeAll(async () => {
  moto = await startMoto();
  const config = awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  const kinesis = new KinesisClient(config);
  await kinesis.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
  kinesis.destroy();
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'landing' }));
  s3.destroy();
  const firehose = new FirehoseClient(config);
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'events',
      ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::landing', RoleARN: `arn:aws:iam::${ACCOUNT}:role/firehose` },
    }),
  );
  firehose.destroy();
  users.set('kinesis', await createMotoUserWithPolicy(moto, 'kinesis', applied(kinesisPolicy())));
  for (const a of actionsOf(kinesisPolicy()))
    users.set(`kinesis-${a}`, await createMotoUserWithPolicy(moto, `kinesis-${a.split(':')[1]}`, applied(kinesisPolicy(), a)));
  users.set('firehose', await createMotoUserWithPolicy(moto, 'firehose', applied(firehosePolicy())));
  for (const a of actionsOf(firehosePolicy()))
    users.set(`firehose-${a}`, await createMotoUserWithPolicy(moto, `firehose-${a.split(':')[1]}`, applied(firehosePolicy(), a)));
  await enforceMotoIam(moto, true);
}, 300_000);
afterAll(async () => {
  if (moto) await enforceMotoIam(moto, false).catch(() => undefined);
  await moto?.stop();
});

async function engineWith(destination: Record<string, unknown>, secrets: Record<string, string>) {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, 8);
  db.close();
  for (const [name, value] of Object.entries(secrets)) await t.engine.secrets.save(name, value);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ ...destination, endpoint: moto.endpoint });
  t.engine.catalog.putSync({
    name: 'people',
    model: 'people',
    destination: 'dest',
    triggers: ['added'],
    initialSync: 'backfill',
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return {
    ...t,
    close: async () => {
      for (const name of Object.keys(secrets)) await t.engine.secrets.delete(name).catch(() => undefined);
      await t.close();
    },
  };
}

/** Everything Sluice does with a destination — connection test, a run, the inspector's shards and read — and what failed, in Sluice's words. */
async function everything(
  destination: Record<string, unknown>,
  secrets: Record<string, string>,
): Promise<{ failures: string[]; acknowledged: number; read: number }> {
  const t = await engineWith(destination, secrets);
  const failures: string[] = [];
  let acknowledged = 0;
  let read = 0;
  try {
    const test = await testDestination(t.engine.catalog.getDestination('dest'), t.engine.secretResolver, t.engine.sandbox);
    for (const s of test.steps.filter((x) => x.status === 'failed')) failures.push(`connection test, ${s.step}: ${s.detail}`);
    const run = await t.engine.runSync('people');
    if (run.status !== 'succeeded') failures.push(`run: ${run.error}`);
    acknowledged = run.counts.acknowledged;
    await inspectTargets(t.engine, 'dest').catch((e: Error) => failures.push(`inspector shards: ${e.message}`));
    await inspectRead(t.engine, InspectReadRequestSchema.parse({ destination: 'dest', limit: 50 })).then(
      (r) => (read = r.records.length),
      (e: Error) => failures.push(`inspector read: ${e.message}`),
    );
  } finally {
    await t.close();
  }
  return { failures, acknowledged, read };
}

describe('the generated policy, applied in moto enforcing IAM', () => {
  it('Kinesis: a user with exactly the policy (with the inspector’s reads) tests, syncs and reads back', async () => {
    const k = users.get('kinesis')!;
    const r = await everything({ ...kinesisDest, auth: keyAuth(k) }, { aws: k.secretAccessKey });
    expect(r.failures).toEqual([]);
    expect(r.acknowledged).toBe(8);
    expect(r.read).toBeGreaterThanOrEqual(8);
  });

  it('Kinesis: without any one action of the policy something fails, and every failure names that action', async () => {
    const seen: Record<string, string[]> = {};
    for (const action of actionsOf(kinesisPolicy())) {
      const k = users.get(`kinesis-${action}`)!;
      const { failures } = await everything({ ...kinesisDest, auth: keyAuth(k) }, { aws: k.secretAccessKey });
      seen[action] = failures;
    }
    for (const [action, failures] of Object.entries(seen)) {
      expect(failures.length, `nothing failed without ${action}`).toBeGreaterThan(0);
      for (const f of failures) expect(f, `without ${action}`).toContain(action);
    }
  });

  it('Firehose: a user with exactly the policy tests and syncs; without any one action something fails naming it', async () => {
    const k = users.get('firehose')!;
    const ok = await everything({ ...firehoseDest, auth: keyAuth(k) }, { aws: k.secretAccessKey });
    expect(ok.failures).toEqual([]);
    expect(ok.acknowledged).toBe(8);
    for (const action of actionsOf(firehosePolicy())) {
      const u = users.get(`firehose-${action}`)!;
      const { failures } = await everything({ ...firehoseDest, auth: keyAuth(u) }, { aws: u.secretAccessKey });
      expect(failures.length, `nothing failed without ${action}`).toBeGreaterThan(0);
      for (const f of failures) expect(f, `without ${action}`).toContain(action);
    }
  });
});

describe('assume role with a generated external ID kept in the keychain', () => {
  it('the generated trust policy (the base identity, several external IDs) lets the role be assumed with the stored ID, and not with another', async () => {
    const ours = 'sluice-0123456789abcdef0123456789abcdef';
    const another = 'sluice-fedcba9876543210fedcba9876543210'; // a second destination assuming the same role
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/sluice-writer`;
    const roleAuth = (externalId: string) => ({
      kind: 'assume-role',
      roleArn,
      externalId: { keychain: externalId },
      stsEndpoint: moto.endpoint,
      base: { kind: 'access-key', accessKeyId: base.accessKeyId, secretAccessKey: { keychain: 'aws' } },
    });
    // The base credentials' policy is exactly the generated one (STS checks the role ARN as the resource).
    const draft = DestinationSchema.parse({
      ...kinesisDest,
      endpoint: moto.endpoint,
      auth: {
        kind: 'assume-role',
        roleArn,
        externalId: { keychain: 'x' },
        base: { kind: 'access-key', accessKeyId: 'A', secretAccessKey: { keychain: 'aws' } },
      },
    });
    await enforceMotoIam(moto, false);
    const base = await createMotoUserWithPolicy(moto, 'base', iamPolicyFor(draft, { inspector: false, encrypted: false })!.basePolicy!);
    await enforceMotoIam(moto, true);

    // Before the role exists, the connection test already tells who the role must trust.
    const t = await engineWith(
      { ...kinesisDest, auth: roleAuth('dest/external-id') },
      { aws: base.secretAccessKey, 'dest/external-id': ours, 'other/external-id': another, 'wrong/external-id': 'sluice-00000000000000000000000000000000' },
    );
    try {
      const probe = await testDestination(t.engine.catalog.getDestination('dest'), t.engine.secretResolver, t.engine.sandbox);
      expect(probe.trustedIdentity).toBe(base.arn);
      expect(probe.ok).toBe(false); // (moto lets a role that does not exist be assumed; its calls are then refused)
      const advice = iamPolicyFor(t.engine.catalog.getDestination('dest'), {
        inspector: false,
        encrypted: false,
        externalIds: [ours, another],
        trustedIdentity: probe.trustedIdentity!,
      })!;
      expect(advice.trust).toEqual({ account: ACCOUNT, principal: base.arn, externalIds: [ours, another] });
      await enforceMotoIam(moto, false);
      await createMotoRole(moto, 'sluice-writer', advice.trustPolicy!, applied(advice.policy));
      await enforceMotoIam(moto, true);

      const run = await t.engine.runSync('people');
      expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 8 } });
      // The other destination's ID is accepted too; an ID the trust policy does not list is refused.
      for (const [name, ok] of [
        ['other/external-id', true],
        ['wrong/external-id', false],
      ] as const) {
        t.engine.catalog.putDestination({ ...kinesisDest, name: 'dest', endpoint: moto.endpoint, auth: roleAuth(name) });
        const r = await testDestination(t.engine.catalog.getDestination('dest'), t.engine.secretResolver, t.engine.sandbox);
        expect(r.ok, JSON.stringify(r.steps)).toBe(ok);
        if (!ok)
          expect(r.steps.find((s) => s.status === 'failed')).toMatchObject({
            step: 'Authentication',
            detail: expect.stringContaining('The role could not be assumed'),
          });
      }
      // The external ID is a secret: never in the workspace's database.
      expect(JSON.stringify(t.engine.catalog.listDestinations())).not.toContain(ours);
    } finally {
      await t.close();
    }
  });
});
