// A Kinesis or Firehose destination's region: one not shaped like an AWS region ("Ireland", "us-east",
// "US_EAST_1") was taken, and the run failed only when its endpoint's name did not resolve. `sluice apply`, the
// app's save and its wizard (one shared schema) refuse it, naming the field with an example; every region the
// AWS SDK knows is taken.
import { afterEach, expect, it } from 'vitest';
import { DestinationDraftSchema, type Destination } from '../../shared/config/destination';
import { SluiceError } from '../../shared/ipc/errors';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
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
