import { describe, expect, it } from 'vitest';
import { KafkaDestinationSchema } from './schema';

const brokerIssue = (broker: string) => {
  const r = KafkaDestinationSchema.safeParse({ kind: 'kafka', name: 'k', brokers: [broker] });
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('a Kafka destination’s brokers', () => {
  it('takes host:port with a port of 1 to 65535', () => {
    for (const ok of ['localhost:9092', '127.0.0.1:1', 'b-1.cluster.kafka.eu-west-1.amazonaws.com:9098', 'broker:65535']) expect(brokerIssue(ok)).toBeNull();
  });

  it('refuses a port out of range at its place, in words (it reached the connection test as Node’s RangeError)', () => {
    expect(brokerIssue('127.0.0.1:99999')).toEqual(["brokers.0: The port 99999 is not a port: a broker's port is 1 to 65535"]);
    expect(brokerIssue('127.0.0.1:0')).toEqual(["brokers.0: The port 0 is not a port: a broker's port is 1 to 65535"]);
  });

  it('refuses an IPv6 address saying why (the client cannot reach one), and anything not host:port', () => {
    for (const v6 of ['[::1]:9092', '::1:9092'])
      expect(brokerIssue(v6)![0]).toMatch(/^brokers\.0: A broker is host:port; an IPv6 address cannot be written here/);
    for (const bad of ['no-port', 'host:', ':9092', 'two words:9092', 'host:port']) expect(brokerIssue(bad)).toEqual(['brokers.0: A broker is host:port']);
  });
});
