// A whole Kafka sync (read the model, diff, render a six-field template and the message properties,
// send, write the ledger): rows rendered on the main thread against rows rendered on the render pool's
// threads, each into a fresh workspace and its own topic on the same local broker.
import os from 'node:os';
import { openTestEngine } from '../../main/testing/engine';
import { createPeopleDb } from '../../main/testing/model-db';
import { startKafka } from '../../main/testing/peers/kafka';
import { renderThreads } from '../../main/sync/render-pool';

export interface KafkaRunBench {
  rows: number;
  inlineRowsPerSecond: number;
  poolRowsPerSecond: number;
  poolThreads: number;
  speedup: number;
  cores: number;
}

const TEMPLATE =
  '{"id": {{ row.id }}, "name": {{ row.name | json }}, "score": {{ row.score }}, "tags": {{ row.tags }}, "event": {{ event | json }}, "sync": {{ run.sync | json }}}';

export async function benchKafkaRun(rows = Number(process.env.SLUICE_BENCH_KAFKA_RUN_ROWS ?? 100_000)): Promise<KafkaRunBench> {
  const kafka = await startKafka();
  try {
    const rate = async (pool: boolean): Promise<number> => {
      const t = await openTestEngine();
      try {
        const { file, db } = createPeopleDb(t.dir, rows);
        db.close();
        const topic = `bench-run-${pool ? 'pool' : 'inline'}`;
        await kafka.createTopic(topic, 3);
        const { engine } = t;
        engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
        engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score, tags FROM people', primaryKey: ['id'] });
        engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic });
        engine.catalog.putSync({
          name: 'run',
          model: 'people',
          destination: 'kafka',
          triggers: ['added'],
          payload: { mode: 'template', template: TEMPLATE },
          kafka: { headers: [{ name: 'event', value: '{{ event }}' }] },
        });
        const started = performance.now();
        const run = await engine.runSync('run', { renderPoolThreshold: pool ? 1 : Number.POSITIVE_INFINITY });
        const seconds = (performance.now() - started) / 1000;
        if (run.counts.acknowledged !== rows) throw new Error(`${topic}: ${run.counts.acknowledged} of ${rows} acknowledged (${run.status})`);
        return Math.round(rows / seconds);
      } finally {
        await t.close();
      }
    };
    const inline = await rate(false);
    const pooled = await rate(true);
    return {
      rows,
      inlineRowsPerSecond: inline,
      poolRowsPerSecond: pooled,
      poolThreads: renderThreads(),
      speedup: Math.round((pooled / inline) * 100) / 100,
      cores: os.availableParallelism(),
    };
  } finally {
    await kafka.stop();
  }
}

if (require.main === module) {
  benchKafkaRun().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
