// The in-database diff (issue #16): a PostgreSQL model of N rows (default 10M; SLUICE_BENCH_PG_ROWS to
// shrink) with 1% of them changed, synced to the local Kafka broker: a run that diffs in PostgreSQL
// against a run that pulls every row into Sluice's local differ. Both syncs first take a baseline
// (the snapshot recorded, nothing sent), then the same 1% of rows change and each sync runs once, timed.
import { openTestEngine } from '../../main/testing/engine';
import { startKafka } from '../../main/testing/peers/kafka';
import { startPostgres } from '../../main/testing/peers/postgres';

export interface PgInDatabaseBench {
  rows: number;
  changed: number;
  localSeconds: number;
  inDatabaseSeconds: number;
  ratio: number;
  /** Rows that left PostgreSQL in the timed run. */
  localRowsOut: number;
  inDatabaseRowsOut: number;
}

const PASSWORD_ENV = 'SLUICE_BENCH_PG_PASSWORD';

export async function benchPgInDatabase(rows = Number(process.env.SLUICE_BENCH_PG_ROWS ?? 10_000_000)): Promise<PgInDatabaseBench> {
  const [pgPeer, kafka] = await Promise.all([startPostgres(), startKafka()]);
  const t = await openTestEngine();
  try {
    process.env[PASSWORD_ENV] = pgPeer.password;
    await pgPeer.query(
      `CREATE TABLE orders (id int8 PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL, updated_at timestamptz NOT NULL)`,
    );
    await pgPeer.query(
      `INSERT INTO orders SELECT g, 'customer ' || (g % 100000), (g % 10000) / 100.0, 'open', timestamptz '2026-01-01 00:00:00+00' FROM generate_series(1, $1::int8) g`,
      [rows],
    );
    await pgPeer.query('ANALYZE orders');
    const { engine } = t;
    engine.catalog.putSource({
      kind: 'postgres',
      name: 'pg',
      host: pgPeer.host,
      port: pgPeer.port,
      database: pgPeer.database,
      user: pgPeer.user,
      password: { env: PASSWORD_ENV },
      ssl: false,
    });
    const query = 'SELECT id, customer, amount, status, updated_at FROM orders';
    for (const diff of ['local', 'in-database'] as const) {
      const name = diff === 'local' ? 'local' : 'indb';
      await kafka.createTopic(`orders-${name}`, 3);
      engine.catalog.putModel({ name, source: 'pg', query, primaryKey: ['id'], diff });
      engine.catalog.putDestination({ kind: 'kafka', name: `to-${name}`, brokers: [kafka.listeners.plaintext], topic: `orders-${name}` });
      engine.catalog.putSync({
        name,
        model: name,
        destination: `to-${name}`,
        triggers: ['added', 'changed', 'removed'],
        initialSync: 'baseline',
        payload: { mode: 'template', template: '{{ row | json }}' },
      });
      const baseline = await engine.runSync(name);
      if (baseline.status !== 'succeeded') throw new Error(`${name} baseline: ${baseline.status} ${baseline.error ?? ''}`);
    }
    const changed = Math.round(rows / 100);
    await pgPeer.query(`UPDATE orders SET status = 'shipped', updated_at = updated_at + interval '1 day' WHERE id % 100 = 0`);
    const timed = async (name: string) => {
      const started = performance.now();
      const run = await engine.runSync(name);
      const seconds = (performance.now() - started) / 1000;
      if (run.status !== 'succeeded' || run.counts.changed !== changed || run.counts.acknowledged !== changed)
        throw new Error(
          `${name}: ${run.status}, ${run.counts.changed} changed, ${run.counts.acknowledged} acknowledged (expected ${changed}) ${run.error ?? ''}`,
        );
      return { seconds, run };
    };
    const local = await timed('local');
    const inDb = await timed('indb');
    return {
      rows,
      changed,
      localSeconds: Math.round(local.seconds * 100) / 100,
      inDatabaseSeconds: Math.round(inDb.seconds * 100) / 100,
      ratio: Math.round((local.seconds / inDb.seconds) * 10) / 10,
      localRowsOut: local.run.counts.read,
      inDatabaseRowsOut: inDb.run.counts.added + inDb.run.counts.changed + inDb.run.counts.removed,
    };
  } finally {
    delete process.env[PASSWORD_ENV];
    await t.close();
    await Promise.all([pgPeer.stop(), kafka.stop()]);
  }
}

export function printPgInDatabase(b: PgInDatabaseBench): void {
  console.log(`\nPostgreSQL in-database diff (${b.rows} rows, ${b.changed} changed, to Kafka) — target: ≥ 5× pulling every row`);
  console.log(`  pull every row, local diff   ${b.localSeconds} s  (${b.localRowsOut} rows out of PostgreSQL)`);
  console.log(`  diff in PostgreSQL           ${b.inDatabaseSeconds} s  (${b.inDatabaseRowsOut} rows out of PostgreSQL)`);
  console.log(`  ratio                        ${b.ratio}×`);
}

if (require.main === module) {
  benchPgInDatabase(process.argv[2] ? Number(process.argv[2]) : undefined).then(
    (b) => console.log(JSON.stringify(b)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
