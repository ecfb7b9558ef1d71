import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentRecord } from '../../shared/config/inspector';
import { awsClientConfig } from '../aws/client-config';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startMoto, type MotoPeer } from '../testing/peers/moto';

// Firehose has no read API: the inspector shows what the ledger says a real sync (to moto) sent.

let moto: MotoPeer;
beforeAll(async () => {
  moto = await startMoto();
  const s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'inspect-firehose' }));
  s3.destroy();
  const firehose = new FirehoseClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'inspect-people',
      ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::inspect-firehose', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
    }),
  );
  firehose.destroy();
}, 300_000);
afterAll(async () => {
  await moto?.stop();
});

describe('record inspector on Firehose', () => {
  it('lists what a sync sent, from the ledger, and says a ledger entry cannot be read back', async () => {
    const t = await openTestEngine();
    const { file, db } = createPeopleDb(t.dir, 5);
    db.close();
    try {
      process.env.SLUICE_INSPECT_FIREHOSE_SECRET = moto.credentials.secretAccessKey;
      const { engine } = t;
      engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
      engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
      engine.catalog.putDestination({
        kind: 'firehose',
        name: 'firehose',
        deliveryStream: 'inspect-people',
        region: moto.region,
        endpoint: moto.endpoint,
        auth: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { env: 'SLUICE_INSPECT_FIREHOSE_SECRET' } },
      });
      engine.catalog.putSync({
        name: 'to-firehose',
        model: 'people',
        destination: 'firehose',
        triggers: ['added'],
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      });
      expect((await engine.runSync('to-firehose')).status).toBe('succeeded');

      expect(await callChannel(engine, 'inspectTargets', { destination: 'firehose' })).toEqual({
        kind: 'firehose',
        destination: 'firehose',
        deliveryStream: 'inspect-people',
      });
      const read = await callChannel(engine, 'inspectRead', { destination: 'firehose', limit: 3 });
      expect(read).toMatchObject({ kind: 'firehose', target: 'inspect-people', readers: [], note: expect.stringContaining('Firehose has no read API') });
      const records = read.records as SentRecord[];
      expect(records).toHaveLength(3);
      for (const r of records) {
        expect(r.kind).toBe('ledger');
        expect(r.recordId).toBeTruthy();
        expect(r.data?.text).toBe(engine.ledger.data(r.ledgerId)!.toString());
        expect(JSON.parse(r.data!.prettyJson!)).toEqual({ id: Number(r.key) });
      }

      const rb = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: records[0]!.ledgerId });
      expect(rb).toMatchObject({ kind: 'firehose', match: null, read: { kind: 'ledger', ledgerId: records[0]!.ledgerId } });
      expect(rb.detail).toMatch(/^Kinesis Data Firehose has no read API: shown is what was sent \(record \S+\), not read back$/);
    } finally {
      await t.close();
    }
  }, 120_000);
});
