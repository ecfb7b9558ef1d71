import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { kafkaForFile } from '../testing/lifecycle';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { LOCAL_AWS_CREDENTIALS } from '../testing/peers/kinesis';
import { startSilentServer } from '../testing/peers/silent-server';
import { TEST_RECORD_WAIT_MS } from '../../shared/ipc/channels/streams';

// "Send test record" to a destination that never answers: a broker stopped with SIGSTOP (its TCP
// connections open, nothing answered) or an endpoint that takes the connection and says nothing. The
// wait is bounded (TEST_RECORD_WAIT_MS, then an error naming the destination), and the caller's cancel
// (`cancelTestRecord`, by the attempt id it sent) gives it up at once; neither leaves a trace as if
// the record had landed: no snapshot, run or ledger entry, and the Debugger's calls are failures.

const kafka = kafkaForFile();
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let t: Awaited<ReturnType<typeof openTestEngine>>;

beforeAll(async () => {
  [silent, t] = await Promise.all([startSilentServer(), openTestEngine()]);
  await kafka.peer.createTopic('people', 1);
  const e = t.engine;
  await e.secrets.save('local-aws', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  const { file, db } = createPeopleDb(t.dir, 5);
  db.close();
  e.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  e.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  e.catalog.putDestination({ kind: 'kafka', name: 'cluster', brokers: [kafka.peer.listeners.plaintext], topic: 'people' });
  e.catalog.putDestination({ kind: 'kafka', name: 'black-hole', brokers: [`127.0.0.1:${silent.port}`], topic: 'people' });
  e.catalog.putDestination({
    kind: 'kinesis',
    name: 'silent-stream',
    stream: 'people',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${silent.port}`,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'local-aws' } },
  });
  const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };
  for (const [name, destination] of [
    ['to-kafka', 'cluster'],
    ['to-black-hole', 'black-hole'],
    ['to-silent-stream', 'silent-stream'],
  ] as const)
    e.catalog.putSync({ name, model: 'people', destination, triggers: ['added'], initialSync: 'backfill', payload });
}, 300_000);
afterAll(async () => {
  kafka.peer.resume();
  await Promise.all([silent?.close(), t?.close()]);
});

const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);
const send = (sync: string, attempt?: string) =>
  call('sendTestRecord', { sync, payload: { mode: 'template', template: '{"id": {{ row.id }}}' }, key: '1', ...(attempt ? { attempt } : {}) });

/** What the test records left: no run, snapshot or ledger entry; the Debugger's test-record calls, none of them a success. */
function traces(destination: string) {
  t.engine.recorder.flush();
  const n = (sql: string, ...args: unknown[]) => (t.engine.db.prepare(sql).get(...args) as { n: number }).n;
  return {
    runs: n('SELECT COUNT(*) AS n FROM runs'),
    snapshot: n('SELECT COUNT(*) AS n FROM snapshot'),
    ledger: n('SELECT COUNT(*) AS n FROM ledger'),
    succeeded: n("SELECT COUNT(*) AS n FROM api_calls WHERE context = 'test-record' AND destination = ? AND is_error = 0", destination),
  };
}

/** The errors of the Debugger's test-record calls to a destination. */
function said(destination: string): string[] {
  t.engine.recorder.flush();
  const rows = t.engine.db.prepare("SELECT error_message FROM api_calls WHERE context = 'test-record' AND destination = ?").all(destination) as {
    error_message: string | null;
  }[];
  return rows.map((r) => r.error_message ?? '');
}

/** A send given up by `cancelTestRecord` once the silent server holds its connection: how long the cancel took, and the answer. */
async function cancelOnceConnected(sync: string, attempt: string) {
  const before = silent.accepted();
  const sending = failure(send(sync, attempt));
  await vi.waitFor(() => expect(silent.accepted()).toBeGreaterThan(before), { timeout: 10_000, interval: 20 });
  const cancelledAt = performance.now();
  expect(await call('cancelTestRecord', { attempt })).toEqual({ cancelled: true });
  const error = await sending;
  return { error, tookMs: performance.now() - cancelledAt };
}

describe('a test record to a destination that does not answer', () => {
  it('Kafka that takes the connection and never answers: Cancel gives it up at once, as cancelled, and nothing shows as landed', async () => {
    const { error, tookMs } = await cancelOnceConnected('to-black-hole', 'kafka-1');
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/^Cancelled: the test record to black-hole was given up before Kafka \(127\.0\.0\.1:\d+\) answered/);
    expect(tookMs).toBeLessThan(3000);
    // It has ended: a second cancel finds nothing, and the id can be used again.
    expect(await call('cancelTestRecord', { attempt: 'kafka-1' })).toEqual({ cancelled: false });
    expect(traces('black-hole')).toEqual({ runs: 0, snapshot: 0, ledger: 0, succeeded: 0 });
    // The Debugger says why its connection failed: the test record's cancel (not "the run was cancelled").
    expect(said('black-hole')).toContain('Connection error: the test record was cancelled');
  }, 30_000);

  it('a Kinesis endpoint that never answers: Cancel gives it up at once, as cancelled', async () => {
    const { error, tookMs } = await cancelOnceConnected('to-silent-stream', 'kinesis-1');
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/^Cancelled: the test record to silent-stream was given up before Kinesis stream people answered/);
    expect(tookMs).toBeLessThan(3000);
    expect(traces('silent-stream')).toEqual({ runs: 0, snapshot: 0, ledger: 0, succeeded: 0 });
  }, 30_000);

  it(
    'a hung Kafka broker (SIGSTOP): given up after TEST_RECORD_WAIT_MS with an error naming the broker; sent again once it goes on',
    async () => {
      // The broker answers first (the topic is there): then it hangs.
      expect((await send('to-kafka')).landed).toMatchObject({ kind: 'kafka', topic: 'people' });
      await kafka.peer.pause(); // every broker thread stopped: until then it may still answer
      const started = performance.now();
      let error;
      try {
        error = await failure(send('to-kafka'));
      } finally {
        kafka.peer.resume();
      }
      const tookMs = performance.now() - started;
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain(
        `No answer from Kafka (${kafka.peer.listeners.plaintext}) within ${TEST_RECORD_WAIT_MS / 1000} s, so the test record to cluster was given up.`,
      );
      expect(error.message).toContain('Check that the broker is running');
      expect(tookMs).toBeGreaterThanOrEqual(TEST_RECORD_WAIT_MS - 100);
      expect(tookMs).toBeLessThan(TEST_RECORD_WAIT_MS + 5000);
      expect(traces('cluster')).toMatchObject({ runs: 0, snapshot: 0, ledger: 0 });
      expect(said('cluster')).toContain(`Connection error: the test record had no answer within ${TEST_RECORD_WAIT_MS / 1000} s`);
      // The broker goes on: the next test record lands.
      expect((await send('to-kafka')).readBack.match).toBe(true);
    },
    TEST_RECORD_WAIT_MS + 40_000,
  );

  it(
    'a silent Kinesis endpoint: given up after TEST_RECORD_WAIT_MS, naming the stream',
    async () => {
      const started = performance.now();
      const error = await failure(send('to-silent-stream'));
      expect(error.code).toBe('unavailable');
      expect(error.message).toMatch(/^No answer from Kinesis stream people within \d+ s, so the test record to silent-stream was given up/);
      expect(performance.now() - started).toBeLessThan(TEST_RECORD_WAIT_MS + 5000);
    },
    TEST_RECORD_WAIT_MS + 10_000,
  );

  it('an attempt id already waiting is refused; an unknown one cancels nothing', async () => {
    const first = failure(send('to-black-hole', 'twice'));
    await vi.waitFor(async () => expect((await failure(send('to-black-hole', 'twice'))).code).toBe('conflict'), { timeout: 5000, interval: 20 });
    expect(await call('cancelTestRecord', { attempt: 'twice' })).toEqual({ cancelled: true });
    expect((await first).code).toBe('cancelled');
    expect(await call('cancelTestRecord', { attempt: 'never-sent' })).toEqual({ cancelled: false });
  }, 30_000);
});
