import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { previewRouting } from '../routing/routing-preview';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startMoto, type MotoPeer } from '../testing/peers/moto';

// Firehose event → delivery stream rows (as the Segment Firehose seed maps events): one sync routes
// its records to several delivery streams of the destination's account (moto), read back from S3.

let moto: MotoPeer;
let s3: S3Client;
beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
}, 300_000);
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function deliveryStream(name: string): Promise<string> {
  const bucket = `bucket-${name.toLowerCase().replace(/_/g, '-')}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const firehose = new FirehoseClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
    }),
  );
  firehose.destroy();
  return bucket;
}

async function ids(bucket: string): Promise<number[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const bodies = await Promise.all(
    (listed.Contents ?? []).map(async (o) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString()),
  );
  return bodies
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: number }).id)
    .sort((a, b) => a - b);
}

describe('Firehose event → delivery stream rows', () => {
  it('routes by event name (case-insensitive), event type and *, first row wins, stream names exact; the ledger names the stream', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { file, db } = createPeopleDb(t.dir, 12);
    db.exec(
      "ALTER TABLE people ADD COLUMN kind TEXT; UPDATE people SET kind = CASE WHEN id % 3 = 0 THEN 'User Registered' WHEN id % 3 = 1 THEN 'Order Placed' ELSE NULL END",
    );
    db.close();
    const registrations = await deliveryStream('online_registrations');
    const orders = await deliveryStream('Orders');
    const rest = await deliveryStream('everything_else');
    await t.engine.secrets.save('aws', moto.credentials.secretAccessKey);
    closers.push(() => t.engine.secrets.delete('aws').then(() => undefined));
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, kind FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'firehose',
      name: 'firehose',
      deliveryStream: 'everything_else',
      region: moto.region,
      endpoint: moto.endpoint,
      auth: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'aws' } },
    });
    engine.catalog.putSync({
      name: 'routed',
      model: 'people',
      destination: 'firehose',
      triggers: ['added', 'changed', 'removed'],
      payload: { mode: 'mapping', fields: [{ column: 'id', key: 'id' }] },
      firehose: {
        eventName: { kind: 'column', column: 'kind' },
        routes: [
          { match: 'user registered', stream: 'online_registrations' },
          { match: 'ORDER PLACED', stream: 'Orders' },
          { match: 'removed', stream: 'Orders' },
          { match: '*', stream: 'everything_else' },
        ],
      },
    });

    const preview = await previewRouting(engine, { sync: 'routed', rows: { mode: 'first', count: 3 } });
    expect(preview.noun).toBe('delivery stream');
    expect(preview.items.map((i) => [i.key, i.target])).toEqual([
      ['1', 'Orders'],
      ['2', 'everything_else'],
      ['3', 'online_registrations'],
    ]);
    expect(Object.fromEntries(preview.sample.buckets.map((b) => [b.id, b.records]))).toEqual({ online_registrations: 4, Orders: 4, everything_else: 4 });

    const run = await engine.runSync('routed');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 12 } });
    expect(await ids(registrations)).toEqual([3, 6, 9, 12]);
    expect(await ids(orders)).toEqual([1, 4, 7, 10]);
    expect(await ids(rest)).toEqual([2, 5, 8, 11]);
    const ledger = engine.ledger.search({ runId: run.id, limit: 100 }).entries;
    expect(ledger.find((e) => e.key === '3')).toMatchObject({ topic: 'online_registrations', recordId: expect.any(String) });

    // Without a * row, a record no row matches is skipped by default (as Segment does): counted and
    // listed, not a failure; the run succeeds, and the row counts as delivered until it changes.
    const def = engine.catalog.getSync('routed').definition;
    expect(def.firehose!.unmatched).toBe('skip');
    engine.catalog.putSync({ ...def, firehose: { ...def.firehose!, routes: def.firehose!.routes.slice(0, 2) } });
    const people = new (await import('better-sqlite3')).default(file);
    people.exec("UPDATE people SET name = 'renamed' WHERE id IN (2, 4)");
    const second = await engine.runSync('routed');
    expect(second).toMatchObject({ status: 'succeeded', counts: { changed: 2, acknowledged: 1, failed: 0, skippedUnmatched: 1 } });
    expect(await ids(orders)).toEqual([1, 4, 4, 7, 10]);
    expect(engine.runs.rejects(second.id)).toEqual([
      {
        reason: 'unmatched',
        key: '2',
        rowNumber: 2,
        detail: 'Row 2 (key 2, changed): no event → delivery stream row matches the event type "changed"; skipped (firehose.unmatched: skip)',
      },
    ]);
    expect(engine.ledger.search({ runId: second.id, limit: 100 }).entries.map((e) => e.key)).toEqual(['4']);
    const { formatRunReport, runReport } = await import('../cli/run-report');
    expect(formatRunReport(runReport(engine, second))).toContain(
      '  1 skipped: no event → delivery stream row matches them (firehose.unmatched: skip; not sent, not failures)\n    - Row 2 (key 2, changed): no event → delivery stream row matches the event type "changed"; skipped (firehose.unmatched: skip)\n',
    );
    // The skipped row is in the snapshot: the next run has nothing to do.
    const third = await engine.runSync('routed');
    expect(third).toMatchObject({ status: 'succeeded', counts: { changed: 0, added: 0, unchanged: 12, skippedUnmatched: 0 } });
    const skippedPreview = await previewRouting(engine, { sync: 'routed', rows: { mode: 'key', key: '2' } });
    expect(skippedPreview.items[0]!.error).toBe(
      'Row 2 (key 2): no event → delivery stream row matches the event type "added"; skipped (firehose.unmatched: skip)',
    );

    // unmatched: reject keeps the old behaviour: the record is rejected, saying so, and stays pending.
    engine.catalog.putSync({ ...def, firehose: { ...def.firehose!, routes: def.firehose!.routes.slice(0, 2), unmatched: 'reject' } });
    people.exec("UPDATE people SET name = 'renamed' WHERE id = 5");
    people.close();
    const fourth = await engine.runSync('routed');
    expect(fourth).toMatchObject({ status: 'failed', counts: { changed: 1, acknowledged: 0, failed: 1, skippedUnmatched: 0 } });
    expect(engine.runs.rejects(fourth.id).map((r) => r.detail)).toEqual([
      'Row 5 (key 5, changed): no event → delivery stream row matches the event type "changed"; add a row for it, or a * row for everything else',
    ]);
    const fifth = await engine.runSync('routed');
    expect(fifth).toMatchObject({ counts: { changed: 1, failed: 1 } });
    const after = await previewRouting(engine, { sync: 'routed', rows: { mode: 'key', key: '5' } });
    expect(after.items[0]!.error).toBe(
      'Row 5 (key 5): no event → delivery stream row matches the event type "added"; add a row for it, or a * row for everything else',
    );
  });
});
