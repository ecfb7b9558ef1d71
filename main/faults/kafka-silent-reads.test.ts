import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callChannel, callChannelOrThrowWire, failure } from '../testing/call-channel';
import { engineToKafkaAt } from '../testing/kafka-items-engine';
import { closeAfterEach } from '../testing/lifecycle';
import { startSilentServer } from '../testing/peers/silent-server';

// The fault suite, a Kafka destination whose address accepts the connection and never answers (a black
// hole, a hung broker, no Kafka listener): runs, dry runs and the connection test said so in words, but
// the inspector, capture, the routing preview and the wizard's topic step said kafkajs' own "Broker not
// connected" (the inspector's read as an unexpected error), after 16 to 34 s.

const closers = closeAfterEach();
const NO_ANSWER =
  "The broker accepted the connection but did not answer Kafka's first request (ApiVersions) in time: it may be hung or overloaded (if it answered before), or this address is no Kafka listener, or it expects TLS or SASL";

async function engineToSilentKafka() {
  const silent = await startSilentServer();
  closers.push(silent.close);
  return { ...(await engineToKafkaAt(silent.port, closers)), port: silent.port };
}

describe('fault suite: a Kafka address that accepts the connection and never answers', () => {
  it('the inspector: listing topics and reading records fail as out of reach, in the words a run uses', async () => {
    const { engine, port } = await engineToSilentKafka();
    const [targets, read] = await Promise.all([
      failure(callChannelOrThrowWire(engine, 'inspectTargets', { destination: 'kafka' })),
      failure(callChannelOrThrowWire(engine, 'inspectRead', { destination: 'kafka', limit: 10 })),
    ]);
    // Both said "Broker not connected"; the read as an unexpected error.
    expect(targets).toMatchObject({ code: 'unavailable', message: `Could not list its topics on 127.0.0.1:${port}: ${NO_ANSWER}` });
    expect(read).toMatchObject({ code: 'unavailable', message: `Could not read items on 127.0.0.1:${port}: ${NO_ANSWER}` });
  }, 60_000);

  it('capture: fails in the words a run uses, nothing captured', async () => {
    const { engine, port, dir } = await engineToSilentKafka();
    const started = await callChannel(engine, 'startCapture', { destination: 'kafka', file: path.join(dir, 'c.ndjson'), mode: 'until-caught-up' });
    const ended = async () => (await callChannel(engine, 'listCaptures', {})).find((c) => c.id === started.id && c.state !== 'running');
    let status = await ended();
    for (const deadline = Date.now() + 50_000; !status && Date.now() < deadline; status = await ended()) await new Promise((r) => setTimeout(r, 200));
    // It said "Broker not connected".
    expect(status).toMatchObject({ state: 'failed', captured: 0, error: `Could not read items on 127.0.0.1:${port}: ${NO_ANSWER}` });
  }, 60_000);

  it('the routing preview: its problem in the words a run uses, in the connection test’s time', async () => {
    const { engine, port } = await engineToSilentKafka();
    const asked = Date.now();
    const preview = await callChannel(engine, 'previewRouting', { sync: 'out', rows: { mode: 'first', count: 2 } });
    // It said "Error: Broker not connected" after 34 s (kafkajs' 30 s request timeout); then without the broker's address.
    expect(preview.problem).toBe(`Could not read the topics' partitions on 127.0.0.1:${port}: ${NO_ANSWER}`);
    expect(Date.now() - asked).toBeLessThan(25_000);
  }, 60_000);
  it('a dry run: fails in the words a run uses, naming the broker, in the routing preview’s time (not succeeded after 31 s)', async () => {
    const { engine, port } = await engineToSilentKafka();
    const asked = Date.now();
    const dry = await engine.runSync('out', { dryRun: true });
    // It said "succeeded" after 31 s, with only a note that no record was placed.
    expect({ status: dry.status, error: dry.error }).toEqual({
      status: 'failed',
      error: `Could not read the topics' partitions on 127.0.0.1:${port}: ${NO_ANSWER}`,
    });
    expect(Date.now() - asked).toBeLessThan(20_000);
  }, 60_000);
  it('the wizard’s topic: creating it and reading its status fail as out of reach, in the words a run uses', async () => {
    const { engine, port } = await engineToSilentKafka();
    const draft = { kind: 'kafka' as const, name: 'new', brokers: [`127.0.0.1:${port}`] };
    const asked = Date.now();
    const [created, status] = await Promise.all([
      failure(callChannelOrThrowWire(engine, 'createStream', { draft, create: { kind: 'kafka', topic: 'orders', partitions: 1, replicationFactor: 1 } })),
      failure(callChannelOrThrowWire(engine, 'streamStatus', { draft, name: 'orders' })),
    ]);
    // Both said "Broker not connected".
    expect(created).toMatchObject({ code: 'unavailable', message: `Could not create the topic "orders" on 127.0.0.1:${port}: ${NO_ANSWER}` });
    expect(status).toMatchObject({ code: 'unavailable', message: `Could not read the topic "orders" on 127.0.0.1:${port}: ${NO_ANSWER}` });
    // Said after the connection test's 10 s (WAITED_ON_REQUEST_TIMEOUT_MS), as the other reads a person waits on: it took 15 s.
    expect(Date.now() - asked).toBeLessThan(13_000);
  }, 60_000);
});
