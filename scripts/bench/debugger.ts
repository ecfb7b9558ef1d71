// The Debugger at 100,000 recorded calls: how fast the recorder writes them (batched, redacted) and
// how long the queries behind the list take — a page at the start, middle and end, each filter,
// text search, the filter menus and one call in full. Run alone: npx tsx scripts/bench/debugger.ts
import path from 'node:path';
import { Engine } from '../../main/engine/engine';
import { tempWorkspace } from '../../main/testing/temp';
import type { ApiCallFilter } from '../../shared/debugger/api-call';

export interface DebuggerBenchResult {
  calls: number;
  recordCallsPerSecond: number;
  queries: { label: string; ms: number; total: number }[];
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function timed<T>(fn: () => T, repeat = 5): { ms: number; value: T } {
  let value!: T;
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    value = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: Math.round(median(times) * 100) / 100, value };
}

export async function benchDebugger(calls = 100_000): Promise<DebuggerBenchResult> {
  const ws = tempWorkspace('sluice-bench-debugger-');
  const engine = await Engine.open({ workspace: path.join(ws.dir, 'state'), runtime: 'browser-host', seedDemo: false });
  try {
    // Record through the real recorder, as a run's publishers do: 100 runs of 1,000 PutRecords calls.
    const preview = { bytes: 180, preview: '{"id": 1, "name": "Person 1", "score": 0.5, "tags": ["a","b"]}', encoding: 'utf8' };
    const t0 = process.hrtime.bigint();
    for (let run = 1; run <= calls / 1000; run++) {
      const sink = engine.recorder.scope({ runId: run, context: 'sync', destination: run % 2 ? 'orders-stream' : 'events-topic' });
      for (let i = 0; i < 1000; i++) {
        const n = (run - 1) * 1000 + i;
        const failed = n % 997 === 0 ? 12 : 0;
        sink.record({
          service: 'kinesis',
          operation: n % 50 === 0 ? 'ListShards' : 'PutRecords',
          target: 'eu-west-1 https://kinesis.eu-west-1.amazonaws.com',
          status: n % 1009 === 0 ? '503' : '200',
          httpStatus: n % 1009 === 0 ? 503 : 200,
          requestId: `c0ffee-${n}`,
          startedMs: Date.now(),
          durationMs: 20 + (n % 40),
          requestBytes: 250_000,
          responseBytes: 9_000,
          recordCount: 500,
          failedRecords: failed,
          errorCode: n % 1009 === 0 ? 'ServiceUnavailableException' : failed ? 'PartialFailure' : null,
          errorMessage: n % 1009 === 0 ? 'Service Unavailable' : failed ? `${failed} of 500 records failed` : null,
          request: { StreamName: 'orders', Records: { count: 500, first: [{ Data: preview, PartitionKey: `key-${n}` }] } },
          response: { FailedRecordCount: failed, Records: { count: 500, first: [{ ShardId: 'shardId-000000000000', SequenceNumber: `4963${n}` }] } },
          results: { records: 500, acknowledged: 500 - failed, failed, errors: {} },
          transport: { kind: 'http', method: 'POST', url: 'https://kinesis.eu-west-1.amazonaws.com/', requestHeaders: {}, responseHeaders: {} },
        });
      }
    }
    engine.recorder.flush();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const store = engine.apiCalls;
    const page = (label: string, filter: ApiCallFilter, offset = 0) => {
      const { ms, value } = timed(() => store.list(filter, offset, 200));
      return { label, ms, total: value.total };
    };
    const middle = Math.floor(calls / 2);
    const queries = [
      page('first page (200 rows + total)', {}),
      page(`page at row ${middle.toLocaleString('en')}`, {}, middle),
      page('last page', {}, calls - 200),
      page('filter: one run', { runId: Math.max(1, Math.floor(calls / 2000)) }),
      page('filter: errors only', { errorsOnly: true }),
      page('filter: operation ListShards', { operation: 'ListShards' }),
      page('filter: status 503', { status: '503' }),
      page('filter: destination + errors only', { destination: 'orders-stream', errorsOnly: true }),
      page(`text search "c0ffee-${calls - 1}"`, { text: `c0ffee-${calls - 1}` }),
      { label: 'filter menus (facets)', ...((r) => ({ ms: r.ms, total: r.value.total }))(timed(() => store.facets())) },
      { label: 'one call in full (detail + run span)', ...((r) => ({ ms: r.ms, total: 1 }))(timed(() => store.get(middle))) },
    ];
    return { calls, recordCallsPerSecond: Math.round(calls / seconds), queries };
  } finally {
    await engine.shutdown();
    ws.cleanup();
  }
}

export function printDebugger(result: DebuggerBenchResult): void {
  console.log(`\nDebugger with ${result.calls} recorded calls — the list's queries (median of 5)`);
  console.log(`  recording        ${result.recordCallsPerSecond} calls/s (batched, redacted, one transaction per batch)`);
  for (const q of result.queries) console.log(`  ${q.label.padEnd(40)} ${q.ms.toFixed(2).padStart(8)} ms  (${q.total} matching)`);
}

if (require.main === module) {
  benchDebugger(Number(process.env.SLUICE_BENCH_CALLS ?? 100_000)).then(printDebugger, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
