// Publishing to Kafka: Sluice's KafkaPublisher, driven the way the runner drives it (batches of the
// publisher's limits, up to MAX_IN_FLIGHT sends outstanding), against kcat producing the same lines
// (same keys, same values) to the same local broker in the same run. Both produce with acks from all
// replicas and idempotence on; records are rendered before the clock starts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaConfig } from '../../main/kafka/client';
import { KafkaPublisher } from '../../main/kafka/producer';
import type { KafkaOutRecord } from '../../main/publishers/publisher';
import { MAX_IN_FLIGHT } from '../../main/sync/sync-runner';
import { startKafka } from '../../main/testing/peers/kafka';
import { DestinationSchema } from '../../shared/config/destination';

export interface KafkaBenchResult {
  records: number;
  partitions: number;
  sluiceSeconds: number;
  kcatSeconds: number;
  sluiceRecordsPerSecond: number;
  kcatRecordsPerSecond: number;
  ratio: number;
}

const PARTITIONS = 3;

export async function benchKafka(records = Number(process.env.SLUICE_BENCH_KAFKA_RECORDS ?? 1_000_000)): Promise<KafkaBenchResult> {
  const kafka = await startKafka();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-kafka-'));
  const admin = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await kafka.createTopic('bench-sluice', PARTITIONS);
    await kafka.createTopic('bench-kcat', PARTITIONS);

    // The same pre-rendered lines for both: key TAB value.
    // (The file is written in chunks so the lines do not stay on the heap while Sluice sends.)
    const keys: string[] = new Array<string>(records);
    const values: Buffer[] = new Array<Buffer>(records);
    const file = path.join(dir, 'lines.tsv');
    const fd = fs.openSync(file, 'w');
    let chunk: string[] = [];
    for (let i = 0; i < records; i++) {
      const id = i + 1;
      const value = `{"id":${id},"name":"person ${id}","score":${id / 10},"tags":{"n":${id}}}`;
      keys[i] = String(id);
      values[i] = Buffer.from(value);
      chunk.push(`${id}\t${value}\n`);
      if (chunk.length === 10_000 || i === records - 1) {
        fs.writeSync(fd, chunk.join(''));
        chunk = [];
      }
    }
    fs.closeSync(fd);
    const out: KafkaOutRecord[] = keys.map((key, i) => ({
      kind: 'kafka',
      seq: i + 1,
      key,
      event: 'added',
      data: values[i]!,
      partitionKey: `bench-sluice\u0000${key}`,
      kafka: { topic: 'bench-sluice', key, partition: null, headers: {} },
    }));

    // kcat (librdkafka): acks=all and idempotence, as Sluice.
    let started = process.hrtime.bigint();
    const kcat = spawnSync(
      'kcat',
      ['-b', kafka.listeners.plaintext, '-P', '-t', 'bench-kcat', '-K', '\t', '-X', 'acks=all', '-X', 'enable.idempotence=true', '-l', file],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    const kcatSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (kcat.status !== 0) throw new Error(`kcat failed: ${kcat.stderr}`);

    // Sluice: the publisher path the runner uses.
    const destination = DestinationSchema.parse({ kind: 'kafka', name: 'bench', brokers: [kafka.listeners.plaintext], topic: 'bench-sluice' });
    if (destination.kind !== 'kafka') throw new Error('unreachable');
    const publisher = new KafkaPublisher(await kafkaConfig(destination, { resolve: async () => '' }), destination.compression);
    const size = publisher.limits.maxBatchRecords;
    const batches: KafkaOutRecord[][] = [];
    for (let i = 0; i < out.length;) {
      const batch: KafkaOutRecord[] = [];
      let bytes = 0;
      while (i < out.length && batch.length < size && bytes + publisher.recordBytes(out[i]!) <= publisher.limits.maxBatchBytes) {
        bytes += publisher.recordBytes(out[i]!);
        batch.push(out[i++]!);
      }
      batches.push(batch);
    }
    // Connecting is in Sluice's time, as kcat's start-up is in its own.
    started = process.hrtime.bigint();
    const inFlight = new Set<Promise<void>>();
    let failed = 0;
    for (const batch of batches) {
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const p = publisher.send(batch).then((results) => {
        failed += results.filter((r) => !r.ok).length;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    const sluiceSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await publisher.close();
    if (failed) throw new Error(`Sluice failed ${failed} records`);

    // Both topics hold every record.
    for (const topic of ['bench-sluice', 'bench-kcat']) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((n, o) => n + Number(o.high), 0);
      if (total !== records) throw new Error(`${topic} holds ${total} records, not ${records}`);
    }
    const sluiceRate = records / sluiceSeconds;
    const kcatRate = records / kcatSeconds;
    return {
      records,
      partitions: PARTITIONS,
      sluiceSeconds: Math.round(sluiceSeconds * 100) / 100,
      kcatSeconds: Math.round(kcatSeconds * 100) / 100,
      sluiceRecordsPerSecond: Math.round(sluiceRate),
      kcatRecordsPerSecond: Math.round(kcatRate),
      ratio: Math.round((sluiceRate / kcatRate) * 100) / 100,
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await kafka.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  benchKafka().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
