import fs from 'node:fs';
import path from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from './client-config';
import { testDestination } from '../destinations/connection-test';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { createMotoUser, enforceMotoIam, startMoto, type MotoPeer } from '../testing/peers/moto';

// "Default chain" destinations: Sluice stores no key; the AWS SDK's chain finds one in the
// environment or in the shared config/credentials files. moto enforces IAM here, so a run only
// succeeds with the keys of a user it knows — proving which keys the chain found — and a user
// without kinesis:PutRecords fails: the chain is resolved again for each run, never kept from the last.

const KINESIS_ACTIONS = ['kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary', 'kinesis:ListStreams'];
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let moto: MotoPeer;
type Keys = { accessKeyId: string; secretAccessKey: string };
let writer: Keys;
let reader: Keys; // everything but kinesis:PutRecords

beforeAll(async () => {
  moto = await startMoto();
  const kinesis = new KinesisClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
  await kinesis.send(new CreateStreamCommand({ StreamName: 'chain', ShardCount: 1 }));
  kinesis.destroy();
  writer = await createMotoUser(moto, 'chain-writer', KINESIS_ACTIONS);
  reader = await createMotoUser(
    moto,
    'chain-reader',
    KINESIS_ACTIONS.filter((a) => a !== 'kinesis:PutRecords'),
  );
  await enforceMotoIam(moto, true);
}, 300_000);
afterAll(async () => {
  if (moto) await enforceMotoIam(moto, false).catch(() => undefined);
  await moto?.stop();
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

function useEnvKeys(keys: Keys | undefined): void {
  for (const k of ENV_KEYS) delete process.env[k];
  if (keys) {
    process.env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
  }
}

async function chainSetup(profile?: string) {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, 12);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({
    kind: 'kinesis',
    name: 'chain',
    stream: 'chain',
    region: moto.region,
    endpoint: moto.endpoint,
    auth: { kind: 'default-chain', ...(profile ? { profile } : {}) },
  });
  t.engine.catalog.putSync({
    name: 'people',
    model: 'people',
    destination: 'chain',
    triggers: ['added', 'changed'],
    initialSync: 'backfill',
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return t;
}

/** How many records the stream holds, read with the writer's keys. */
async function recordsInStream(): Promise<number> {
  const client = new KinesisClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: writer }));
  await enforceMotoIam(moto, false);
  try {
    const { Shards } = await client.send(new ListShardsCommand({ StreamName: 'chain' }));
    let n = 0;
    for (const s of Shards ?? []) {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'chain', ShardId: s.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      n += (await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }))).Records?.length ?? 0;
    }
    return n;
  } finally {
    await enforceMotoIam(moto, true);
    client.destroy();
  }
}

describe('the default credential chain', () => {
  it('takes keys from the environment variables, as they are at each run', async () => {
    const t = await chainSetup();
    try {
      const before = await recordsInStream();
      useEnvKeys(reader);
      const denied = await t.engine.runSync('people');
      expect(denied.status).toBe('failed');
      expect(denied.error).toContain('Missing permission kinesis:PutRecords');

      useEnvKeys(writer); // the same destination, the next run: the chain is asked again
      const run = await t.engine.runSync('people');
      expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 12 } });
      expect(await recordsInStream()).toBe(before + 12);

      useEnvKeys(undefined);
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(t.dir, 'none');
      process.env.AWS_CONFIG_FILE = path.join(t.dir, 'none');
      const test = await testDestination(t.engine.catalog.getDestination('chain'), t.engine.secretResolver, t.engine.sandbox);
      expect(test.steps.find((s) => s.status === 'failed')).toMatchObject({ step: 'Authentication' });
      expect(test.ok).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('takes keys from a named profile of the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE), per destination', async () => {
    const t = await chainSetup('sluice-writer');
    try {
      // Environment keys of a user who may not write: a named profile wins over them.
      useEnvKeys(reader);
      const credentials = path.join(t.dir, 'aws-credentials');
      const config = path.join(t.dir, 'aws-config');
      fs.writeFileSync(
        credentials,
        `[sluice-writer]\naws_access_key_id = ${writer.accessKeyId}\naws_secret_access_key = ${writer.secretAccessKey}\n\n[sluice-reader]\naws_access_key_id = ${reader.accessKeyId}\naws_secret_access_key = ${reader.secretAccessKey}\n`,
      );
      fs.writeFileSync(config, '[profile sluice-writer]\nregion = us-east-1\n\n[profile sluice-reader]\nregion = us-east-1\n');
      process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
      process.env.AWS_CONFIG_FILE = config;

      const before = await recordsInStream();
      const run = await t.engine.runSync('people');
      expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 12 } });
      expect(await recordsInStream()).toBe(before + 12);

      // A second destination on the other profile gets that profile's keys, not the first one's.
      t.engine.catalog.putDestination({
        kind: 'kinesis',
        name: 'chain-reader',
        stream: 'chain',
        region: moto.region,
        endpoint: moto.endpoint,
        auth: { kind: 'default-chain', profile: 'sluice-reader' },
      });
      t.engine.catalog.putSync({
        name: 'people-2',
        model: 'people',
        destination: 'chain-reader',
        triggers: ['added'],
        initialSync: 'backfill',
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      });
      const denied = await t.engine.runSync('people-2');
      expect(denied.status).toBe('failed');
      expect(denied.error).toContain('Missing permission kinesis:PutRecords');

      // The file changes (keys rotated to the reader's): the next run reads it again.
      fs.writeFileSync(credentials, `[sluice-writer]\naws_access_key_id = ${reader.accessKeyId}\naws_secret_access_key = ${reader.secretAccessKey}\n`);
      t.engine.catalog.putSync({
        name: 'people-3',
        model: 'people',
        destination: 'chain',
        triggers: ['added'],
        initialSync: 'backfill',
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      });
      const rotated = await t.engine.runSync('people-3');
      expect(rotated.status).toBe('failed');
      expect(rotated.error).toContain('Missing permission kinesis:PutRecords');
    } finally {
      await t.close();
    }
  });
});
