// A Kinesis or Firehose destination's region: one not shaped like an AWS region ("Ireland", "us-east",
// "US_EAST_1") was taken, and the run failed only when its endpoint's name did not resolve. `sluice apply`, the
// app's save and its wizard (one shared schema) refuse it, naming the field with an example; every region the
// AWS SDK knows is taken.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DestinationDraftSchema, type Destination } from '../../shared/config/destination';
import { SluiceError } from '../../shared/ipc/errors';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { readAllRecords } from '../testing/kinesis-read';
import { LOCAL_AWS_CREDENTIALS, startKinesalite } from '../testing/peers/kinesis';
import { createStream, putPeopleToKinesis } from '../testing/people-to-kinesis';
import { applyConfig } from './config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const WORDS = 'region must be an AWS region code, like us-east-1, eu-central-2 or us-gov-west-1';
/** The regions of each partition of the AWS SDK (v3) installed here, `@aws-sdk/core`'s partitions. */
const SDK_REGIONS = [
  ...'af-south-1 ap-east-1 ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2'.split(' '),
  ...'ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 ca-central-1 ca-west-1 eu-central-1 eu-central-2'.split(' '),
  ...'eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3 il-central-1 me-central-1 me-south-1 me-west-1 mx-central-1'.split(' '),
  ...'sa-east-1 sa-west-1 us-east-1 us-east-2 us-west-1 us-west-2 cn-north-1 cn-northwest-1 eusc-de-east-1 us-iso-east-1'.split(' '),
  ...'us-iso-west-1 us-isob-east-1 us-isob-west-1 eu-isoe-west-1 us-isof-east-1 us-isof-south-1 us-gov-east-1 us-gov-west-1'.split(' '),
];
const BAD = ['Ireland', 'us-east', 'US-EAST-1', 'us_east_1', 'us-east-1 ', 'eu-west-1a', ''];

const yaml = (kind: 'kinesis' | 'firehose', region: string) => `version: 1
destinations:
  - kind: ${kind}
    name: out
    ${kind === 'kinesis' ? 'stream' : 'deliveryStream'}: orders
    region: ${JSON.stringify(region)}
    auth: { kind: default-chain }
`;

it('sluice apply, the app save and the wizard refuse a region not shaped like an AWS region, naming the field with an example', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  for (const kind of ['kinesis', 'firehose'] as const) {
    for (const region of BAD) {
      let refused: unknown;
      try {
        applyConfig(engine.db, engine.catalog, yaml(kind, region), 'x.yaml');
      } catch (err) {
        refused = err;
      }
      expect(refused, `${kind} ${region}`).toBeInstanceOf(SluiceError);
      expect((refused as SluiceError).issues).toEqual([{ path: 'destinations.0.region', message: `${WORDS} (line 6)` }]);
      const auth = { kind: 'default-chain' as const };
      const destination: Destination =
        kind === 'kinesis'
          ? { kind, name: 'out', stream: 'orders', region, auth }
          : { kind, name: 'out', deliveryStream: 'orders', region, auth, appendNewline: true };
      const saved = await failure(callChannelOrThrowWire(engine, 'saveDestination', { destination, mode: 'create' }));
      expect(saved.issues).toContainEqual({ path: 'destination.region', message: WORDS });
      // The wizard's draft: its stream not chosen yet.
      const draft = DestinationDraftSchema.safeParse({ kind, name: 'out', region, auth: { kind: 'default-chain' } });
      expect(draft.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['region', WORDS]]);
    }
    expect(engine.catalog.listDestinations().filter((d) => d.kind === kind)).toEqual([]);
    for (const region of SDK_REGIONS) {
      applyConfig(engine.db, engine.catalog, yaml(kind, region), 'x.yaml');
      expect(engine.catalog.getDestination('out')).toMatchObject({ kind, region });
    }
  }
});

it('a destination saved with such a region by an earlier build still lists and opens, so it can be fixed', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  const old = { kind: 'kinesis', name: 'old', stream: 'orders', region: 'Ireland', auth: { kind: 'default-chain' } };
  engine.db
    .prepare('INSERT INTO destinations (name, kind, definition, updated_at) VALUES (?, ?, ?, ?)')
    .run('old', 'kinesis', JSON.stringify(old), '2026-01-01');
  expect(engine.catalog.listDestinations()).toEqual([old]);
  applyConfig(engine.db, engine.catalog, yaml('kinesis', 'eu-west-1').replace('name: out', 'name: old'), 'x.yaml');
  expect(engine.catalog.getDestination('old')).toMatchObject({ region: 'eu-west-1' });
});

// A local emulator (kinesalite, kinesis-local, localstack, moto) takes any region name, and configurations for one
// often say `local` or `us-local-1`: with a custom endpoint such a name is taken (of the shape a host name and a
// signature can carry), without one the AWS check stands, and a name of no safe shape is refused either way.
const LOCAL_WORDS =
  'region must be 1–50 lowercase letters, digits and hyphens, not starting or ending with a hyphen (like us-east-1, or local for an emulator at the endpoint)';
const withEndpoint = (kind: 'kinesis' | 'firehose', region: string, endpoint: string) => `${yaml(kind, region)}    endpoint: ${endpoint}\n`;

it('with a custom endpoint, a region an emulator takes (local, us-local-1) is applied, saved and sent to; bad shapes are still refused', async () => {
  const kinesis = await startKinesalite();
  closers.push(() => kinesis.stop());
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  for (const kind of ['kinesis', 'firehose'] as const) {
    for (const region of ['local', 'us-local-1', 'a', 'x'.repeat(50)]) {
      applyConfig(engine.db, engine.catalog, withEndpoint(kind, region, kinesis.endpoint), 'x.yaml');
      expect(engine.catalog.getDestination('out')).toMatchObject({ kind, region, endpoint: kinesis.endpoint });
      const draft = DestinationDraftSchema.safeParse({ kind, name: 'out', region, endpoint: kinesis.endpoint, auth: { kind: 'default-chain' } });
      expect(draft.success, `${kind} ${region}`).toBe(true);
    }
    for (const region of ['Local', 'us local', 'us/local-1', '-local', 'local-', 'x'.repeat(51), '']) {
      let refused: unknown;
      try {
        applyConfig(engine.db, engine.catalog, withEndpoint(kind, region, kinesis.endpoint), 'x.yaml');
      } catch (err) {
        refused = err;
      }
      expect((refused as SluiceError).issues, `${kind} ${region}`).toEqual([{ path: 'destinations.0.region', message: `${LOCAL_WORDS} (line 6)` }]);
    }
    // Without an endpoint the calls go to AWS: the AWS check stands.
    let refused: unknown;
    try {
      applyConfig(engine.db, engine.catalog, yaml(kind, 'local'), 'x.yaml');
    } catch (err) {
      refused = err;
    }
    expect((refused as SluiceError).issues).toEqual([{ path: 'destinations.0.region', message: `${WORDS} (line 6)` }]);
  }

  // The app's save takes it, and a run sends to the emulator with it.
  await engine.secrets.save('local-kinesis', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  closers.push(() => engine.secrets.delete('local-kinesis').then(() => undefined));
  const auth = { kind: 'access-key' as const, accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'local-kinesis' } };
  const destination: Destination = { kind: 'kinesis', name: 'emulated', stream: 'people', region: 'local', endpoint: kinesis.endpoint, auth };
  await callChannelOrThrowWire(engine, 'saveDestination', { destination, mode: 'create' });
  const noEndpoint = await failure(
    callChannelOrThrowWire(engine, 'saveDestination', { destination: { ...destination, name: 'aws', endpoint: undefined }, mode: 'create' }),
  );
  expect(noEndpoint.issues).toContainEqual({ path: 'destination.region', message: WORDS });
  const client = kinesis.client();
  closers.push(() => client.destroy());
  await createStream(client, 'people', 1);
  const file = path.join(t.dir, 'people.sqlite');
  const db = new Database(file);
  db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO people VALUES (1, 'Ada'), (2, 'Grace')");
  db.close();
  putPeopleToKinesis(engine, { file, stream: 'people', region: 'local', endpoint: kinesis.endpoint, secretAccessKey: { keychain: 'local-kinesis' } });
  const run = await engine.runSync('people-sync');
  expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 2 } });
  expect((await readAllRecords(client, 'people')).map((r) => r.data.toString()).sort()).toEqual(['{"id":1,"name":"Ada"}', '{"id":2,"name":"Grace"}']);
});
