// Hot keys: a whole sync where every row shares one partition key against the same sync with a key
// per row, to Kafka (the local broker) and to Kinesis (kinesalite), alternating rounds, medians.
// One key's records go in order, many to a request but one request at a time (send-queue.ts).
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import type { Engine } from '../../main/engine/engine';
import { openTestEngine } from '../../main/testing/engine';
import { createPeopleDb } from '../../main/testing/model-db';
import { startKafka } from '../../main/testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesalite } from '../../main/testing/peers/kinesis';

export interface HotKeyFigures {
  rows: number;
  rounds: number;
  keyPerRowRowsPerSecond: number;
  oneKeyRowsPerSecond: number;
  ratio: number;
}

export interface HotKeyBench {
  kafka: HotKeyFigures;
  kinesis: HotKeyFigures;
}

const TEMPLATE = '{"id": {{ row.id }}, "name": {{ row.name | json }}, "score": {{ row.score }}, "tags": {{ row.tags }}}';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Rounds of (key per row, one key), each sync into a fresh workspace and target; rows/s medians. */
async function compare(
  rows: number,
  rounds: number,
  prepare: (engine: Engine, file: string, name: string, oneKey: boolean) => Promise<void>,
): Promise<HotKeyFigures> {
  const rates = { perRow: [] as number[], one: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const oneKey of [false, true]) {
      const t = await openTestEngine();
      try {
        const { file, db } = createPeopleDb(t.dir, rows);
        db.close();
        const name = `hot-${oneKey ? 'one' : 'per-row'}-${round}`;
        await prepare(t.engine, file, name, oneKey);
        const started = performance.now();
        const run = await t.engine.runSync(name);
        const seconds = (performance.now() - started) / 1000;
        if (run.counts.acknowledged !== rows)
          throw new Error(`${name}: ${run.counts.acknowledged} of ${rows} acknowledged (${run.status}: ${run.error ?? ''})`);
        (oneKey ? rates.one : rates.perRow).push(rows / seconds);
      } finally {
        await t.close();
      }
    }
  }
  const perRow = median(rates.perRow);
  const one = median(rates.one);
  return { rows, rounds, keyPerRowRowsPerSecond: Math.round(perRow), oneKeyRowsPerSecond: Math.round(one), ratio: Math.round((one / perRow) * 100) / 100 };
}

function model(engine: Engine, file: string): void {
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score, tags FROM people', primaryKey: ['id'] });
}

export async function benchHotKey(kafkaRows = 30_000, kinesisRows = 10_000, rounds = 3): Promise<HotKeyBench> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const broker = await startKafka();
  let kafka: HotKeyFigures;
  try {
    kafka = await compare(kafkaRows, rounds, async (engine, file, name, oneKey) => {
      await broker.createTopic(name, 3);
      model(engine, file);
      engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [broker.listeners.plaintext], topic: name });
      engine.catalog.putSync({
        name,
        model: 'people',
        destination: 'kafka',
        triggers: ['added'],
        payload: { mode: 'template', template: TEMPLATE },
        ...(oneKey ? { kafka: { key: { kind: 'template', template: 'tenant-1' } } } : {}),
      });
    });
  } finally {
    await broker.stop();
  }
  const kinesalite = await startKinesalite();
  const client = kinesalite.client();
  process.env.SLUICE_BENCH_SECRET = LOCAL_AWS_CREDENTIALS.secretAccessKey;
  try {
    const kinesis = await compare(kinesisRows, rounds, async (engine, file, name, oneKey) => {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
      await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
      model(engine, file);
      engine.catalog.putDestination({
        kind: 'kinesis',
        name: 'stream',
        stream: name,
        region: kinesalite.region,
        endpoint: kinesalite.endpoint,
        auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { env: 'SLUICE_BENCH_SECRET' } },
      });
      engine.catalog.putSync({
        name,
        model: 'people',
        destination: 'stream',
        triggers: ['added'],
        payload: { mode: 'template', template: TEMPLATE },
        partitionKey: oneKey ? { kind: 'template', template: 'tenant-1' } : { kind: 'primary-key' },
      });
    });
    return { kafka, kinesis };
  } finally {
    client.destroy();
    await kinesalite.stop();
  }
}

if (require.main === module) {
  benchHotKey(Number(process.env.SLUICE_BENCH_HOT_KAFKA_ROWS ?? 30_000), Number(process.env.SLUICE_BENCH_HOT_KINESIS_ROWS ?? 10_000)).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
