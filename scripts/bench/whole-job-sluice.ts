// One whole Sluice sync of a SQLite model to Kafka, then the same sync again with nothing changed, in
// this process alone (its peak RSS is the run's). Arguments: model file, broker, topic. Prints one JSON line.
import { openTestEngine } from '../../main/testing/engine';

const TEMPLATE =
  '{"id": {{ row.id }}, "name": {{ row.name | json }}, "score": {{ row.score }}, "tags": {{ row.tags }}, "event": {{ event | json }}, "sync": {{ run.sync | json }}}';

async function main(): Promise<void> {
  const [file, broker, topic] = process.argv.slice(2) as [string, string, string];
  const t = await openTestEngine();
  try {
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score, tags FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [broker], topic });
    engine.catalog.putSync({
      name: 'run',
      model: 'people',
      destination: 'kafka',
      triggers: ['added', 'changed', 'removed'],
      payload: { mode: 'template', template: TEMPLATE },
      kafka: { headers: [{ name: 'event', value: '{{ event }}' }] },
    });
    let started = performance.now();
    const run = await engine.runSync('run');
    const seconds = (performance.now() - started) / 1000;
    started = performance.now();
    const rerun = await engine.runSync('run');
    const rerunSeconds = (performance.now() - started) / 1000;
    if (rerun.counts.acknowledged !== 0) throw new Error(`the re-run sent ${rerun.counts.acknowledged} records`);
    process.stdout.write(
      JSON.stringify({ seconds, rerunSeconds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), acknowledged: run.counts.acknowledged }) + '\n',
    );
  } finally {
    await t.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
