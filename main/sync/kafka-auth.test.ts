import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionTest } from '../../shared/config/connection-test';
import type { Destination } from '../../shared/config/destination';
import { packageRoot } from '../paths';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach, kafkaForFile } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';
import type { KafkaPeer } from '../testing/peers/kafka';
import { tempWorkspace } from '../testing/temp';

// Every way Sluice authenticates to Kafka, end to end through Sluice itself: the connection test
// passes each step, a sync run delivers its rows (read back with kcat), and a wrong password or an
// untrusted certificate fails with words that say what to fix. The broker is the suite's real Kafka
// (peers/kafka.ts): SASL PLAIN and SCRAM, TLS with its throwaway CA, and mutual TLS.

const broker = kafkaForFile();
const closers = closeAfterEach();

type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;
type Secrets = Record<string, string>;

/** Secrets are given to Sluice as environment references, each set for the test and removed after it. */
function envSecrets(values: Secrets): void {
  for (const [name, value] of Object.entries(values)) process.env[name] = value;
  closers.push(() => {
    for (const name of Object.keys(values)) delete process.env[name];
  });
}

let topics = 0;
async function setup(
  destination: (k: KafkaPeer, topic: string) => Omit<KafkaDestination, 'kind' | 'name' | 'clientId' | 'compression'>,
  secrets: Secrets = {},
) {
  envSecrets(secrets);
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, 5);
  db.close();
  const topic = `auth-${++topics}`;
  await broker.peer.createTopic(topic, 2);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', clientId: 'sluice', compression: 'none', ...destination(broker.peer, topic) });
  t.engine.catalog.putSync({
    name: 'to-kafka',
    model: 'people',
    destination: 'kafka',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' },
  });
  return { engine: t.engine, topic };
}

function readBack(topic: string): string[] {
  return broker.peer
    .kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n'])
    .split('\n')
    .filter(Boolean)
    .sort((a, b) => Number(a.split('=')[0]) - Number(b.split('=')[0]));
}

const expected = [1, 2, 3, 4, 5].map((id) => `${id}={"id":${id},"name":"person ${id}"}`);
const statuses = (r: ConnectionTest) => r.steps.map((s) => `${s.step}: ${s.status}`);

describe('Kafka authentication through Sluice: connection test and a sync run', () => {
  const modes: [string, (k: KafkaPeer, topic: string) => Omit<KafkaDestination, 'kind' | 'name' | 'clientId' | 'compression'>, Secrets, string][] = [
    [
      'SASL PLAIN',
      (k, topic) => ({
        brokers: [k.listeners.saslPlaintext],
        auth: { mechanism: 'plain', username: k.users.plain.username, password: { env: 'SLUICE_TEST_KAFKA_PW' } },
        tls: { enabled: false },
        topic,
      }),
      { SLUICE_TEST_KAFKA_PW: 'alice-plain-secret' },
      'Authenticated with PLAIN',
    ],
    [
      'SCRAM-SHA-256',
      (k, topic) => ({
        brokers: [k.listeners.saslPlaintext],
        auth: { mechanism: 'scram-sha-256', username: k.users.scram256.username, password: { env: 'SLUICE_TEST_KAFKA_PW' } },
        tls: { enabled: false },
        topic,
      }),
      { SLUICE_TEST_KAFKA_PW: 'scram256-secret' },
      'Authenticated with SCRAM-SHA-256',
    ],
    [
      'SCRAM-SHA-512',
      (k, topic) => ({
        brokers: [k.listeners.saslPlaintext],
        auth: { mechanism: 'scram-sha-512', username: k.users.scram512.username, password: { env: 'SLUICE_TEST_KAFKA_PW' } },
        tls: { enabled: false },
        topic,
      }),
      { SLUICE_TEST_KAFKA_PW: 'scram512-secret' },
      'Authenticated with SCRAM-SHA-512',
    ],
    [
      'mutual TLS (a client certificate)',
      (k, topic) => ({
        brokers: [k.listeners.mtls],
        auth: { mechanism: 'none' },
        tls: { enabled: true, caPem: k.pki.caPem, clientCertPem: k.pki.clientCertPem, clientKey: { env: 'SLUICE_TEST_KAFKA_KEY' } },
        topic,
      }),
      {},
      'Connected without authentication',
    ],
  ];

  it.each(modes)('%s: the connection test passes every step and a sync delivers every row', async (_name, destination, secrets, authenticated) => {
    if (Object.keys(secrets).length === 0) secrets = { SLUICE_TEST_KAFKA_KEY: broker.peer.pki.clientKeyPem };
    const { engine, topic } = await setup(destination, secrets);
    const test = await callChannel(engine, 'testDestination', { destination: 'kafka' });
    expect(statuses(test), JSON.stringify(test.steps, null, 1)).not.toContainEqual(expect.stringMatching(/failed$/));
    expect(test.ok).toBe(true);
    expect(test.steps.find((s) => s.step === 'Authentication')!.detail).toContain(authenticated);
    expect(test.steps.find((s) => s.step === 'Authorisation')!.detail).toBe(`The topic "${topic}" exists with 2 partition(s)`);
    expect(test.listed).toContain(topic);
    const run = await engine.runSync('to-kafka');
    expect(run, run.error ?? '').toMatchObject({ status: 'succeeded', counts: { acknowledged: 5 } });
    expect(readBack(topic)).toEqual(expected);
  });

  it.each([
    ['PLAIN', 'plain', 'alice'],
    ['SCRAM-SHA-256', 'scram-sha-256', 'scram256-user'],
    ['SCRAM-SHA-512', 'scram-sha-512', 'scram512-user'],
  ] as const)(
    'a wrong %s password: the test fails at Authentication saying so, the run fails sending nothing, the password shown nowhere',
    async (_name, mechanism, username) => {
      const { engine, topic } = await setup(
        (k, t) => ({
          brokers: [k.listeners.saslPlaintext],
          auth: { mechanism, username, password: { env: 'SLUICE_TEST_KAFKA_PW' } },
          tls: { enabled: false },
          topic: t,
        }),
        { SLUICE_TEST_KAFKA_PW: 'not-the-password-42' },
      );
      const test = await callChannel(engine, 'testDestination', { destination: 'kafka' });
      expect(test.ok).toBe(false);
      const failed = test.steps.find((s) => s.status === 'failed')!;
      expect(failed).toMatchObject({
        step: 'Authentication',
        detail: 'The broker refused the username or password',
        hint: 'Check the username and the password saved for this destination.',
      });
      const run = await engine.runSync('to-kafka');
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/authentication failed/i);
      expect(JSON.stringify([test, run])).not.toContain('not-the-password-42');
      expect(readBack(topic)).toEqual([]);
    },
  );

  it('an untrusted broker certificate: the TLS step names the unknown CA and what to add; the run fails with the TLS error', async () => {
    const { engine, topic } = await setup((k, t) => ({ brokers: [k.listeners.ssl], auth: { mechanism: 'none' }, tls: { enabled: true }, topic: t }));
    const test = await callChannel(engine, 'testDestination', { destination: 'kafka' });
    expect(test.ok).toBe(false);
    expect(test.steps.find((s) => s.status === 'failed')).toMatchObject({
      step: 'TLS',
      detail: 'The server’s certificate is signed by a certificate authority this machine does not trust (unknown CA)',
      hint: 'Add your CA certificate (PEM) to the destination’s TLS settings.',
    });
    const run = await engine.runSync('to-kafka');
    expect(run.status).toBe('failed');
    expect(run.error).toContain(
      'The broker’s certificate is signed by a certificate authority this machine does not trust (unknown CA). Add your CA certificate (PEM) to the destination’s TLS settings.',
    );
    expect(readBack(topic)).toEqual([]);
  });

  it('mutual TLS without a client certificate: the test fails saying the broker wants one', async () => {
    const { engine } = await setup((k, t) => ({
      brokers: [k.listeners.mtls],
      auth: { mechanism: 'none' },
      tls: { enabled: true, caPem: k.pki.caPem },
      topic: t,
    }));
    const test = await callChannel(engine, 'testDestination', { destination: 'kafka' });
    expect(test.ok).toBe(false);
    expect(test.steps.find((s) => s.status === 'failed')).toMatchObject({
      step: 'Authentication',
      detail: 'The broker refused the TLS connection: it requires a client certificate it trusts (mutual TLS), and none or another was given',
      hint: 'Add the client certificate (PEM) and its key to the destination’s TLS settings, signed by a CA the broker trusts.',
    });
    const run = await engine.runSync('to-kafka');
    expect(run.status).toBe('failed');
    expect(run.error).toContain('it requires a client certificate it trusts (mutual TLS)');
  });
});

// "Confluent Cloud style": a broker whose certificate a CA the machine trusts signed, and no CA in the
// destination. The throwaway CA is made trusted the way Node (and Electron) take extra CAs from the
// system: NODE_EXTRA_CA_CERTS, read at start — so this goes through the real `sluice` CLI in its own process.
describe('PLAIN over TLS with a CA the machine trusts (no CA in the destination)', () => {
  const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');

  function sluice(workspace: string, args: string[], extraCa: string | undefined) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SLUICE_TEST_KAFKA_PW: broker.peer.users.plain.password,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa;
    else delete env.NODE_EXTRA_CA_CERTS;
    return spawnSync(process.execPath, [bin, '--workspace', workspace, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  }

  async function workspace(): Promise<{ dir: string; topic: string }> {
    const ws = tempWorkspace();
    closers.push(ws.cleanup);
    const { file, db } = createPeopleDb(ws.dir, 5);
    db.close();
    const topic = `auth-public-ca-${++topics}`;
    await broker.peer.createTopic(topic, 2);
    const yaml = `version: 1
sources:
  - { kind: sqlite, name: db, path: ${JSON.stringify(file)} }
models:
  - { name: people, source: db, query: "SELECT id, name FROM people", primaryKey: [id] }
destinations:
  - kind: kafka
    name: cloud
    brokers: ["${broker.peer.listeners.saslSsl}"]
    auth: { mechanism: plain, username: ${broker.peer.users.plain.username}, password: { env: SLUICE_TEST_KAFKA_PW } }
    tls: { enabled: true }
    topic: ${topic}
syncs:
  - name: to-cloud
    model: people
    destination: cloud
    triggers: [added]
    payload: { mode: template, template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' }
`;
    fs.writeFileSync(path.join(ws.dir, 'config.yaml'), yaml);
    const applied = sluice(ws.dir, ['apply', '-f', path.join(ws.dir, 'config.yaml')], undefined);
    expect(applied.status, applied.stderr).toBe(0);
    return { dir: ws.dir, topic };
  }

  it('trusted: the connection test passes (the chain shown) and `sluice sync run` delivers every row', async () => {
    const { dir, topic } = await workspace();
    const tested = sluice(dir, ['destinations', 'test', 'cloud', '--json'], broker.peer.pki.caFile);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    const test = JSON.parse(tested.stdout) as ConnectionTest;
    expect(statuses(test)).toEqual(['Name resolution: ok', 'TCP connection: ok', 'TLS: ok', 'Authentication: ok', 'Authorisation: ok', 'Listing: ok']);
    expect(test.steps[2]!.detail).toContain('localhost ← Sluice Kafka Test CA');
    expect(test.steps[3]!.detail).toContain('Authenticated with PLAIN');
    const run = sluice(dir, ['sync', 'run', 'to-cloud', '--json'], broker.peer.pki.caFile);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readBack(topic)).toEqual(expected);
  });

  it('the same machine without that CA: the TLS step fails naming the unknown CA, the run fails, nothing is sent', async () => {
    const { dir, topic } = await workspace();
    const tested = sluice(dir, ['destinations', 'test', 'cloud'], undefined);
    expect(tested.status).toBe(1);
    expect(tested.stdout).toContain(
      '✗ TLS              The server’s certificate is signed by a certificate authority this machine does not trust (unknown CA)',
    );
    expect(tested.stdout).toContain('→ Add your CA certificate (PEM) to the destination’s TLS settings.');
    const run = sluice(dir, ['sync', 'run', 'to-cloud', '--json'], undefined);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('this machine does not trust (unknown CA)');
    expect(run.stdout + run.stderr).not.toContain(broker.peer.users.plain.password);
    expect(readBack(topic)).toEqual([]);
  });
});
