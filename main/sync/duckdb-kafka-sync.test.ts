import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';

// A DuckDB model over a Parquet file, synced to a real Kafka broker and read back with kcat.

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});

async function writeParquet(file: string, select: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe('DuckDB model to Kafka', () => {
  it('a Parquet file syncs to Kafka and reads back byte-exact: big integers, decimals, timestamps, NULLs and nested values', async () => {
    const t = await openTestEngine();
    try {
      const file = path.join(t.dir, 'orders.parquet');
      await writeParquet(
        file,
        `SELECT 9007199254740990::BIGINT + range AS id, (range * 1.25)::DECIMAL(12,2) AS amount,
                TIMESTAMP '2024-05-01 10:00:00.000001' + INTERVAL (range) SECOND AS at,
                CASE WHEN range % 2 = 0 THEN NULL ELSE 'note ' || range END AS note,
                [range, range + 1] AS tags, {'city': 'Oslo', 'n': range} AS address
         FROM range(5)`,
      );
      const topic = 'duckdb-orders';
      await kafka.createTopic(topic, 1);
      t.engine.catalog.putSource({ kind: 'duckdb', name: 'lake' });
      t.engine.catalog.putModel({ name: 'orders', source: 'lake', query: `SELECT * FROM read_parquet('${file}') ORDER BY id`, primaryKey: ['id'] });
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic });
      t.engine.catalog.putSync({
        name: 'orders-to-kafka',
        model: 'orders',
        destination: 'kafka',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template: '{{ row | json }}' },
      });

      const run = await t.engine.runSync('orders-to-kafka');
      expect(run).toMatchObject({ status: 'succeeded', counts: { read: 5, added: 5, acknowledged: 5 } });
      const messages = kafka.kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\\t%s\\n']).split('\n').filter(Boolean);
      const expected = [0, 1, 2, 3, 4].map((i) => {
        // Past 2^53 - 1 an integer stays exact as its decimal string; below, a JSON number.
        const big = 9007199254740990n + BigInt(i);
        const id = big.toString();
        const idJson = big <= BigInt(Number.MAX_SAFE_INTEGER) ? id : `"${id}"`;
        const amount = (i * 1.25).toFixed(2);
        return `${id}\t{"id":${idJson},"amount":"${amount}","at":"2024-05-01T10:00:0${i}.000001Z","note":${i % 2 === 0 ? 'null' : `"note ${i}"`},"tags":[${i},${i + 1}],"address":{"city":"Oslo","n":${i}}}`;
      });
      expect(messages).toEqual(expected);

      // Unchanged file: nothing more is sent.
      const again = await t.engine.runSync('orders-to-kafka');
      expect(again).toMatchObject({ status: 'succeeded', counts: { read: 5, unchanged: 5, acknowledged: 0 } });
    } finally {
      await t.close();
    }
  });
});
