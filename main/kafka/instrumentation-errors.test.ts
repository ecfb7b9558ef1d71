import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { callChannel } from '../testing/call-channel';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { KafkaCallRecorder } from './instrumentation';
import type { RecordedCall } from '../recorder/types';

// Errors a Kafka broker answers are recorded as errors (issue 15, item 8): a refused SCRAM login, a
// Metadata request for a topic that does not exist, a CreateTopics for one that does, a Produce the
// broker refuses. Against the real broker of main/testing/peers/kafka.ts.

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
  await kafka.createTopic('small-messages', 1, { 'max.message.bytes': '2000' });
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A sink that keeps what it is given. */
function collectingSink() {
  const calls: RecordedCall[] = [];
  return {
    calls,
    record: (call: RecordedCall) => void calls.push(call),
    /** The first call matching, failing the test when there is none. */
    find(what: string, match: (c: RecordedCall) => boolean): RecordedCall {
      const found = calls.find(match);
      if (!found) throw new Error(`No ${what} was recorded; recorded: ${calls.map((c) => `${c.operation} ${c.status}`).join(', ')}`);
      return found;
    },
  };
}

interface KafkaAnswer {
  errors: { code: number; type: string; message: string; topic?: string; partition?: number }[];
}

describe('errors a Kafka broker answers', () => {
  it('records a refused SCRAM login as an error with the broker’s text, which the errors-only filter finds', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { engine } = t;
    await engine.secrets.save('wrong-password', 'not-the-scram-password');
    engine.catalog.putDestination({
      kind: 'kafka',
      name: 'refused',
      brokers: [kafka.listeners.saslSsl],
      auth: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: { keychain: 'wrong-password' } },
      tls: { enabled: true, caPem: kafka.pki.caPem },
      topic: 'small-messages',
    });
    const test = await callChannel(engine, 'testDestination', { destination: 'refused' });
    expect(test.ok).toBe(false);
    expect(test.steps.find((s) => s.step === 'Authentication')).toMatchObject({ status: 'failed' });

    const all = await callChannel(engine, 'listApiCalls', { context: 'connection-test', operation: 'SaslAuthenticate' });
    // SCRAM takes two rounds: the server's first message (answered), then the proof it refuses.
    expect(all.calls.map((c) => c.status)).toEqual(['ok', 'error']);
    const refused = all.calls[1]!;
    expect(refused).toMatchObject({ service: 'kafka', isError: true, errorCode: 'SASL_AUTHENTICATION_FAILED', target: kafka.listeners.saslSsl });
    // The broker's own words, not kafkajs' generic text.
    expect(refused.errorMessage).toMatch(/invalid credentials with SASL mechanism SCRAM-SHA-512/);
    const errors = await callChannel(engine, 'listApiCalls', { context: 'connection-test', errorsOnly: true });
    expect(errors.calls.map((c) => c.id)).toContain(refused.id);
    expect(errors.calls.every((c) => c.isError)).toBe(true);
    // The handshake before it succeeded: not an error.
    const handshake = await callChannel(engine, 'listApiCalls', { context: 'connection-test', operation: 'SaslHandshake' });
    expect(handshake.calls.length).toBeGreaterThan(0);
    expect(handshake.calls.every((c) => c.status === 'ok' && !c.isError)).toBe(true);

    const detail = await callChannel(engine, 'getApiCall', { id: refused.id });
    expect((detail.response as KafkaAnswer).errors[0]).toMatchObject({ code: 58, type: 'SASL_AUTHENTICATION_FAILED' });
    // The connection's security settings are kept for “Copy as kcat command”, never the password.
    expect(detail.transport).toMatchObject({
      security: { tls: true, ca: true, sasl: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username } },
    });
    expect(JSON.stringify(detail)).not.toContain('not-the-scram-password');
  });

  it('records Metadata with a topic error, CreateTopics for a topic that exists and a Produce the broker refuses as errors', async () => {
    const sink = collectingSink();
    const recorder = new KafkaCallRecorder(sink, [kafka.listeners.plaintext]);
    const client = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = client.admin();
    const producer = client.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    recorder.watchAdmin(admin);
    recorder.watchProducer(producer);
    await Promise.all([admin.connect(), producer.connect()]);
    closers.push(
      () => admin.disconnect(),
      () => producer.disconnect(),
    );

    await expect(admin.fetchTopicMetadata({ topics: ['no-such-topic'] })).rejects.toThrow();
    // The answer is recorded before the request's promise settles.
    const metadata = sink.find('Metadata error', (c) => c.operation === 'Metadata' && c.status === 'error');
    expect(metadata).toMatchObject({ errorCode: 'UNKNOWN_TOPIC_OR_PARTITION', target: kafka.listeners.plaintext });
    expect((metadata.response as KafkaAnswer).errors[0]).toMatchObject({ code: 3, topic: 'no-such-topic' });

    expect(await admin.createTopics({ topics: [{ topic: 'small-messages' }] })).toBe(false);
    const create = sink.find('CreateTopics', (c) => c.operation === 'CreateTopics');
    expect(create).toMatchObject({ status: 'error', errorCode: 'TOPIC_ALREADY_EXISTS' });
    expect(create.errorMessage).toMatch(/small-messages/);

    // The topic takes at most 2,000 bytes per batch: the broker refuses the partition's records.
    const attempt = recorder.beginProduce('small-messages', -1, 'none', [{ partition: 0, value: 'x'.repeat(5000) }]);
    const err = await producer.send({ topic: 'small-messages', messages: [{ partition: 0, value: 'x'.repeat(5000) }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    recorder.endProduce(attempt, undefined, err);
    const produce = sink.find('Produce', (c) => c.operation === 'Produce');
    expect(produce).toMatchObject({ status: 'error', errorCode: 'MESSAGE_TOO_LARGE', failedRecords: 1 });
    // Each Produce request's answer is kept with the request.
    expect(produce.transport).toMatchObject({ requests: [{ errors: [{ type: 'MESSAGE_TOO_LARGE', partition: 0 }] }] });

    // Answers without an error stay `ok`.
    expect(sink.calls.filter((c) => c.operation === 'ApiVersions').every((c) => c.status === 'ok' && !c.errorCode)).toBe(true);
  });
});
