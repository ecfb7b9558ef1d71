import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafka, type KafkaPeer } from './kafka';

// Smoke tests of the real broker the suite runs: every auth mode produces, kcat reads back, and the
// broker's own errors come through for a wrong password, an untrusted certificate and a missing topic.
let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});

async function produce(config: Omit<KafkaConfig, 'logLevel'>, topic: string, key: string, value: string): Promise<void> {
  const producer = new Kafka({ ...config, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 5000 }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  } finally {
    await producer.disconnect();
  }
}

function readBack(topic: string): string[] {
  return kafka.kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n']).split('\n').filter(Boolean);
}

describe('Apache Kafka test broker', () => {
  const modes: [string, () => Omit<KafkaConfig, 'logLevel'>][] = [
    ['no auth (PLAINTEXT)', () => ({ brokers: [kafka.listeners.plaintext] })],
    ['SASL PLAIN', () => ({ brokers: [kafka.listeners.saslPlaintext], sasl: { mechanism: 'plain', ...kafka.users.plain } })],
    ['SCRAM-SHA-256', () => ({ brokers: [kafka.listeners.saslPlaintext], sasl: { mechanism: 'scram-sha-256', ...kafka.users.scram256 } })],
    ['SCRAM-SHA-512', () => ({ brokers: [kafka.listeners.saslPlaintext], sasl: { mechanism: 'scram-sha-512', ...kafka.users.scram512 } })],
    ['TLS with the throwaway CA', () => ({ brokers: [kafka.listeners.ssl], ssl: { ca: [kafka.pki.caPem] } })],
    [
      'SCRAM-SHA-512 over TLS',
      () => ({ brokers: [kafka.listeners.saslSsl], ssl: { ca: [kafka.pki.caPem] }, sasl: { mechanism: 'scram-sha-512', ...kafka.users.scram512 } }),
    ],
    ['SASL PLAIN over TLS', () => ({ brokers: [kafka.listeners.saslSsl], ssl: { ca: [kafka.pki.caPem] }, sasl: { mechanism: 'plain', ...kafka.users.plain } })],
    [
      'TLS with a client certificate',
      () => ({ brokers: [kafka.listeners.mtls], ssl: { ca: [kafka.pki.caPem], cert: kafka.pki.clientCertPem, key: kafka.pki.clientKeyPem } }),
    ],
  ];

  it.each(modes)('produces with %s and kcat reads it back', async (name, config) => {
    const topic = `smoke-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    await kafka.createTopic(topic);
    await produce(config(), topic, 'k1', `hello via ${name}`);
    expect(readBack(topic)).toEqual([`k1=hello via ${name}`]);
  });

  it('refuses a wrong SCRAM password with the broker’s own error', async () => {
    await expect(
      produce(
        { brokers: [kafka.listeners.saslPlaintext], sasl: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: 'wrong' } },
        'x',
        'k',
        'v',
      ),
    ).rejects.toThrow(/SASL SCRAM SHA512 authentication failed.*invalid credentials/is);
  });

  it('refuses a wrong PLAIN password with the broker’s own error', async () => {
    await expect(
      produce(
        { brokers: [kafka.listeners.saslPlaintext], sasl: { mechanism: 'plain', username: kafka.users.plain.username, password: 'wrong' } },
        'x',
        'k',
        'v',
      ),
    ).rejects.toThrow(/SASL PLAIN authentication failed.*Invalid username or password/is);
  });

  it('fails TLS against a certificate the client does not trust', async () => {
    await expect(produce({ brokers: [kafka.listeners.ssl], ssl: true }, 'x', 'k', 'v')).rejects.toThrow(/self[- ]signed certificate in certificate chain/i);
  });

  it('requires the client certificate on the mutual-TLS listener', async () => {
    await expect(produce({ brokers: [kafka.listeners.mtls], ssl: { ca: [kafka.pki.caPem] } }, 'x', 'k', 'v')).rejects.toThrow();
  });

  it('does not create topics automatically: producing to a missing topic fails', async () => {
    await expect(produce({ brokers: [kafka.listeners.plaintext] }, 'no-such-topic', 'k', 'v')).rejects.toThrow(/does not host this topic-partition/);
  });
});
