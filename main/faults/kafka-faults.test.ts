import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { NOT_TRIED_AGAIN, withoutCancelNote, type KafkaMessageSchema } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';

type KafkaMessageInput = z.input<typeof KafkaMessageSchema>;
import { KAFKA_LIMITS, KafkaPublisher, toPublishError } from '../kafka/producer';
import { closeAfterEach, kafkaForFile } from '../testing/lifecycle';
import { freezeOnFirstProduceAnswer } from '../testing/freeze-on-produce';
import { startSilentServer } from '../testing/peers/silent-server';
import { openTestEngine } from '../testing/engine';
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

// The fault suite, Kafka: a real broker (Apache Kafka 4, KRaft) that is killed and restarted mid-run,
// records at every size boundary, a topic whose max.message.bytes refuses one record of a request,
// and how kafkajs' errors are read. Read back with kcat.

const broker = kafkaForFile();
const closers = closeAfterEach();

let topics = 0;
async function setup(
  rows: { id: number; pad: string }[],
  topicConfig: Record<string, string> = {},
  partitions = 3,
  kafka?: KafkaMessageInput,
): Promise<{ engine: Engine; topic: string; db: Database }> {
  const t = await openTestEngine();
  const db = new BetterSqlite3(path.join(t.dir, 'rows.sqlite'));
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, pad TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
  db.transaction(() => rows.forEach((r) => insert.run(r.id, r.pad)))();
  closers.push(t.close, () => {
    db.close();
  });
  const topic = `faults-${++topics}`;
  await broker.peer.createTopic(topic, partitions, topicConfig);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: path.join(t.dir, 'rows.sqlite') });
  t.engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, pad FROM items', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [broker.peer.listeners.plaintext], topic });
  t.engine.catalog.putSync({
    name: 'to-kafka',
    model: 'items',
    destination: 'kafka',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "pad": {{ row.pad | json }}}' },
    ...(kafka ? { kafka } : {}),
  });
  return { engine: t.engine, topic, db };
}

/** A row whose record (minified JSON + the key, as Sluice counts it) is exactly `bytes` long. */
function rowOfSize(id: number, bytes: number): { id: number; pad: string } {
  const overhead = JSON.stringify({ id, pad: '' }).length + String(id).length;
  return { id, pad: 'x'.repeat(bytes - overhead) };
}

/** Key, value size, partition and offset of every message in the topic, read by kcat. */
function readBack(topic: string): { key: string; size: number; partition: number; offset: string }[] {
  return broker.peer
    .kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'fetch.message.max.bytes=4000000', '-f', '%k\\t%S\\t%p\\t%o\\n'])
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [key, size, partition, offset] = line.split('\t');
      return { key: key!, size: Number(size), partition: Number(partition), offset: offset! };
    });
}

/** Key, row id (from the JSON value), partition and offset of every message in the topic, read by kcat. */
function readValues(topic: string): { key: string; id: number; partition: number; offset: string }[] {
  return broker.peer
    .kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\\t%p\\t%o\\t%s\\n'])
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [key, partition, offset, value] = line.split('\t');
      return { key: key!, id: (JSON.parse(value!) as { id: number }).id, partition: Number(partition), offset: offset! };
    });
}

describe('fault suite: Kafka', () => {
  it('a record at every size boundary: those within the record limit are delivered (one too big for a shared request goes alone), the one past it is rejected; the run never hangs', async () => {
    const sizes = [
      KAFKA_LIMITS.maxBatchBytes - 1,
      KAFKA_LIMITS.maxBatchBytes,
      KAFKA_LIMITS.maxBatchBytes + 1,
      950 * 1024,
      KAFKA_LIMITS.maxRecordBytes - 1,
      KAFKA_LIMITS.maxRecordBytes,
      KAFKA_LIMITS.maxRecordBytes + 1,
    ];
    const rows = [...sizes.map((n, i) => rowOfSize(i + 1, n)), ...Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, pad: 'small' }))];
    const { engine, topic } = await setup(rows);
    const run = await engine.runSync('to-kafka');
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ acknowledged: rows.length - 1, failed: 1 });
    const back = readBack(topic);
    expect(back).toHaveLength(rows.length - 1);
    for (const [i, n] of sizes.slice(0, -1).entries()) expect(back.find((m) => m.key === String(i + 1))?.size).toBe(n - String(i + 1).length);
    const rejected = engine.ledger.search({ runId: run.id, status: 'rejected', limit: 10 }).entries;
    expect(rejected.map((e) => [e.key, e.errorCode])).toEqual([[String(sizes.length), 'RecordTooLarge']]);
    // Offsets in the ledger are where kcat found each record.
    for (const e of engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 100 }).entries) {
      const m = back.find((x) => x.key === e.key)!;
      expect({ partition: e.partition, offset: e.offset }).toEqual({ partition: m.partition, offset: m.offset });
    }
  }, 120_000);

  it('a record the topic refuses as too large (max.message.bytes) is isolated from its request: only it fails, every run and every retry', async () => {
    const rows = [...Array.from({ length: 300 }, (_, i) => ({ id: i + 1, pad: `good ${i}` })), rowOfSize(1000, 30_000)];
    const { engine, topic } = await setup(rows, { 'max.message.bytes': '20000' });
    const run = await engine.runSync('to-kafka');
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ acknowledged: 300, failed: 1 });
    const failed = engine.ledger.search({ runId: run.id, status: 'failed', limit: 10 }).entries;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ key: '1000', errorCode: 'MESSAGE_TOO_LARGE' });
    expect(failed[0]!.errorMessage).toMatch(/too large.*max\.message\.bytes/);
    let back = readBack(topic);
    expect(back).toHaveLength(300);
    expect(new Set(back.map((m) => m.key)).size).toBe(300); // no duplicates
    // Retrying the failed records sends only that one, and it fails alone again.
    const retry = await engine.runSync('to-kafka', { retryFailedOf: run.id });
    expect(retry.counts).toMatchObject({ acknowledged: 0, failed: 1, sent: 1 });
    back = readBack(topic);
    expect(back).toHaveLength(300);
  }, 120_000);

  it('the broker killed and restarted mid-run, three message keys shared by every row: retried with backoff until it is back; none fails, none lost, every offset in the ledger where kcat finds it, order per key kept, a record twice only where a request failed', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ id: i + 1, pad: `row ${i + 1}` }));
    // Hot keys: a request carries thousands of records of one key.
    const { engine, topic } = await setup(rows, {}, 3, { key: { kind: 'template', template: 'tenant-{{ row.id | modulo: 3 }}' } });
    // The broker hangs the moment it has answered the run's first Produce request, so the next request
    // is queued or on the wire when it is killed; then it is brought back.
    const freeze = freezeOnFirstProduceAnswer(broker.peer);
    closers.push(freeze.dispose);
    const { runId, done } = engine.runner.start('to-kafka', {});
    await waitFor(() => freeze.frozen, 60_000);
    await broker.peer.kill();
    await broker.peer.restart();
    const run = await done;
    const failed = engine.ledger.search({ runId, status: 'failed', limit: 20 }).entries.map((e) => `${e.errorCode}: ${e.errorMessage}`);
    expect({ status: run.status, error: run.error, failed }).toEqual({ status: 'succeeded', error: null, failed: [] });
    expect(run.counts).toMatchObject({ acknowledged: rows.length, failed: 0 });
    expect((await engine.runSync('to-kafka')).counts.sent).toBe(0); // nothing left over

    const acknowledged = engine.ledger.search({ runId, status: 'acknowledged', limit: 100_000 }).entries;
    expect(acknowledged.filter((e) => e.attempts > 1).length).toBeGreaterThan(0); // the restart was felt, and ridden out
    const back = readValues(topic);
    const copies = new Map<string, { partition: number; offset: bigint }[]>();
    for (const m of back) copies.set(String(m.id), [...(copies.get(String(m.id)) ?? []), { partition: m.partition, offset: BigInt(m.offset) }]);
    expect(copies.size).toBe(rows.length); // none lost
    // Every acknowledged offset holds its own record, and it is the record's last copy.
    const misplaced = acknowledged.filter((e) => {
      const list = copies.get(e.key) ?? [];
      const last = list.reduce((a, b) => (b.offset > a.offset ? b : a), list[0]!);
      return !last || last.partition !== e.partition || String(last.offset) !== e.offset;
    });
    expect(misplaced.map((e) => `${e.key} at ${e.partition}/${e.offset}`)).toEqual([]);
    // Per key (all of a key's records sit in one partition): the rows' last copies are in row order.
    for (const key of ['tenant-0', 'tenant-1', 'tenant-2']) {
      const ofKey = back.filter((m) => m.key === key).sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
      const ids = ofKey.map((m) => m.id);
      const lastCopies = ids.filter((id, i) => ids.lastIndexOf(id) === i);
      expect({
        key,
        inOrder: lastCopies.every((id, i) => i === 0 || lastCopies[i - 1]! < id),
        partitions: new Set(ofKey.map((m) => m.partition)).size,
      }).toEqual({ key, inOrder: true, partitions: 1 });
    }
    // No record twice — unless a request failed after the broker had written (part of) it: kafkajs then
    // takes the idempotent producer's sequence numbers back, the publisher goes on with a new producer
    // (a new producer id: one more InitProducerId) and those records are written again. Only records
    // that were retried can have a second copy.
    engine.recorder.flush();
    const producers = engine.apiCalls.list({ runId, operation: 'InitProducerId', status: 'ok' }, 0, 1000).total;
    const twice = [...copies].filter(([, list]) => list.length > 1).map(([key]) => key);
    if (producers <= 1) expect(twice).toEqual([]);
    const attempts = new Map(acknowledged.map((e) => [e.key, e.attempts]));
    expect(twice.filter((key) => (attempts.get(key) ?? 0) < 2)).toEqual([]);
    console.info(`Kafka restart: ${producers} producers, ${acknowledged.filter((e) => e.attempts > 1).length} records retried, ${twice.length} written twice`);
  }, 240_000);
});

describe('fault suite: kafkajs errors, as the runner sees them', () => {
  it('a refused connection wrapped in kafkajs’ non-retriable errors is retried and marked unreachable; a failed login is not retried', async () => {
    const { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSConnectionError, KafkaJSSASLAuthenticationError, KafkaJSProtocolError } =
      (await import('kafkajs')) as unknown as Record<string, new (...args: unknown[]) => Error>;
    const refused = new KafkaJSConnectionError!('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092', code: 'ECONNREFUSED' });
    for (const wrapped of [
      new KafkaJSNonRetriableError!(refused, { cause: refused }),
      new KafkaJSNumberOfRetriesExceeded!(refused, { retryCount: 2, retryTime: 300 }),
      refused,
    ]) {
      const e = toPublishError(wrapped);
      expect(e).toMatchObject({ retryable: true, unreachable: true });
    }
    const login = toPublishError(new KafkaJSSASLAuthenticationError!('SASL SCRAM SHA512 authentication failed: Authentication failed'));
    expect(login).toMatchObject({ retryable: false, unreachable: false });
    const leader = toPublishError(
      new KafkaJSNumberOfRetriesExceeded!(new KafkaJSProtocolError!({ message: 'not leader', type: 'NOT_LEADER_OR_FOLLOWER', code: 6, retriable: true }), {
        retryCount: 2,
        retryTime: 1,
      }),
    );
    expect(leader).toMatchObject({ code: 'NOT_LEADER_OR_FOLLOWER', retryable: true, unreachable: true }); // a broker back but not ready: the same time budget
  });

  it('cancelled while a hung broker holds its requests (frozen: connections open, nothing answered): the run ends cancelled about 2 s later, not at the 30 s request timeout; once the broker is back, the next run delivers every row', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ id: i + 1, pad: `row ${i + 1}` }));
    const { engine, topic } = await setup(rows);
    const controller = new AbortController();
    // The broker hangs once part of the run is acknowledged (its first Produce answered).
    const freeze = freezeOnFirstProduceAnswer(broker.peer);
    closers.push(freeze.dispose);
    const { runId, done } = engine.runner.start('to-kafka', { signal: controller.signal });
    await waitFor(() => freeze.frozen, 60_000);
    let resumed = false;
    try {
      // A request begun since the broker froze: on the wire, held. (Records sent and not yet counted
      // answered were not enough: on a loaded machine their answer, sent before the freeze, came after the cancel.)
      await waitFor(() => freeze.held > 0, 30_000);
      const cancelledAt = Date.now();
      controller.abort();
      const run = await done;
      const took = Date.now() - cancelledAt;
      broker.peer.resume();
      resumed = true;
      expect({ status: run.status, error: run.error }).toEqual({ status: 'cancelled', error: null });
      expect(took).toBeLessThan(10_000); // kafkajs waits 30 s for a request's answer
      // The requests given up are failed, never counted as delivered: the one on the wire (Kafka may have
      // written it; one request at a time goes to the broker) and those queued behind it (not sent).
      const failed = engine.ledger.search({ runId, status: 'failed', limit: 100_000 }).entries;
      expect(new Set(failed.map((e) => e.errorCode))).toEqual(new Set(['AbortError']));
      const onWire = failed.filter((e) => /^The run was cancelled before Kafka answered this request: Kafka may have written/.test(e.errorMessage ?? ''));
      const queued = failed.filter((e) => /^The run was cancelled before this request went to Kafka: its records were not sent/.test(e.errorMessage ?? ''));
      expect(onWire.length).toBeGreaterThan(0);
      expect(onWire.length).toBeLessThanOrEqual(KAFKA_LIMITS.maxBatchRecords);
      expect(onWire.length + queued.length).toBe(failed.length);
      // Counted and reported as not tried again (the cancel's doing), not as failed at the destination.
      expect(failed.every((e) => e.errorMessage?.endsWith(` ${NOT_TRIED_AGAIN}`))).toBe(true);
      expect({ failed: run.counts.failed, givenUp: run.counts.givenUp }).toEqual({ failed: failed.length, givenUp: failed.length });
      // The Debugger says so too, in the records' words (kafkajs failed it as "KafkaJSNumberOfRetriesExceeded: Connection error").
      engine.recorder.flush();
      const given = engine.apiCalls.list({ runId, operation: 'Produce', status: 'error' }, 0, 1000).calls;
      expect(given.length).toBeGreaterThan(0);
      for (const call of given)
        expect({ code: call.errorCode, message: call.errorMessage }).toEqual({ code: 'AbortError', message: withoutCancelNote(onWire[0]!.errorMessage) });
    } finally {
      if (!resumed) broker.peer.resume();
    }
    const next = await engine.runSync('to-kafka');
    expect({ status: next.status, error: next.error }).toEqual({ status: 'succeeded', error: null });
    const ids = new Set(readValues(topic).map((m) => m.id));
    expect(ids.size).toBe(rows.length); // none lost
  }, 180_000);

  it('an address that accepts the connection and never answers (a black hole, not a Kafka listener): retried as out of reach, in words that say what to check', async () => {
    const { port, close } = await startSilentServer();
    closers.push(close);
    const error = await sendOneRecordTo(port, { requestTimeout: 500, connectionTimeout: 500 });
    // It was a plain Error("Broker not connected"), not retried: the run failed at once saying only that.
    expect(error).toMatchObject({ code: 'KafkaJSConnectionError', retryable: true, unreachable: true });
    expect((error as Error).message).toMatch(
      /did not answer Kafka's first request \(ApiVersions\) in time: it may be hung or overloaded \(if it answered before\), or this address is no Kafka listener, or it expects TLS or SASL/,
    );
  });

  it('an address where another service listens (an HTTP server: it answers 400 and hangs up): not retried, in words that say what answered', async () => {
    const server = http.createServer((_req, res) => res.end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const error = await sendOneRecordTo(port, { requestTimeout: 2000, connectionTimeout: 1000 });
    // It said only "Closed connection", and was retried as a broker out of reach.
    expect(error).toMatchObject({ code: 'NotKafkaAnswer', retryable: false, unreachable: false });
    expect((error as Error).message).toMatch(
      /answered in something other than Kafka’s protocol \(its answer began "HTTP\/1\.1 400 Bad Request"\), an HTTP server/,
    );
  });

  it('an address that hangs up on a request without a word (a broker restarting): retried as out of reach, in words that say what to check', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.destroy())).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const error = await sendOneRecordTo(port, { requestTimeout: 2000, connectionTimeout: 1000 });
    // It said only "Closed connection".
    expect(error).toMatchObject({ retryable: true, unreachable: true });
    expect((error as Error).message).toMatch(
      /closed the connection on a request.*no Kafka listener \(another service, such as an HTTP server\), or it expects TLS or SASL/,
    );
  });
});

/** What a publisher's send of one record to 127.0.0.1:`port` fails with (undefined if it went). */
async function sendOneRecordTo(port: number, timeouts: { requestTimeout: number; connectionTimeout: number }): Promise<unknown> {
  const publisher = new KafkaPublisher({ brokers: [`127.0.0.1:${port}`], ...timeouts, retry: { retries: 1, initialRetryTime: 50 } }, 'none');
  closers.push(() => publisher.close());
  const record = {
    kind: 'kafka' as const,
    seq: 1,
    key: '1',
    event: 'added' as const,
    data: Buffer.from('{}'),
    partitionKey: 'k',
    kafka: { topic: 't', key: 'k', partition: null, headers: {} },
  };
  return publisher.send([record]).then(
    () => undefined,
    (e: unknown) => e,
  );
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
