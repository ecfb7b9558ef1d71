// npm run bench: the speed and memory figures the issues ask for, measured in one run.
//  - diff: rows classified per second and peak RSS for 100k and 1M rows;
//  - publish: a Sluice run to kinesalite against a bare SDK PutRecords loop with the same records;
//  - Kafka: the publisher against kcat, and a whole Kafka sync rendered inline against on the render pool;
//  - the whole job: a 1M-row Kafka sync against `sqlite3 | kcat` and ProducerPerformance, its no-change
//    re-run, and a 10M-row sync (time, peak RSS);
//  - hot keys: a whole sync with one partition key for every row against a key per row (Kafka, Kinesis);
//  - render: the payload renderer against bare liquidjs; the Debugger's queries at 100k calls;
//  - PostgreSQL in-database diff: 10M rows (SLUICE_BENCH_PG_ROWS), 1% changed, against pulling every row.
// The diff, Kafka and render benches each run in a Node process of their own (ownProcess); publish and
// the Debugger's run in this one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchPublish } from './publish';
import type { KafkaBenchResult } from './kafka';
import type { KafkaRunBench } from './kafka-run';
import type { HotKeyBench } from './hot-key';
import type { WholeJobBench } from './whole-job';
import type { RenderBench } from './render';
import { benchDebugger, printDebugger } from './debugger';
import { printPgInDatabase, type PgInDatabaseBench } from './pg-in-database';

const root = path.resolve(__dirname, '..', '..');
const sizes = (process.env.SLUICE_BENCH_ROWS ?? '100000,1000000').split(',').map(Number);

/**
 * Runs one bench script in a fresh Node process; its stdout. Each bench gets a process of its own: in
 * one process, what earlier benches left on the heap showed in later figures (the Kafka publisher and
 * the render ratio each measured clearly below their own runs alone).
 */
function ownProcess(script: string, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** The JSON a bench script prints last. */
function lastJson<T>(out: string): T {
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

async function main(): Promise<void> {
  const diff = sizes.map((rows) =>
    lastJson<{ rows: number; passes: { label: string; seconds: number; rowsPerSecond: number }[]; peakRssMiB: number }>(
      ownProcess('diff-worker.ts', String(rows)),
    ),
  );
  const publish = await benchPublish(Number(process.env.SLUICE_BENCH_RECORDS ?? 20_000));

  console.log('\nDiff (read the model, stage it, classify every row) — target: 1M rows under 5 s and 300 MB');
  for (const d of diff) {
    for (const p of d.passes)
      console.log(
        `  ${String(d.rows).padStart(9)} rows  ${p.label.padEnd(44)} ${p.seconds.toFixed(2).padStart(6)} s  ${String(p.rowsPerSecond).padStart(8)} rows/s`,
      );
    console.log(`  ${String(d.rows).padStart(9)} rows  peak RSS ${d.peakRssMiB} MiB`);
  }
  console.log(`\nPublish to kinesalite (${publish.records} records, median of ${publish.rounds}) — target: ≥ 0.9× the bare SDK loop`);
  console.log(`  Sluice run       ${publish.sluiceRecordsPerSecond} records/s`);
  console.log(`  bare PutRecords  ${publish.bareRecordsPerSecond} records/s`);
  console.log(`  ratio            ${publish.ratio}×`);
  const kafka = lastJson<KafkaBenchResult>(ownProcess('kafka.ts'));
  console.log(
    `\nPublish to the local Kafka broker (${kafka.records} pre-rendered records, ${kafka.partitions} partitions, acks all, idempotent) — target: ≥ 0.8× kcat`,
  );
  console.log(`  Sluice (KafkaPublisher)  ${kafka.sluiceRecordsPerSecond} records/s (${kafka.sluiceSeconds} s)`);
  console.log(`  kcat -P                  ${kafka.kcatRecordsPerSecond} records/s (${kafka.kcatSeconds} s)`);
  console.log(`  ratio                    ${kafka.ratio}×`);
  const kafkaRun = lastJson<KafkaRunBench>(ownProcess('kafka-run.ts'));
  console.log(`\nA whole Kafka sync (${kafkaRun.rows} rows: read, diff, render template and headers, send, ledger)`);
  console.log(`  rendered on the main thread        ${kafkaRun.inlineRowsPerSecond} rows/s`);
  console.log(
    `  rendered on the pool (${kafkaRun.poolThreads} thread${kafkaRun.poolThreads === 1 ? '' : 's'})     ${kafkaRun.poolRowsPerSecond} rows/s (${kafkaRun.speedup}×, ${kafkaRun.cores} cores)`,
  );
  const whole = lastJson<WholeJobBench>(ownProcess('whole-job.ts'));
  console.log(
    '\nThe whole job on one local broker (read, diff, render, send with acks=all, ledger) — targets: ≥ 0.5× the pipeline; re-run of 1M < 2 s; 10M: RSS < 500 MB, time ≤ 11× 1M',
  );
  for (const w of whole.sizes) {
    console.log(
      `  ${String(w.rows).padStart(9)} rows  Sluice ${w.sluiceSeconds} s (${w.sluiceRowsPerSecond} rows/s), peak RSS ${w.peakRssMiB} MiB, no-change re-run ${w.rerunSeconds} s`,
    );
    if (w.pipelineSeconds !== undefined) {
      console.log(
        `  ${' '.repeat(9)}       sqlite3 | kcat ${w.pipelineSeconds} s (${w.pipelineRowsPerSecond} rows/s): ${w.ratioToPipeline}×; ProducerPerformance ${w.producerPerformanceRowsPerSecond} rows/s: ${w.ratioToProducerPerformance}×`,
      );
    }
  }
  if (whole.scaling !== null) console.log(`  10M time / 1M time: ${whole.scaling}×`);
  const hot = lastJson<HotKeyBench>(ownProcess('hot-key.ts'));
  console.log(`\nHot keys: a whole sync, one partition key for every row against a key per row (median of ${hot.kafka.rounds}) — target: ≥ 0.8×`);
  for (const [label, h] of [
    ['Kafka', hot.kafka],
    ['Kinesis (kinesalite)', hot.kinesis],
  ] as const) {
    console.log(`  ${label.padEnd(21)} ${h.rows} rows: key per row ${h.keyPerRowRowsPerSecond} rows/s, one key ${h.oneKeyRowsPerSecond} rows/s: ${h.ratio}×`);
  }
  const render = lastJson<RenderBench>(
    ownProcess('render.ts', process.env.SLUICE_BENCH_RENDER_ROWS ?? '50000', process.env.SLUICE_BENCH_POOL_RECORDS ?? '100000'),
  );
  console.log(`\nRender a six-field Liquid template (${render.rows} rows, median of 10 alternating rounds) — target: ≥ 0.9× bare liquidjs`);
  console.log(`  bare liquidjs    ${render.bareLiquidRowsPerSecond} rows/s`);
  console.log(`  Sluice renderer  ${render.sluiceRowsPerSecond} rows/s (parse once, render, check JSON, minify, bytes, partition key)`);
  console.log(`  ratio            ${render.ratio}× (a template of variables and | json, compiled: simple-template.ts)`);
  console.log(
    `  with a tag       ${render.liquidPath.sluiceRowsPerSecond} rows/s against ${render.liquidPath.bareLiquidRowsPerSecond}: ${render.liquidPath.ratio}× (rendered by liquidjs)`,
  );
  console.log(
    `  ${render.pool.records} records: one thread ${render.pool.singleRowsPerSecond} rows/s, pool of ${render.pool.threads} threads ${render.pool.poolRowsPerSecond} rows/s (${render.pool.speedup}×, ${render.pool.cores} cores)`,
  );
  const pgInDatabase = lastJson<PgInDatabaseBench>(ownProcess('pg-in-database.ts'));
  printPgInDatabase(pgInDatabase);
  const debuggerCalls = await benchDebugger(Number(process.env.SLUICE_BENCH_CALLS ?? 100_000));
  printDebugger(debuggerCalls);
  fs.mkdirSync(path.join(root, 'reports'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'reports', 'bench.json'),
    JSON.stringify(
      { at: new Date().toISOString(), diff, publish, kafka, kafkaRun, wholeJob: whole, hotKeys: hot, render, debugger: debuggerCalls, pgInDatabase },
      null,
      2,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
