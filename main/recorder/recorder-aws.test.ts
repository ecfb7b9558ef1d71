import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { openTestEngine, trusted } from '../testing/engine';
import { callChannel } from '../testing/call-channel';
import { createStream, putPeopleToKinesis } from '../testing/people-to-kinesis';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy, THROTTLED } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';

// The API-call recorder against a real Kinesis (kinesis-local): what a sync, a dry run and a
// connection test record, errors from the fault proxy, retention, and the NDJSON/HAR exports.

let kinesis: KinesisPeer;
let client: KinesisClient;
let streams = 0;
beforeAll(async () => {
  kinesis = await startKinesisLocal();
  client = kinesis.client();
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await kinesis?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(rows: number, endpoint?: string): Promise<{ engine: Engine; stream: string }> {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, rows);
  db.close();
  closers.push(t.close);
  const stream = `calls-${++streams}`;
  await createStream(client, stream);
  await t.engine.secrets.save('kinesis-secret', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  closers.push(() => t.engine.secrets.delete('kinesis-secret').then(() => undefined));
  const { engine } = t;
  putPeopleToKinesis(engine, { file, stream, region: kinesis.region, endpoint: endpoint ?? kinesis.endpoint, secretAccessKey: { keychain: 'kinesis-secret' } });
  return { engine, stream };
}

interface PutRecordsRequest {
  StreamName: string;
  Records: { count: number; first: { Data: { bytes: number; preview: string; encoding: string }; PartitionKey: string }[] };
}
interface BatchResults {
  records: number;
  acknowledged: number;
  failed: number;
  errors: Record<string, { count: number; message: string }>;
  perShard?: Record<string, number>;
}

describe('recording AWS calls', () => {
  it('records every PutRecords of a sync: service, operation, region, endpoint, sizes, status, request id, latency, attempt, per-record results', async () => {
    const { engine, stream } = await setup(1200);
    const events: number[] = [];
    engine.onEvent((event, payload) => {
      if (event === 'apiCallsRecorded') events.push((payload as { calls: unknown[] }).calls.length);
    });
    const run = await engine.runSync('people-sync');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 1200 } });

    const { calls, total } = await callChannel(engine, 'listApiCalls', { runId: run.id });
    expect(total).toBe(3);
    expect(events.reduce((a, b) => a + b, 0)).toBe(3); // the live view was told about each call
    const endpoint = new URL(kinesis.endpoint);
    for (const c of calls) {
      expect(c).toMatchObject({
        runId: run.id,
        context: 'sync',
        destination: 'stream',
        service: 'kinesis',
        operation: 'PutRecords',
        status: '200',
        httpStatus: 200,
        attempt: 1,
        failedRecords: 0,
        isError: false,
        errorCode: null,
      });
      expect(c.target).toBe(`${kinesis.region} http://${endpoint.hostname}:${endpoint.port}`);
      expect(c.durationMs).toBeGreaterThan(0);
      expect(c.requestBytes).toBeGreaterThan(c.recordCount! * 20);
      expect(c.responseBytes).toBeGreaterThan(0);
      expect(c.requestId).toBeTruthy();
    }
    expect(calls.map((c) => c.recordCount).sort()).toEqual([200, 500, 500]);

    const detail = await callChannel(engine, 'getApiCall', { id: calls.find((c) => c.recordCount === 500)!.id });
    const request = detail.request as PutRecordsRequest;
    expect(request.StreamName).toBe(stream);
    expect(request.Records.count).toBe(500);
    // Record data is a short decoded preview, never the whole batch.
    expect(request.Records.first).toHaveLength(3);
    const first = JSON.parse(request.Records.first[0]!.Data.preview) as { id: number };
    expect(request.Records.first[0]!.Data.encoding).toBe('utf8');
    expect(request.Records.first[0]!.PartitionKey).toBe(String(first.id));
    const results = detail.results as BatchResults;
    expect(results).toMatchObject({ records: 500, acknowledged: 500, failed: 0 });
    // The per-shard counts are where the ledger says the records landed.
    const ledger = engine.ledger.search({ runId: run.id, limit: 1000 }).entries.filter((e) => e.shardId);
    expect(Object.keys(results.perShard!).every((shard) => ledger.some((e) => e.shardId === shard))).toBe(true);
    expect(JSON.stringify(detail.response).length).toBeLessThan(5000);
    expect(detail.window.startMs).toBeLessThanOrEqual(detail.startedMs);
    expect(detail.window.endMs).toBeGreaterThanOrEqual(detail.startedMs + detail.durationMs - 1);
  });

  it('records throttled records and a 503 as errors, which the errors-only, status and operation filters find', async () => {
    const proxy = await FaultProxy.start(kinesis.endpoint);
    closers.push(() => proxy.close());
    const { engine } = await setup(40, proxy.endpoint);
    proxy.serviceUnavailable(1);
    proxy.failRecords(({ index }) => index % 4 === 0, { times: 1 });
    const run = await engine.runSync('people-sync', { backoff: { baseMs: 10, maxMs: 50, maxAttempts: 6 } });
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 40 } });

    const all = await callChannel(engine, 'listApiCalls', { runId: run.id });
    const errors = await callChannel(engine, 'listApiCalls', { runId: run.id, errorsOnly: true });
    expect(errors.total).toBe(2);
    expect(all.total).toBeGreaterThan(errors.total);
    const unavailable = errors.calls.find((c) => c.status === '503')!;
    expect(unavailable).toMatchObject({ httpStatus: 503, errorCode: 'ServiceUnavailableException', isError: true });
    expect(unavailable.errorMessage).toContain('Service Unavailable');
    // A 200 with refused records is `partial`: an error with the count and the reason.
    const partial = errors.calls.find((c) => c.status === 'partial')!;
    // The proxy throttles every fourth record of the batch.
    expect(partial).toMatchObject({ httpStatus: 200, isError: true, errorCode: 'PartialFailure', failedRecords: Math.ceil(partial.recordCount! / 4) });
    expect(partial.errorMessage).toBe(
      `${partial.failedRecords} of ${partial.recordCount} records failed (${THROTTLED} ×${partial.failedRecords}: Rate exceeded for shard in stream under account 000000000000.)`,
    );
    const detail = await callChannel(engine, 'getApiCall', { id: partial.id });
    expect((detail.results as BatchResults).errors[THROTTLED]).toMatchObject({ count: partial.failedRecords });

    expect((await callChannel(engine, 'listApiCalls', { runId: run.id, status: '503' })).calls.map((c) => c.id)).toEqual([unavailable.id]);
    expect((await callChannel(engine, 'listApiCalls', { operation: 'ListShards' })).total).toBe(0);
    expect((await callChannel(engine, 'listApiCalls', { text: 'ServiceUnavailable' })).calls.map((c) => c.id)).toEqual([unavailable.id]);
    const facets = await callChannel(engine, 'listApiCallFacets', {});
    expect(facets).toMatchObject({ services: ['kinesis'], operations: ['PutRecords'], destinations: ['stream'] });
    expect(facets.statuses).toEqual(['200', '503', 'partial']);
  });

  it('records a dry run’s ListShards and a connection test’s calls under their own context', async () => {
    const { engine, stream } = await setup(10);
    const dry = await engine.runSync('people-sync', { dryRun: true });
    const dryCalls = await callChannel(engine, 'listApiCalls', { runId: dry.id });
    expect(dryCalls.calls.map((c) => [c.context, c.operation])).toEqual([['dry-run', 'ListShards']]);

    const test = await callChannel(engine, 'testDestination', { destination: 'stream' });
    expect(test.ok).toBe(true);
    const tested = await callChannel(engine, 'listApiCalls', { context: 'connection-test' });
    expect(tested.calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['DescribeStreamSummary', 'ListStreams']));
    expect(tested.calls.every((c) => c.runId === null && c.destination === 'stream' && c.status === '200')).toBe(true);
    const describe = await callChannel(engine, 'getApiCall', { id: tested.calls.find((c) => c.operation === 'DescribeStreamSummary')!.id });
    expect(describe.request).toEqual({ StreamName: stream });
  });

  it('deletes calls older than the retention setting when a run ends', async () => {
    const { engine } = await setup(5);
    const first = await engine.runSync('people-sync');
    engine.db.prepare('UPDATE api_calls SET started_ms = started_ms - ? WHERE run_id = ?').run(3 * 24 * 3600 * 1000, first.id);
    await callChannel(engine, 'updateSettings', { debuggerRetentionDays: 2 });
    const second = await engine.runSync('people-sync', { dryRun: true });
    expect((await callChannel(engine, 'listApiCalls', { runId: first.id })).total).toBe(0);
    expect((await callChannel(engine, 'listApiCalls', { runId: second.id })).total).toBe(1);
  });

  it('exports a run’s calls as NDJSON and as HAR, without credentials in the headers', async () => {
    const { engine } = await setup(700);
    const run = await engine.runSync('people-sync');
    const ndjson = await callChannel(engine, 'exportApiCalls', { runId: run.id, format: 'ndjson' });
    expect(ndjson.fileName).toBe(`sluice-run-${run.id}-api-calls.ndjson`);
    const lines = ndjson.content
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { operation: string; request: PutRecordsRequest });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.operation === 'PutRecords')).toBe(true);
    expect(lines.map((l) => l.request.Records.count).sort()).toEqual([200, 500]);

    const har = await callChannel(engine, 'exportApiCalls', { runId: run.id, format: 'har' });
    const log = (
      JSON.parse(har.content) as {
        log: {
          version: string;
          entries: { request: { method: string; url: string; headers: { name: string; value: string }[] }; response: { status: number } }[];
        };
      }
    ).log;
    expect(log.version).toBe('1.2');
    expect(log.entries).toHaveLength(2);
    const entry = log.entries[0]!;
    expect(entry.request.method).toBe('POST');
    expect(entry.request.url.startsWith(kinesis.endpoint)).toBe(true);
    expect(entry.response.status).toBe(200);
    const headers = Object.fromEntries(entry.request.headers.map((h) => [h.name.toLowerCase(), h.value]));
    expect(headers['x-amz-target']).toBe('Kinesis_20131202.PutRecords');
    expect(headers.authorization).toBe('[redacted]');
    expect(har.content).not.toContain('Signature=');

    const bad = await engine.dispatcher.dispatch('exportApiCalls', { runId: 9999, format: 'ndjson' }, trusted);
    expect(bad).toMatchObject({ ok: false, error: { code: 'not-found', message: 'No API calls are recorded for run 9999' } });
  });
});
