import BetterSqlite3 from 'better-sqlite3';
import { CreateStreamCommand, DeleteStreamCommand, type KinesisClient, waitUntilStreamExists, waitUntilStreamNotExists } from '@aws-sdk/client-kinesis';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_TRIED_AGAIN, type PartitionKey, type RunSummary } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { historyLine } from '../cli/runs-command';
import { formatRunReport, runReport } from '../cli/run-report';
import { KinesisPublisher } from '../publishers/kinesis-publisher';
import { openTestEngine, trusted } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { startSilentServer } from '../testing/peers/silent-server';
import { readAllRecords } from '../testing/kinesis-read';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesalite } from '../testing/peers/kinesis';
import { freePort } from '../testing/peers/ports';

// The fault suite, a destination down for good: the run stops once the destination has settled no
// record for the unreachable budget, however many rows are still to go. Each record's own budget did
// not stop it: fresh records kept joining the requests, so a 1M-row run to a refused port went on for
// about ten minutes, writing a failure for every record. The rows not settled stay pending.

const closers = closeAfterEach();
const ROWS = 60_000;
const KINESIS_ROWS = 3_000;
/** Quick backoff, and a 2 s budget for a destination that answers nothing useful. */
const POLICY = { baseMs: 20, maxMs: 100, maxAttempts: 3, unreachableMs: 2000 };

async function engineWith(destination: { kind: string; name: string } & Record<string, unknown>, rows: number, partitionKey?: PartitionKey): Promise<Engine> {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, pad TEXT)`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO items SELECT i, 'row ' || i FROM n`);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, pad FROM items', primaryKey: ['id'] });
  t.engine.catalog.putDestination(destination);
  t.engine.catalog.putSync({
    name: 'out',
    model: 'items',
    destination: destination.name,
    triggers: ['added', 'changed', 'removed'],
    ...(partitionKey ? { partitionKey } : {}),
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "pad": {{ row.pad | json }}}' },
  });
  return t.engine;
}

describe('fault suite: a destination down for good', () => {
  it('a Kafka broker nobody listens for: the run stops after the 2 s budget saying it could not be reached, most rows never tried and all still pending', async () => {
    const port = await freePort(); // free: nothing listens there
    const engine = await engineWith({ kind: 'kafka', name: 'kafka', brokers: [`127.0.0.1:${port}`], topic: 'nowhere' }, ROWS);
    const run = await engine.runSync('out', { backoff: POLICY });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`^Kafka \\(127\\.0\\.0\\.1:${port}\\) could not be reached for 2 s: .*ECONNREFUSED`));
    expect(run.counts.acknowledged).toBe(0);
    // Only the records whose own budget ran out with the run's are failures; the rest were never settled.
    expect(run.counts.failed).toBeLessThan(ROWS / 2);
    // The report says the rest are still to go, not only why the failed ones were not sent.
    const left = ROWS - run.counts.failed;
    expect(formatRunReport(runReport(engine, run))).toContain(
      `  ${left.toLocaleString('en-US')} records not sent before the run stopped; they stay pending for the next run\n`,
    );
    // And the run history, as the run's page: the records left count (it said "sent 0, failed N" alone).
    expect(historyLine(run)).toContain(`; sent 0, failed ${run.counts.failed}, ${left} pending\t`);
    const plan = await engine.runSync('out', { dryRun: true });
    expect(plan.counts.added).toBe(ROWS); // nothing delivered: every row is still to send
  });

  it('a few rows to a refused port: stopped when their own budget runs out, in the same words', async () => {
    const port = await freePort();
    const engine = await engineWith({ kind: 'kafka', name: 'kafka', brokers: [`127.0.0.1:${port}`], topic: 'nowhere' }, 50);
    const run = await engine.runSync('out', { backoff: POLICY });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`^Kafka \\(127\\.0\\.0\\.1:${port}\\) could not be reached for [23] s: .*ECONNREFUSED`));
  });

  it('a Kinesis endpoint that takes a request and never answers: the request fails at its timeout as out of reach, where it waited forever (and a run with it, even cancelled)', async () => {
    const { port, close } = await startSilentServer();
    closers.push(close);
    const publisher = new KinesisPublisher({
      stream: 'silent',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: LOCAL_AWS_CREDENTIALS,
      requestTimeoutMs: 500,
    });
    closers.push(() => publisher.close());
    const record = { kind: 'kinesis' as const, seq: 1, key: '1', event: 'added' as const, data: Buffer.from('{}'), partitionKey: 'k' };
    const error = await publisher.send([record]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TimeoutError', retryable: true, unreachable: true });
  });

  it('a Kinesis endpoint that drops every connection: the run stops after the 2 s budget saying it could not be reached; once it answers again, the next run sends every row', async () => {
    const { engine, proxy } = await kinesisBehindProxy(KINESIS_ROWS);
    proxy.dropConnections(1_000_000);
    const stalled = await engine.runSync('out', { backoff: POLICY });
    expect(stalled.status).toBe('failed');
    expect(stalled.error).toMatch(/^Kinesis stream stalled-\d+ could not be reached for 2 s: /);
    expect(stalled.counts.acknowledged).toBe(0);
    expect(stalled.counts.failed).toBeLessThan(KINESIS_ROWS);

    proxy.reset();
    const next = await engine.runSync('out', { backoff: POLICY });
    expect({ status: next.status, acknowledged: next.counts.acknowledged }).toEqual({ status: 'succeeded', acknowledged: KINESIS_ROWS });
  }, 120_000);

  it('a Kinesis dry run whose endpoint drops every connection, or whose stream is gone: fails saying so, where it said "succeeded" with a note that no record was placed', async () => {
    const { engine, proxy, client, stream } = await kinesisBehindProxy(KINESIS_ROWS);
    proxy.dropConnections(1_000_000);
    const dropped = await engine.runSync('out', { dryRun: true, backoff: POLICY });
    expect(dropped.status).toBe('failed');
    expect(dropped.error).toMatch(new RegExp(`^Could not list the shards of ${stream} on ${proxy.endpoint.replace(/[.]/g, '\\.')}: `));
    proxy.reset();
    await client.send(new DeleteStreamCommand({ StreamName: stream }));
    await waitUntilStreamNotExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
    const gone = await engine.runSync('out', { dryRun: true, backoff: POLICY });
    expect(gone.status).toBe('failed');
    expect(gone.error).toContain(stream);
    expect(gone.error).toMatch(/not found|does not exist/i);
  }, 120_000);

  it('cancelled while its Kinesis requests hang: they are aborted after a 2 s grace, so the run ends cancelled then, not when they time out', async () => {
    const { engine, proxy } = await kinesisBehindProxy(KINESIS_ROWS);
    proxy.delay(120_000, 1_000_000);
    const controller = new AbortController();
    const { done } = engine.runner.start('out', { signal: controller.signal });
    await waitFor(() => proxy.received > 0); // a PutRecords on the wire, held
    const cancelledAt = Date.now();
    controller.abort();
    const run = await done;
    expect({ status: run.status, error: run.error }).toEqual({ status: 'cancelled', error: null });
    expect(Date.now() - cancelledAt).toBeLessThan(10_000); // the requests' own timeout is 60 s
    expectGivenUpInWords(engine, run, 'Kinesis');
  });

  it('cancelled while its Firehose requests hang: the run ends cancelled after the 2 s grace, and the records given up say why in words, not "Request aborted"', async () => {
    const { port, close, accepted } = await startSilentServer();
    closers.push(close);
    process.env.SLUICE_STALLED_FIREHOSE_SECRET = LOCAL_AWS_CREDENTIALS.secretAccessKey;
    closers.push(() => void delete process.env.SLUICE_STALLED_FIREHOSE_SECRET);
    const engine = await engineWith(
      {
        kind: 'firehose',
        name: 'firehose',
        deliveryStream: 'held',
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { env: 'SLUICE_STALLED_FIREHOSE_SECRET' } },
      },
      KINESIS_ROWS,
    );
    const controller = new AbortController();
    const { done } = engine.runner.start('out', { signal: controller.signal });
    await waitFor(() => accepted() > 0); // a PutRecordBatch on the wire, never answered
    const cancelledAt = Date.now();
    controller.abort();
    const run = await done;
    expect({ status: run.status, error: run.error }).toEqual({ status: 'cancelled', error: null });
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    expectGivenUpInWords(engine, run, 'Firehose');
  });

  it('cancelled while a healthy Kinesis answers: its requests on the wire are answered (none aborted), so no record fails or goes twice', async () => {
    const { engine, proxy, ids } = await kinesisBehindProxy(KINESIS_ROWS);
    const controller = new AbortController();
    const { done } = engine.runner.start('out', { signal: controller.signal });
    await waitFor(() => proxy.requests.some((r) => r.target.endsWith('PutRecords')));
    controller.abort();
    const run = await done;
    expect({ status: run.status, failed: run.counts.failed }).toEqual({ status: 'cancelled', failed: 0 });
    await engine.runSync('out');
    const sent = await ids();
    expect({ distinct: new Set(sent).size, twice: sent.length - new Set(sent).size }).toEqual({ distinct: KINESIS_ROWS, twice: 0 });
  });

  it('cancelled while Kinesis throttles: the records it throttled in the requests answered after the cancel are failed saying the cancel stopped their retries, counted and reported apart from records the destination failed; retrying the failed records and the next run deliver every row once', async () => {
    const { engine, proxy, ids } = await kinesisBehindProxy(KINESIS_ROWS);
    // The first requests are answered 1 s late (inside the cancel's 2 s grace), the shard taking 500 records a second: most are throttled.
    proxy.enforceShardLimits({ recordsPerSecond: 500, bytesPerSecond: 1024 * 1024 });
    proxy.delay(1000, 3);
    const controller = new AbortController();
    const { runId, done } = engine.runner.start('out', { signal: controller.signal, backoff: { ...POLICY, maxAttempts: 1000 } });
    await waitFor(() => proxy.received > 0);
    controller.abort();
    const run = await done;
    expect(run.status).toBe('cancelled');
    const failed = engine.ledger.search({ runId, status: 'failed', limit: KINESIS_ROWS }).entries;
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed)
      expect({ code: e.errorCode, message: e.errorMessage }).toMatchObject({
        code: 'ProvisionedThroughputExceededException',
        message: expect.stringMatching(/ \(not tried again: the run was cancelled\)$/),
      });
    // Counted apart from records the destination failed: it refused none (before, "N failed" read as N refused).
    const givenUp = failed.length;
    expect({ failed: run.counts.failed, givenUp: run.counts.givenUp }).toEqual({ failed: givenUp, givenUp });
    const n = givenUp.toLocaleString('en-US');
    const report = formatRunReport(runReport(engine, run));
    expect(report).toContain(
      `  delivered ${run.counts.acknowledged.toLocaleString('en-US')} of ${KINESIS_ROWS.toLocaleString('en-US')}; ${n} not tried again (the run was cancelled)`,
    );
    expect(report).not.toContain('failed at the destination');
    expect(report).toMatch(
      new RegExp(
        `    ${n} × not tried again, the run was cancelled \\(the destination had answered ProvisionedThroughputExceededException: [^\\n]*\\) \\(e\\.g\\. key \\d+\\)\\n`,
      ),
    );
    expect(historyLine(run, engine.ledger.notArrived(runId, true))).toContain(
      `; sent ${run.counts.acknowledged}, failed 0, ${givenUp} not tried again (cancelled)`,
    );
    // The app's run page: none failed at the destination, the given-up apart, and no reason of theirs among the destination's.
    const page = await engine.dispatcher.dispatch('getRun', { runId } as never, trusted);
    expect(page.ok && page.value).toMatchObject({ failures: { failed: givenUp, givenUp, rejected: 0, reasons: [], moreReasons: 0 } });
    proxy.reset();
    // Still failed in the ledger: "Retry failed records only" sends them again.
    const retried = await engine.runSync('out', { retryFailedOf: runId, backoff: { ...POLICY, maxAttempts: 1000 } });
    expect({ status: retried.status, acknowledged: retried.counts.acknowledged }).toEqual({ status: 'succeeded', acknowledged: givenUp });
    await engine.runSync('out', { backoff: { ...POLICY, maxAttempts: 1000 } });
    const sent = await ids();
    expect({ distinct: new Set(sent).size, twice: sent.length - new Set(sent).size }).toEqual({ distinct: KINESIS_ROWS, twice: 0 });
  }, 60_000);

  it('a slow Kinesis, every request held 2.5 s (past the 2 s budget) and most records throttled: not stopped while a request on the wire may still be acknowledged; every row delivered', async () => {
    // Three requests go at once; the shard takes 500 records a second, so one is acknowledged and two
    // are throttled, and the throttled answers can come back first, past the budget.
    const { engine, proxy } = await kinesisBehindProxy(1500, { kind: 'template', template: '{{ row.id }}' });
    proxy.delay(2500, 1_000_000);
    proxy.enforceShardLimits({ recordsPerSecond: 500, bytesPerSecond: 1024 * 1024 });
    const run = await engine.runSync('out', { backoff: { ...POLICY, maxAttempts: 1000 } });
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged }).toEqual({ status: 'succeeded', error: null, acknowledged: 1500 });
  }, 120_000);

  it.each([
    ['ahead', 3_600_000],
    ['back', -3_600_000],
  ])(
    'the wall clock jumping an hour %s mid-run (a laptop waking from sleep, a clock set right) while the destination drops connections: budgets, backoff and progress run on a steady clock, so the run rides it out, reports its progress and delivers every row',
    async (_, jump) => {
      const { engine, proxy } = await kinesisBehindProxy(KINESIS_ROWS);
      proxy.dropConnections(15); // about a second of refused requests with POLICY's backoff, under its 2 s budget
      proxy.delay(400, 6); // then the run's requests (500 records each) take a while: progress is due on the way
      let jumped = false;
      let progressAfterJump = 0;
      engine.onEvent((event, payload) => {
        if (event === 'runProgress' && jumped && (payload as RunSummary).status === 'running') progressAfterJump++;
      });
      const wall = Date.now;
      try {
        const { done } = engine.runner.start('out', { backoff: { ...POLICY, maxAttempts: 1000 } });
        await waitFor(() => proxy.received > 0);
        const from = wall() + jump;
        const at = performance.now();
        Date.now = () => Math.floor(from + (performance.now() - at));
        jumped = true;
        const run = await done;
        expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged }).toEqual({
          status: 'succeeded',
          error: null,
          acknowledged: KINESIS_ROWS,
        });
        // Progress went on being reported (set back, the wall clock held it for the hour), at a rate above 0.
        expect(progressAfterJump).toBeGreaterThan(0);
        expect(run.ratePerSecond).toBeGreaterThan(0);
      } finally {
        Date.now = wall;
      }
    },
    30_000,
  );
});

let streams = 0;

/** An engine whose sync sends `rows` rows to a new stream of a kinesalite behind a fault proxy. */
async function kinesisBehindProxy(
  rows: number,
  partitionKey?: PartitionKey,
): Promise<{ engine: Engine; proxy: FaultProxy; ids: () => Promise<number[]>; client: KinesisClient; stream: string }> {
  const kinesis = await startKinesalite();
  closers.push(() => kinesis.stop());
  const proxy = await FaultProxy.start(kinesis.endpoint);
  closers.push(() => proxy.close());
  const client = kinesis.client();
  closers.push(() => client.destroy());
  const stream = `stalled-${++streams}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  const destination = {
    kind: 'kinesis',
    name: 'stream',
    stream,
    region: kinesis.region,
    endpoint: proxy.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'stalled-secret' } },
  };
  const engine = await engineWith(destination, rows, partitionKey);
  await engine.secrets.save('stalled-secret', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  closers.push(() => engine.secrets.delete('stalled-secret').then(() => undefined));
  const ids = async () => (await readAllRecords(client, stream)).map((r) => (JSON.parse(r.data.toString()) as { id: number }).id);
  return { engine, proxy, ids, client, stream };
}

/**
 * The records of the requests a cancel gave up: failed (the next run sends them), saying so, and counted and
 * reported as not tried again, not as failed at the destination (before: "2,000 failed at the destination",
 * "AbortError: Request aborted", as if the destination had refused them).
 */
function expectGivenUpInWords(engine: Engine, run: RunSummary, service: string): void {
  const failed = engine.ledger.search({ runId: run.id, status: 'failed', limit: KINESIS_ROWS }).entries;
  expect(failed.length).toBeGreaterThan(0);
  const words = `The run was cancelled before ${service} answered this request: ${service} may have written its records, and the next run sends them again`;
  const notInWords = failed.filter((e) => e.errorCode !== 'AbortError' || e.errorMessage !== `${words} ${NOT_TRIED_AGAIN}`);
  expect(notInWords.map((e) => `${e.errorCode}: ${e.errorMessage}`)).toEqual([]);
  expect({ failed: run.counts.failed, givenUp: run.counts.givenUp }).toEqual({ failed: failed.length, givenUp: failed.length });
  const report = formatRunReport(runReport(engine, run));
  expect(report).not.toContain('failed at the destination');
  const n = failed.length.toLocaleString('en-US');
  expect(report).toContain(`; ${n} not tried again (the run was cancelled)`);
  expect(report).toContain(`    ${n} × not tried again: the run was cancelled before ${service} answered this request: ${service} may have written`);
}

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
