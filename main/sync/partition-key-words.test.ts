// A Firehose sync's row whose partition key is over 256 characters was refused with "Kinesis allows 256": the
// row names the kind its sync sends to. A real run to a delivery stream (moto) and the editor's preview.
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startMoto, type MotoPeer } from '../testing/peers/moto';

let moto: MotoPeer;
beforeAll(async () => {
  moto = await startMoto();
  const config = awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
  s3.destroy();
  const firehose = new FirehoseClient(config);
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'events',
      ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::lake', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
    }),
  );
  firehose.destroy();
}, 300_000);
afterAll(async () => {
  await moto?.stop();
});

/** Row 2's key: 300 x's then its id (301 characters); the others' are their ids. */
const LONG_KEY = '{% if row.id == 2 %}{% for i in (1..300) %}x{% endfor %}{% endif %}{{ row.id }}';

it("a Firehose sync's row with a partition key over 256 characters is refused in Firehose's words, not Kinesis'; the others are sent", async () => {
  const t = await openTestEngine({ seedDemo: false });
  const { engine } = t;
  try {
    await engine.secrets.save('moto', moto.credentials.secretAccessKey);
    const { file, db } = createPeopleDb(t.dir, 3);
    db.close();
    engine.catalog.putSource({ kind: 'sqlite', name: 'people', path: file });
    engine.catalog.putModel({ name: 'people', source: 'people', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'firehose',
      name: 'lake',
      deliveryStream: 'events',
      region: moto.region,
      endpoint: moto.endpoint,
      auth: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'moto' } },
    });
    const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };
    engine.catalog.putSync({
      name: 'out',
      model: 'people',
      destination: 'lake',
      triggers: ['added'],
      partitionKey: { kind: 'template', template: LONG_KEY },
      payload,
    });
    const run = await engine.runSync('out');
    expect(run.counts).toMatchObject({ acknowledged: 2, refused: 1 });
    const words = "the partition key is 301 characters; a Firehose sync's partition key is at most 256";
    expect(engine.db.prepare("SELECT key, error_message AS message FROM ledger WHERE status = 'rejected'").all()).toEqual([{ key: '2', message: words }]);

    // The editor's preview of the sync's record says the same.
    const preview = await callChannelOrThrowWire(engine, 'previewPayload', {
      model: 'people',
      destination: 'lake',
      payload,
      partitionKey: { kind: 'template', template: LONG_KEY },
      rows: { mode: 'first', count: 3 },
    });
    expect(JSON.stringify(preview)).toContain(words);
    // And the editor's test record of that row, refused before it is sent.
    const test = await failure(
      callChannelOrThrowWire(engine, 'sendTestRecord', { sync: 'out', payload, partitionKey: { kind: 'template', template: LONG_KEY }, key: '2' }),
    );
    expect(test.message).toBe(`This row (key 2) does not render, so a run would reject it too: ${words}`);
  } finally {
    await t.close();
  }
});
