// The whole job against what an engineer would hand-roll, on one local broker, in one run (#16):
//  - `sluice` sync (read the SQLite model, diff, render the six-field template and a header, send with
//    acks=all and idempotence, write the ledger), in a Node process of its own so its peak RSS is its own;
//  - the same sync run again with nothing changed;
//  - a shell pipeline: `sqlite3 … json_object(…) | kcat -P` (acks=all, idempotent, same key and header);
//  - Apache Kafka's own ProducerPerformance (kafka-tools from Maven Central) with records of the same size.
// Sizes: SLUICE_BENCH_WHOLE_ROWS (default 1000000,10000000); the 10M size runs Sluice only (time, RSS).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedEntry } from '../../main/testing/peers/cache';
import { fetchKafka, KAFKA_VERSION, startKafka, type KafkaPeer } from '../../main/testing/peers/kafka';
import { requireTool } from '../../main/testing/peers/requirements';

export interface WholeJobSize {
  rows: number;
  sluiceSeconds: number;
  sluiceRowsPerSecond: number;
  rerunSeconds: number;
  peakRssMiB: number;
  /** Absent at the sizes where only Sluice runs. */
  pipelineSeconds?: number;
  pipelineRowsPerSecond?: number;
  producerPerformanceRowsPerSecond?: number;
  ratioToPipeline?: number;
  ratioToProducerPerformance?: number;
}

export interface WholeJobBench {
  sizes: WholeJobSize[];
  /** 10M time over 1M time (target ≤ 11), when both ran. */
  scaling: number | null;
}

/** The same JSON the template renders, made by SQLite: the pipeline's `render`. */
const PIPELINE_SQL = `SELECT id || char(9) || json_object('id', id, 'name', name, 'score', score, 'tags', json(tags), 'event', 'added', 'sync', 'run') FROM people ORDER BY id`;

/** A SQLite file of `rows` people, made by sqlite3 itself (fast at 10M rows). */
function makeModel(dir: string, rows: number): string {
  const file = path.join(dir, `people-${rows}.sqlite`);
  const script = `CREATE TABLE people (id INTEGER, name TEXT, score REAL, tags TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
INSERT INTO people SELECT i, 'person ' || i, i / 10.0, json_object('n', i) FROM n;`;
  execFileSync('sqlite3', [file], { input: script });
  return file;
}

/** Runs scripts/bench/whole-job-sluice.ts in a fresh Node process: its JSON line. */
function sluiceRun(file: string, broker: string, topic: string): Promise<{ seconds: number; rerunSeconds: number; peakRssMiB: number; acknowledged: number }> {
  const root = path.resolve(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'whole-job-sluice.ts'), file, broker, topic],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`whole-job-sluice exited ${code}`))));
  });
}

/** `sqlite3 | kcat -P`: key, header, acks=all, idempotence; seconds. */
function pipeline(kafka: KafkaPeer, file: string, topic: string): number {
  const started = performance.now();
  const shell = `sqlite3 -batch -noheader ${JSON.stringify(file)} ${JSON.stringify(PIPELINE_SQL)} | kcat -P -b ${kafka.listeners.plaintext} -t ${topic} -K '\t' -H event=added -X acks=all -X enable.idempotence=true -X linger.ms=5`;
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', shell], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 | kcat failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

/** kafka-tools (ProducerPerformance) beside the broker's jars, fetched once into the peers cache. */
function fetchKafkaTools(): Promise<string> {
  requireTool('mvn', 'Fetching kafka-tools for the bench');
  return cachedEntry(`kafka-tools-${KAFKA_VERSION}`, (dir) => {
    const mvn = spawnSync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=org.apache.kafka:kafka-tools:${KAFKA_VERSION}`, `-DoutputDirectory=${dir}`], {
      encoding: 'utf8',
    });
    if (mvn.status !== 0) throw new Error(`Maven could not fetch kafka-tools ${KAFKA_VERSION}:\n${mvn.stdout}\n${mvn.stderr}`);
  });
}

/** Kafka's ProducerPerformance with its defaults (acks=all, idempotence on), `rows` records of `size` bytes; records/s. */
async function producerPerformance(kafka: KafkaPeer, topic: string, rows: number, size: number): Promise<number> {
  const kafkaDir = await fetchKafka();
  const tools = await fetchKafkaTools();
  const classpath = [path.join(kafkaDir, 'libs', '*'), path.join(tools, '*')].join(path.delimiter);
  const out = execFileSync(
    'java',
    [
      '-Xmx512m',
      '-cp',
      classpath,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(rows),
      '--record-size',
      String(size),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${kafka.listeners.plaintext}`,
    ],
    { encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  // The last line: "N records sent, X records/sec (…)".
  const m = /records sent, ([\d.]+) records\/sec/.exec(out.trim().split('\n').pop() ?? '');
  if (!m) throw new Error(`ProducerPerformance printed no rate:\n${out.slice(-2000)}`);
  return Math.round(Number(m[1]));
}

/** The mean size of the pipeline's records, to give ProducerPerformance records of the same size. */
function recordSize(file: string): number {
  const out = execFileSync(
    'sqlite3',
    [
      file,
      `SELECT CAST(avg(length(CAST(json_object('id', id, 'name', name, 'score', score, 'tags', json(tags), 'event', 'added', 'sync', 'run') AS BLOB))) AS INTEGER) FROM (SELECT * FROM people LIMIT 100000)`,
    ],
    { encoding: 'utf8' },
  );
  return Number(out.trim());
}

export async function benchWholeJob(sizes = (process.env.SLUICE_BENCH_WHOLE_ROWS ?? '1000000,10000000').split(',').map(Number)): Promise<WholeJobBench> {
  requireTool('sqlite3', 'The whole-job bench (the shell pipeline)');
  requireTool('kcat', 'The whole-job bench (the shell pipeline)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-whole-job-'));
  const kafka = await startKafka();
  const results: WholeJobSize[] = [];
  try {
    for (const rows of sizes) {
      const file = makeModel(dir, rows);
      const full = rows <= 1_000_000;
      for (const t of ['sluice', 'pipe', 'perf']) await kafka.createTopic(`whole-${t}-${rows}`, 3);
      const pipelineSeconds = full ? pipeline(kafka, file, `whole-pipe-${rows}`) : undefined;
      const perf = full ? await producerPerformance(kafka, `whole-perf-${rows}`, rows, recordSize(file)) : undefined;
      const s = await sluiceRun(file, kafka.listeners.plaintext, `whole-sluice-${rows}`);
      if (s.acknowledged !== rows) throw new Error(`Sluice acknowledged ${s.acknowledged} of ${rows}`);
      const sluiceRowsPerSecond = Math.round(rows / s.seconds);
      const size: WholeJobSize = { rows, sluiceSeconds: round(s.seconds), sluiceRowsPerSecond, rerunSeconds: round(s.rerunSeconds), peakRssMiB: s.peakRssMiB };
      if (pipelineSeconds !== undefined && perf !== undefined) {
        Object.assign(size, {
          pipelineSeconds: round(pipelineSeconds),
          pipelineRowsPerSecond: Math.round(rows / pipelineSeconds),
          producerPerformanceRowsPerSecond: perf,
          ratioToPipeline: round(pipelineSeconds / s.seconds),
          ratioToProducerPerformance: round(sluiceRowsPerSecond / perf),
        });
      }
      results.push(size);
      fs.rmSync(file, { force: true });
    }
  } finally {
    await kafka.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const one = results.find((r) => r.rows === 1_000_000);
  const ten = results.find((r) => r.rows === 10_000_000);
  return { sizes: results, scaling: one && ten ? round(ten.sluiceSeconds / one.sluiceSeconds) : null };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (require.main === module) {
  benchWholeJob().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
