import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTest } from '../../shared/config/connection-test';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';
import { startKafkaCluster, type KafkaClusterPeer } from '../testing/peers/kafka';

// A three-broker Kafka cluster on loopback (peers/kafka.ts startKafkaCluster): the connection test
// checks every broker of the bootstrap list and the cluster's own metadata, and a broker that is down
// — the first of the list — is a warning, not a silent pass; a sync still delivers through the others.

let cluster: KafkaClusterPeer;
beforeAll(async () => {
  cluster = await startKafkaCluster();
  await cluster.createTopic('orders', 3);
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
});
const closers = closeAfterEach();

async function setup(rows: number) {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, rows);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'cluster', brokers: [...cluster.brokers], topic: 'orders' });
  t.engine.catalog.putSync({
    name: 'to-cluster',
    model: 'people',
    destination: 'cluster',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return t.engine;
}

const step = (r: ConnectionTest, name: ConnectionTest['steps'][number]['step']) => r.steps.find((s) => s.step === name)!;

function readIds(): number[] {
  return cluster
    .kcat(['-C', '-t', 'orders', '-o', 'beginning', '-e', '-q', '-f', '%s\\n'])
    .split('\n')
    .filter(Boolean)
    .map((v) => (JSON.parse(v) as { id: number }).id)
    .sort((a, b) => a - b);
}

describe('a three-broker Kafka cluster', () => {
  it('all brokers up: every step passes, each broker answers and the cluster lists all three', async () => {
    const engine = await setup(1);
    const test = await callChannel(engine, 'testDestination', { destination: 'cluster' });
    expect(test.steps.map((s) => `${s.step}: ${s.status}`)).toEqual([
      'Name resolution: ok',
      'TCP connection: ok',
      'TLS: skipped',
      'Authentication: ok',
      'Authorisation: ok',
      'Listing: ok',
    ]);
    for (const b of cluster.brokers) expect(step(test, 'TCP connection').detail).toContain(`Connected to ${b}`);
    expect(step(test, 'Authentication').detail).toMatch(/with 3 broker\(s\): /);
    expect(step(test, 'Authorisation').detail).toBe('The topic "orders" exists with 3 partition(s)');
  });

  it('the first bootstrap broker down: the test passes with a warning naming it, and a sync delivers every row through the others', async () => {
    await cluster.stopBroker(1);
    expect(await cluster.liveBrokers()).toBe(2);
    const engine = await setup(40);

    const test = await callChannel(engine, 'testDestination', { destination: 'cluster' });
    expect(
      test.steps.map((s) => `${s.step}: ${s.status}`),
      JSON.stringify(test.steps, null, 1),
    ).toEqual(['Name resolution: ok', 'TCP connection: warning', 'TLS: skipped', 'Authentication: ok', 'Authorisation: ok', 'Listing: ok']);
    const tcp = step(test, 'TCP connection');
    expect(tcp.detail).toContain(`2 of 3 brokers answer. Not answering: ${cluster.brokers[0]} — The connection was refused: nothing listens on that port`);
    expect(tcp.hint).toMatch(/syncs still run; check that this broker is running/);
    expect(step(test, 'Authentication').detail).toMatch(/with 2 broker\(s\): /);
    expect(step(test, 'Authentication').detail).not.toContain(cluster.brokers[0]);
    expect(test.listed).toContain('orders');
    expect(test.ok).toBe(true);

    const run = await engine.runSync('to-cluster');
    expect(run, run.error ?? '').toMatchObject({ status: 'succeeded', counts: { acknowledged: 40 } });
    expect(readIds()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const partitions = new Set(engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 100 }).entries.map((e) => e.partition));
    expect(partitions).toEqual(new Set([0, 1, 2]));
  });
});
