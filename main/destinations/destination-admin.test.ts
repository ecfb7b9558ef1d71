import fs from 'node:fs';
import path from 'node:path';
import { CreateStreamCommand, StartStreamEncryptionCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { holdWriteLock } from '../testing/write-lock';
import { createPeopleDb } from '../testing/model-db';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';

// The wizard's engine channels, through the real dispatcher, against kinesis-local.

let kinesis: KinesisPeer;
let t: Awaited<ReturnType<typeof openTestEngine>>;

beforeAll(async () => {
  [kinesis, t] = await Promise.all([startKinesisLocal(), openTestEngine()]);
  const client = kinesis.client();
  for (const name of ['orders', 'payments']) {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
  }
  await client.send(new StartStreamEncryptionCommand({ StreamName: 'payments', EncryptionType: 'KMS', KeyId: 'alias/payments-key' }));
  client.destroy();
  await t.engine.secrets.save('local-aws', LOCAL_AWS_CREDENTIALS.secretAccessKey);
}, 300_000);
afterAll(async () => {
  await t?.engine.secrets.delete('local-aws');
  await Promise.all([kinesis?.stop(), t?.close()]);
});

const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);

const draft = (stream?: string) => ({
  kind: 'kinesis' as const,
  name: 'Orders stream',
  region: 'us-east-1',
  endpoint: kinesis.endpoint,
  auth: { kind: 'access-key' as const, accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'local-aws' } },
  ...(stream ? { stream } : {}),
});

describe('destination wizard channels', () => {
  it('tests a draft that has no stream yet, and lists the streams to choose from', async () => {
    const result = await call('testDestinationDraft', { draft: draft() });
    expect(result.ok).toBe(true);
    expect(result.steps.find((s) => s.step === 'Authorisation')!.detail).toMatch(/^\d+ stream\(s\) in us-east-1$/);
    expect(result.listed).toEqual(expect.arrayContaining(['orders', 'payments']));
    expect((await call('listDestinationTargets', { draft: draft() })).names).toEqual(expect.arrayContaining(['orders', 'payments']));
  });

  it('a draft with the chosen stream tells its ARN and whether it is KMS-encrypted', async () => {
    const plain = await call('testDestinationDraft', { draft: draft('orders') });
    expect(plain.target).toMatchObject({ encrypted: false, arn: expect.stringMatching(/^arn:aws:kinesis:us-east-1:\d{12}:stream\/orders$/) });
    const encrypted = await call('testDestinationDraft', { draft: draft('payments') });
    expect(encrypted.target).toMatchObject({ encrypted: true, kmsKeyId: expect.stringContaining('payments-key') });
    expect(encrypted.steps.find((s) => s.step === 'Authorisation')!.detail).toContain('encrypted with KMS (writes need kms:GenerateDataKey)');
  });

  it('listing with a wrong setting names the failing step', async () => {
    const err = await failure(call('listDestinationTargets', { draft: { ...draft(), endpoint: 'http://127.0.0.1:9' } }));
    expect(err.message).toBe(
      'Could not list what "Orders stream" can write to: TCP connection failed — The connection was refused: nothing listens on that port (Check the host and port, and that the service is running.)',
    );
  });

  it('saves a destination (secrets only by keychain reference), refuses a duplicate name, and updates it', async () => {
    const events: string[] = [];
    const off = t.engine.onEvent((event) => events.push(event));
    const saved = await call('saveDestination', { destination: draft('orders') as ChannelInput<'saveDestination'>['destination'], mode: 'create' });
    expect(saved).toMatchObject({
      destination: { name: 'Orders stream', stream: 'orders', auth: { secretAccessKey: { keychain: 'local-aws' } } },
      startedOver: [],
    });
    expect((await call('listDestinations', {})).map((d) => d.name)).toContain('Orders stream');
    // Every open view (another window, the other host) hears of it and lists it.
    expect(events).toEqual(['catalogChanged']);
    const dup = await failure(call('saveDestination', { destination: draft('orders') as ChannelInput<'saveDestination'>['destination'], mode: 'create' }));
    expect(dup).toMatchObject({ code: 'conflict', message: 'A destination named "Orders stream" already exists' });
    await call('saveDestination', { destination: draft('payments') as ChannelInput<'saveDestination'>['destination'], mode: 'update' });
    expect((await call('listDestinations', {})).find((d) => d.name === 'Orders stream')).toMatchObject({ stream: 'payments' });
    expect(events).toEqual(['catalogChanged', 'catalogChanged']);
    off();
    // While another process writes (a run's ledger, committing every few milliseconds), an update waits
    // for the write lock instead of failing once the other has committed since it read.
    const holder = await holdWriteLock(t.engine.db.name, 1000);
    await call('saveDestination', { destination: draft('refunds') as ChannelInput<'saveDestination'>['destination'], mode: 'update' });
    expect((await call('listDestinations', {})).find((d) => d.name === 'Orders stream')).toMatchObject({ stream: 'refunds' });
    await holder.done;
    const dbBytes = fs.readFileSync(path.join(t.dir, 'sluice.db'));
    expect(dbBytes.includes(Buffer.from(LOCAL_AWS_CREDENTIALS.secretAccessKey))).toBe(false);
  });

  it('says what and where when a destination is not valid', async () => {
    const err = await failure(
      call('saveDestination', {
        destination: { kind: 'kafka', name: 'k', brokers: ['no-port'] } as ChannelInput<'saveDestination'>['destination'],
        mode: 'create',
      }),
    );
    expect(err.code).toBe('invalid-input');
    expect(err.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'destination.brokers.0', message: 'A broker is host:port' })]));
  });

  it('refuses to delete a destination a sync uses, naming the sync; deletes it once unused', async () => {
    const { file, db } = createPeopleDb(t.dir, 3);
    db.close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT * FROM people', primaryKey: ['id'] });
    t.engine.catalog.putDestination(draft('orders'));
    t.engine.catalog.putSync({
      name: 'People to orders',
      model: 'people',
      destination: 'Orders stream',
      triggers: ['added'],
      initialSync: 'backfill',
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    const err = await failure(call('deleteDestination', { name: 'Orders stream' }));
    expect(err).toMatchObject({
      code: 'conflict',
      message: 'The destination "Orders stream" cannot be deleted: the sync "People to orders" sends to it. Delete or change it first.',
    });
    t.engine.db.prepare('DELETE FROM syncs').run();
    const events: string[] = [];
    const off = t.engine.onEvent((event) => events.push(event));
    expect(await call('deleteDestination', { name: 'Orders stream' })).toEqual({ deleted: true });
    off();
    expect(events).toEqual(['catalogChanged']);
    expect((await call('listDestinations', {})).map((d) => d.name)).not.toContain('Orders stream');
  });

  it('the policy of a saved destination uses the stream ARN the connection test read, and KMS when encrypted', async () => {
    t.engine.catalog.putDestination({ ...draft('payments'), name: 'Payments' });
    const { advice, probed } = await call('destinationPolicy', { destination: 'Payments', inspector: false, probe: true });
    expect(probed!.ok).toBe(true);
    const arn = probed!.target!.arn!;
    expect(advice!.policy.Statement[0]).toEqual({
      Sid: 'SluiceWriteStream',
      Effect: 'Allow',
      Action: ['kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'],
      Resource: arn,
    });
    expect(advice!.policy.Statement[2]).toMatchObject({ Action: ['kms:GenerateDataKey'] });
  });

  it('a Firehose policy also grants the delivery streams that its syncs route events to', async () => {
    const { file, db } = createPeopleDb(t.dir, 3, 'routes.sqlite');
    db.close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'routes-db', path: file });
    t.engine.catalog.putModel({ name: 'route-people', source: 'routes-db', query: 'SELECT * FROM people', primaryKey: ['id'] });
    t.engine.catalog.putDestination({
      kind: 'firehose',
      name: 'Events',
      deliveryStream: 'events-default',
      region: 'us-east-1',
      auth: { kind: 'access-key', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: { env: 'UNUSED_SECRET' } },
    });
    t.engine.catalog.putSync({
      name: 'Routed events',
      model: 'route-people',
      destination: 'Events',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      firehose: {
        routes: [
          { match: 'added', stream: 'signups-to-s3' },
          { match: '*', stream: 'events-default' },
        ],
      },
    });
    const { advice } = await call('destinationPolicy', { destination: 'Events', inspector: false, probe: false });
    expect(advice!.policy.Statement[0]).toEqual({
      Sid: 'SluiceWriteDeliveryStream',
      Effect: 'Allow',
      Action: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
      Resource: ['arn:aws:firehose:us-east-1:ACCOUNT_ID:deliverystream/events-default', 'arn:aws:firehose:us-east-1:ACCOUNT_ID:deliverystream/signups-to-s3'],
    });
  });
});

describe('AWS profile picker', () => {
  it('lists profiles of the shared config and credentials files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, SSO included, and no keys', async () => {
    const config = path.join(t.dir, 'aws-config');
    const credentials = path.join(t.dir, 'aws-credentials');
    fs.writeFileSync(
      config,
      '[default]\nregion = eu-west-1\n\n[profile analyst-sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Analyst\nregion = eu-central-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n[profile writer]\nrole_arn = arn:aws:iam::111122223333:role/writer\nsource_profile = default\n',
    );
    fs.writeFileSync(
      credentials,
      '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = very-secret-value\n\n[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = another-secret\n',
    );
    const saved = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.AWS_CONFIG_FILE = config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    try {
      const profiles = await call('listAwsProfiles', {});
      expect(profiles).toEqual([
        { name: 'analyst-sso', kind: 'sso', region: 'eu-central-1', in: ['config'] },
        { name: 'ci', kind: 'static', in: ['credentials'] },
        { name: 'default', kind: 'static', region: 'eu-west-1', in: ['config', 'credentials'] },
        { name: 'writer', kind: 'assume-role', in: ['config'] },
      ]);
      expect(JSON.stringify(profiles)).not.toContain('secret');
    } finally {
      for (const [k, v] of [
        ['AWS_CONFIG_FILE', saved.c],
        ['AWS_SHARED_CREDENTIALS_FILE', saved.s],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
