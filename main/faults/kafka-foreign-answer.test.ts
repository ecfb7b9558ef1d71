import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { testDestination } from '../destinations/connection-test';
import { notKafkaWords } from '../kafka/answer-check';
import { engineToKafkaAt } from '../testing/kafka-items-engine';
import { closeAfterEach } from '../testing/lifecycle';

// The fault suite, a Kafka destination whose address answers in another protocol and keeps the
// connection open (an HTTP server, a TLS listener reached without TLS): kafkajs read the answer's first
// bytes as the size of a Kafka answer ("HTTP" as 1.2 GB) and waited for the rest until its request
// timeout (30 s), then said the broker had not answered in time. A run now stops at once, saying what answered.

const closers = closeAfterEach();
const HTTP_ANSWER = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n';
/** A TLS record: alert, TLS 1.2, 2 bytes, fatal, unexpected_message. */
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a]);

/** A TCP server on 127.0.0.1 answering every chunk it gets with `answer`, never hanging up. */
async function foreignServer(answer: string | Buffer): Promise<number> {
  const held: net.Socket[] = [];
  const server = net.createServer((socket) => {
    held.push(socket);
    socket.on('data', () => socket.write(answer));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise<void>((resolve) => (held.forEach((s) => s.destroy()), server.close(() => resolve()))));
  return (server.address() as net.AddressInfo).port;
}

describe('fault suite: a Kafka address that answers in another protocol', () => {
  // Without the check, each attempt waits out kafkajs' 30 s request timeout: this test's own timeout fails it.
  it('an HTTP server that answers 400 and keeps the connection: the run stops at once saying an HTTP server answered, nothing sent, the rows still to send', async () => {
    const port = await foreignServer(HTTP_ANSWER);
    const engine = (await engineToKafkaAt(port, closers)).engine;
    const run = await engine.runSync('out');
    expect(run.status).toBe('failed');
    expect(run.error).toContain(
      `NotKafkaAnswer: 127.0.0.1:${port} answered in something other than Kafka’s protocol (its answer began "HTTP/1.1 400 Bad Request"), an HTTP server: this address is no Kafka listener`,
    );
    expect(run.counts.acknowledged).toBe(0);
    // Nothing delivered: the next run sends both rows again.
    const plan = await engine.runSync('out', { dryRun: true });
    expect(plan.counts.added).toBe(2);
  }, 20_000);

  it('a TLS listener reached without TLS: the connection test says TLS is expected', async () => {
    const port = await foreignServer(TLS_ALERT);
    const engine = (await engineToKafkaAt(port, closers)).engine;
    const test = await testDestination(engine.catalog.getDestination('kafka'), engine.secretResolver, engine.sandbox);
    expect(test.ok).toBe(false);
    const failed = test.steps.find((s) => s.status === 'failed');
    expect(failed).toMatchObject({ step: 'Authentication' });
    expect(failed?.detail).toBe(
      `127.0.0.1:${port} answered in something other than Kafka’s protocol (its answer began "\\x15\\x03\\x03\\x00\\x02\\x02\\x0a"), a TLS alert: this listener expects TLS (turn TLS on for this destination, or use the plaintext listener’s port)`,
    );
  }, 20_000);

  it("says another service's answer as printable text, cut at its first line's end", () => {
    expect(notKafkaWords('db:22', Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian\r\n'))).toBe(
      'db:22 answered in something other than Kafka’s protocol (its answer began "SSH-2.0-OpenSSH_9.2p1 Debian"), another service: this address is no Kafka listener (check the host and port), or it expects TLS or SASL',
    );
  });
});
