// Publishing to kinesalite: a full Sluice run against a bare AWS SDK PutRecords loop sending the same
// records (same bytes, same partition keys, batches of 500, one request at a time), in the same process
// and the same kinesalite, alternating so that neither gets a warmer peer.
import path from 'node:path';
import { CreateStreamCommand, PutRecordsCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { Engine } from '../../main/engine/engine';
import { createPeopleDb } from '../../main/testing/model-db';
import { LOCAL_AWS_CREDENTIALS, startKinesalite } from '../../main/testing/peers/kinesis';
import { tempWorkspace } from '../../main/testing/temp';

export interface PublishResult {
  records: number;
  rounds: number;
  sluiceRecordsPerSecond: number;
  bareRecordsPerSecond: number;
  ratio: number;
}

async function createStream(client: KinesisClient, name: string): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

export async function benchPublish(records = 20_000, rounds = 3): Promise<PublishResult> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const kinesalite = await startKinesalite();
  const client = kinesalite.client();
  const ws = tempWorkspace('sluice-bench-publish-');
  process.env.SLUICE_BENCH_SECRET = LOCAL_AWS_CREDENTIALS.secretAccessKey;
  const engine = await Engine.open({ workspace: path.join(ws.dir, 'state'), runtime: 'browser-host', seedDemo: false });
  try {
    const { file, db } = createPeopleDb(ws.dir, records);
    db.close();
    engine.catalog.putSource({ kind: 'sqlite', name: 'people', path: file });
    engine.catalog.putModel({ name: 'people', source: 'people', query: 'SELECT * FROM people', primaryKey: ['id'] });
    const sluiceSeconds: number[] = [];
    const bareSeconds: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const stream = `sluice-${round}`;
      await createStream(client, stream);
      engine.catalog.putDestination({
        kind: 'kinesis',
        name: `d${round}`,
        stream,
        region: kinesalite.region,
        endpoint: kinesalite.endpoint,
        auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { env: 'SLUICE_BENCH_SECRET' } },
      });
      engine.catalog.putSync({
        name: `s${round}`,
        model: 'people',
        destination: `d${round}`,
        triggers: ['added'],
        payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}, "score": {{ row.score }}, "tags": {{ row.tags }}}' },
      });
      let started = process.hrtime.bigint();
      const run = await engine.runSync(`s${round}`);
      sluiceSeconds.push(Number(process.hrtime.bigint() - started) / 1e9);
      if (run.counts.acknowledged !== records) throw new Error(`The Sluice run sent ${run.counts.acknowledged} of ${records}: ${run.error ?? ''}`);

      // The bare loop sends exactly the bytes Sluice sent (from its ledger), prepared before the clock starts.
      const sent = engine.db.prepare('SELECT data, partition_key AS pk FROM ledger WHERE run_id = ? ORDER BY id').all(run.id) as { data: Buffer; pk: string }[];
      const batches: { Data: Buffer; PartitionKey: string }[][] = [];
      for (let i = 0; i < sent.length; i += 500) batches.push(sent.slice(i, i + 500).map((r) => ({ Data: r.data, PartitionKey: r.pk })));
      const bareStream = `bare-${round}`;
      await createStream(client, bareStream);
      started = process.hrtime.bigint();
      for (const batch of batches) {
        const out = await client.send(new PutRecordsCommand({ StreamName: bareStream, Records: batch }));
        if (out.FailedRecordCount) throw new Error('The bare loop had failures');
      }
      bareSeconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const sluiceRate = records / median(sluiceSeconds);
    const bareRate = records / median(bareSeconds);
    return {
      records,
      rounds,
      sluiceRecordsPerSecond: Math.round(sluiceRate),
      bareRecordsPerSecond: Math.round(bareRate),
      ratio: Math.round((sluiceRate / bareRate) * 100) / 100,
    };
  } finally {
    await engine.shutdown();
    client.destroy();
    await kinesalite.stop();
    ws.cleanup();
  }
}
