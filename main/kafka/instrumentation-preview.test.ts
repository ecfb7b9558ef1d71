import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { REDACTED } from '../secrets/redactor';
import { KafkaCallRecorder } from './instrumentation';
import { PREVIEW_CHARS } from '../recorder/summarise';

// What a recorded Produce keeps of each message's key and headers (a real broker, a real producer):
// short text, Buffer values decoded, credential and secret-named headers blanked.

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});

describe('Kafka Produce previews', () => {
  it('summarise keys and headers: truncated, Buffers as text, secret headers blanked', async () => {
    const t = await openTestEngine();
    const producer = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).producer();
    try {
      await kafka.createTopic('previews', 1);
      await producer.connect();
      const calls = new KafkaCallRecorder(t.engine.recorder.scope({ runId: null, context: 'connection-test', destination: 'k' }), [kafka.listeners.plaintext]);
      calls.watchProducer(producer);
      const messages = [
        {
          key: 'k'.repeat(5000),
          value: '{"id":1}',
          headers: {
            'content-type': Buffer.from('application/json'),
            'x-api-password': 'hunter2',
            authorization: 'Bearer abc',
            trace: ['a', Buffer.from('b')],
          },
        },
      ];
      const attempt = calls.beginProduce('previews', -1, 'none', messages);
      calls.endProduce(attempt, await producer.send({ topic: 'previews', messages }));
      t.engine.recorder.flush();
      const row = t.engine.db.prepare(`SELECT request FROM api_calls WHERE operation = 'Produce'`).get() as { request: string };
      const first = (JSON.parse(row.request) as { messages: { first: { key: string; headers: Record<string, unknown> }[] } }).messages.first[0]!;
      expect(first.key.length).toBeLessThanOrEqual(PREVIEW_CHARS + 1);
      expect(first.key.endsWith('…')).toBe(true);
      expect(first.headers).toEqual({ 'content-type': 'application/json', 'x-api-password': REDACTED, authorization: REDACTED, trace: 'a, b' });
      expect(row.request).not.toContain('hunter2');
      expect(row.request).not.toContain('"type":"Buffer"');
    } finally {
      await producer.disconnect();
      await t.close();
    }
  });
});
