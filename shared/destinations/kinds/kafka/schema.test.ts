import { describe, expect, it } from 'vitest';
import { brokerPortProblem, KafkaDestinationSchema } from './schema';

const brokerIssue = (broker: string) => {
  const r = KafkaDestinationSchema.safeParse({ kind: 'kafka', name: 'k', brokers: [broker] });
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('a Kafka destination’s brokers', () => {
  it('takes host:port', () => {
    for (const ok of ['localhost:9092', '127.0.0.1:1', 'b-1.cluster.kafka.eu-west-1.amazonaws.com:9098', 'my_broker:65535']) expect(brokerIssue(ok)).toBeNull();
  });

  it('refuses an IPv6 address and a listener URL saying why, and anything not host:port', () => {
    for (const v6 of ['[::1]:9092', '::1:9092'])
      expect(brokerIssue(v6)![0]).toMatch(/^brokers\.0: A broker is host:port; an IPv6 address cannot be written here/);
    expect(brokerIssue('SASL_SSL://host:9092')).toEqual([
      'brokers.0: A broker is host:port, without a protocol (write host:9092, not SASL_SSL://host:9092; TLS and SASL are set under tls and auth)',
    ]);
    for (const bad of ['no-port', 'host:', ':9092', 'two words:9092', 'host:port']) expect(brokerIssue(bad)).toEqual(['brokers.0: A broker is host:port']);
  });

  it('a port out of 1-65535 is a problem when the destination is used, not when a saved one is read (one saved so must still list, to be fixed)', () => {
    expect(brokerIssue('127.0.0.1:99999')).toBeNull();
    expect(brokerPortProblem('127.0.0.1:99999')).toBe('The broker 127.0.0.1:99999 has no valid port: a port is 1 to 65535');
    expect(brokerPortProblem('127.0.0.1:0')).toBe('The broker 127.0.0.1:0 has no valid port: a port is 1 to 65535');
    expect(brokerPortProblem('localhost:9092')).toBeNull();
  });
});
