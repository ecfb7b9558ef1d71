import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { DestinationDraft } from '../../shared/config/destination';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { SluiceError, type WireError } from '../../shared/ipc/errors';
import { applyConfig } from '../config/config-file';
import { assertDraftScope } from '../destinations/secret-scope';
import { publisherFor } from '../destinations/publisher-factory';
import { packageRoot } from '../paths';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';
import type { Source } from '../../shared/config/source';

// Issue 12: "a secret must only go to the destination it belongs to". The attacker is a real TCP
// listener on 127.0.0.1 that records every byte it receives. For Kafka it relays to the real test
// broker, so a client that trusts it gets as far as SASL and hands over the password; for AWS it
// answers every request with a 400 once it has the headers (where a session token travels). Every
// refused case must leave no byte of the secret there; the legit cases go to the real Kafka and
// deliver the real secret (seen by a recording relay in front of it).

interface Recorder {
  host: string;
  port: number;
  /** host:port, as a Kafka broker. */
  address: string;
  url: string;
  connections: number;
  received(): Buffer;
  reset(): void;
  close(): Promise<void>;
}

async function recorder(handle: (client: net.Socket, record: (chunk: Buffer) => void) => void): Promise<Recorder> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    rec.connections++;
    handle(client, (chunk) => chunks.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const rec: Recorder = {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    connections: 0,
    received: () => Buffer.concat(chunks),
    reset: () => {
      chunks.length = 0;
      rec.connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return rec;
}

/** Records what clients send, and relays both ways to `target` (host:port). */
function kafkaRelay(target: string): Promise<Recorder> {
  const [host, port] = target.split(':') as [string, string];
  return recorder((client, record) => {
    const upstream = net.connect({ host, port: Number(port) });
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk) => {
      record(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
  });
}

/** Records what clients send; answers each HTTP request with a 400 once its headers are in. */
function httpRecorder(): Promise<Recorder> {
  return recorder((client, record) => {
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      record(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (pending.includes('\r\n\r\n')) {
        pending = Buffer.alloc(0);
        client.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
      }
    });
  });
}

const PROD_SECRET = 'kafka/prod';
const TOKEN_CANARY = 'scope-test-session-token-5d1c7a';

let kafka: KafkaPeer;
let t: Awaited<ReturnType<typeof openTestEngine>>;
let legit: Recorder;
let attacker: Recorder;
let awsAttacker: Recorder;
let stsAttacker: Recorder;
let password: string;

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await t.engine.dispatcher.dispatch(channel, input, trusted);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { wire: r.error });
  return r.value as ChannelOutput<C>;
}
async function refused(channel: Channel, input: unknown): Promise<WireError> {
  const r = await t.engine.dispatcher.dispatch(channel, input, trusted);
  if (r.ok) {
    const leaked = [attacker, awsAttacker, stsAttacker]
      .filter((rec) => [password, TOKEN_CANARY].some((s) => rec.received().includes(Buffer.from(s))))
      .map((rec) => rec.address);
    throw new Error(
      `${channel} was expected to be refused, but it answered${leaked.length ? ` — and the secret reached the attacker at ${leaked.join(', ')}` : ''}: ${JSON.stringify(r.value).slice(0, 200)}`,
    );
  }
  return r.error;
}
const saveInput = (destination: DestinationDraft, mode: 'create' | 'update') => ({ destination, mode }) as ChannelInput<'saveDestination'>;

const kafkaDraft = (name: string, brokers: string[], secret: { keychain: string } | { env: string }, topic = 'orders'): DestinationDraft => ({
  kind: 'kafka',
  name,
  clientId: 'sluice',
  brokers,
  auth: { mechanism: 'plain', username: kafka.users.plain.username, password: secret },
  tls: { enabled: false },
  topic,
  compression: 'none',
});

function noSecretAt(rec: Recorder, ...secrets: string[]): void {
  const bytes = rec.received();
  for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `the secret reached ${rec.address}`).toBe(false);
}

beforeAll(async () => {
  kafka = await startKafka();
  // After the broker is up: a keychain probe that competes with the JVM's start can time out.
  t = await openTestEngine();
  expect(t.engine.keychain, 'run through scripts/with-test-keyring.sh: the secrets must be in a real OS keychain').toEqual({ backend: 'os' });
  password = kafka.users.plain.password;
  await kafka.createTopic('orders');
  await kafka.createTopic('payments');
  [legit, attacker, awsAttacker, stsAttacker] = await Promise.all([
    kafkaRelay(kafka.listeners.saslPlaintext),
    kafkaRelay(kafka.listeners.saslPlaintext),
    httpRecorder(),
    httpRecorder(),
  ]);
  // The production destination, saved through the wizard with its secret.
  await call('saveSecret', { name: PROD_SECRET, value: password });
  await call('saveDestination', saveInput(kafkaDraft('prod-kafka', [legit.address], { keychain: PROD_SECRET }), 'create'));
}, 300_000);
afterAll(async () => {
  for (const name of t ? t.engine.secrets.list().map((s) => s.name) : []) await t.engine.secrets.delete(name);
  await Promise.all([kafka?.stop(), t?.close(), legit?.close(), attacker?.close(), awsAttacker?.close(), stsAttacker?.close()]);
});
beforeEach(() => {
  legit.reset();
  attacker.reset();
  awsAttacker.reset();
  stsAttacker.reset();
});

describe('a secret only goes to the destination it belongs to (issue 12)', () => {
  it('a draft pointing at other brokers cannot use a saved destination’s keychain secret: no byte of it arrives there', async () => {
    const expected = `The secret kafka/prod belongs to destination 'prod-kafka' (brokers ${legit.address}); type it again to use it with these brokers`;
    for (const name of ['evil', 'prod-kafka']) {
      const draft = kafkaDraft(name, [attacker.address], { keychain: PROD_SECRET });
      const err = await refused('testDestinationDraft', { draft });
      expect(err).toEqual({ code: 'invalid-input', message: expected, issues: [{ path: 'draft.auth.password', message: expected }] });
      expect(JSON.stringify(err)).not.toContain(password);
      expect((await refused('listDestinationTargets', { draft })).message).toBe(expected);
      // A broker the secret belongs to plus one it does not is refused too.
      expect((await refused('testDestinationDraft', { draft: kafkaDraft(name, [legit.address, attacker.address], { keychain: PROD_SECRET }) })).message).toBe(
        expected,
      );
    }
    expect(attacker.connections).toBe(0);
    noSecretAt(attacker, password);
  });

  it('saving a destination that points another destination’s secret at other brokers is refused; so are its test, `sluice destinations test` and a run', async () => {
    const expected = `The secret kafka/prod belongs to destination 'prod-kafka' (brokers ${legit.address}); type it again to use it with these brokers`;
    const create = await refused('saveDestination', saveInput(kafkaDraft('evil', [attacker.address], { keychain: PROD_SECRET }), 'create'));
    expect(create).toEqual({ code: 'invalid-input', message: expected, issues: [{ path: 'destination.auth.password', message: expected }] });
    const update = await refused('saveDestination', saveInput(kafkaDraft('prod-kafka', [attacker.address], { keychain: PROD_SECRET }), 'update'));
    expect(update.message).toBe(expected);
    expect(t.engine.catalog.listDestinations().map((d) => d.name)).not.toContain('evil');
    expect(t.engine.catalog.getDestination('prod-kafka')).toMatchObject({ brokers: [legit.address] });

    // Written straight into the catalog (as `sluice apply` does), the destination still cannot take the secret.
    t.engine.catalog.putDestination(kafkaDraft('applied-evil', [attacker.address], { keychain: PROD_SECRET }));
    try {
      expect((await refused('testDestination', { destination: 'applied-evil' })).message).toBe(expected);
      await expect(publisherFor(t.engine.catalog.getDestination('applied-evil'), t.engine.secretResolver, t.engine.sandbox)).rejects.toThrow(expected);
      const cli = await sluice(['--workspace', t.dir, 'destinations', 'test', 'applied-evil']);
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain(expected);
      expect(cli.stdout + cli.stderr).not.toContain(password);
    } finally {
      t.engine.catalog.deleteDestination('applied-evil');
    }
    expect(attacker.connections).toBe(0);
    noSecretAt(attacker, password);
  });

  it('a secret stays bound when its value is replaced, when its destination stops using it, and when its destination is deleted', async () => {
    await call('saveSecret', { name: PROD_SECRET, value: password });
    expect((await refused('testDestinationDraft', { draft: kafkaDraft('evil', [attacker.address], { keychain: PROD_SECRET }) })).message).toContain(
      "belongs to destination 'prod-kafka'",
    );

    await call('saveSecret', { name: 'temp/password', value: password });
    await call('saveDestination', saveInput(kafkaDraft('temp-kafka', [legit.address], { keychain: 'temp/password' }), 'create'));
    await call('saveSecret', { name: 'temp/password-2', value: password });
    await call('saveDestination', saveInput(kafkaDraft('temp-kafka', [legit.address], { keychain: 'temp/password-2' }), 'update'));
    expect((await refused('testDestinationDraft', { draft: kafkaDraft('evil', [attacker.address], { keychain: 'temp/password' }) })).message).toBe(
      `The secret temp/password belongs to destination 'temp-kafka' (brokers ${legit.address}); type it again to use it with these brokers`,
    );
    await call('deleteDestination', { name: 'temp-kafka' });
    expect((await refused('testDestinationDraft', { draft: kafkaDraft('evil', [attacker.address], { keychain: 'temp/password-2' }) })).message).toBe(
      `The secret temp/password-2 belongs to destination 'temp-kafka' (brokers ${legit.address}); type it again to use it with these brokers`,
    );
    expect(attacker.connections).toBe(0);
    noSecretAt(attacker, password);
  });

  it('a secret never bound belongs to the saved destinations and sources that use it (config files, older workspaces)', async () => {
    await call('saveSecret', { name: 'legacy/password', value: password });
    t.engine.catalog.putDestination(kafkaDraft('legacy-kafka', [legit.address], { keychain: 'legacy/password' }));
    await call('saveSecret', { name: 'pg/warehouse', value: password });
    t.engine.catalog.putSource({
      kind: 'postgres',
      name: 'warehouse',
      host: 'db.internal',
      database: 'dw',
      user: 'sluice',
      password: { keychain: 'pg/warehouse' },
    });
    try {
      expect((await refused('testDestinationDraft', { draft: kafkaDraft('evil', [attacker.address], { keychain: 'legacy/password' }) })).message).toBe(
        `The secret legacy/password belongs to destination 'legacy-kafka' (brokers ${legit.address}); type it again to use it with these brokers`,
      );
      expect((await refused('testDestinationDraft', { draft: kafkaDraft('evil', [attacker.address], { keychain: 'pg/warehouse' }) })).message).toBe(
        "The secret pg/warehouse belongs to source 'warehouse' (host db.internal:5432); type it again to use it with these brokers",
      );
    } finally {
      t.engine.catalog.deleteDestination('legacy-kafka');
      t.engine.db.prepare("DELETE FROM sources WHERE name = 'warehouse'").run();
    }
    expect(attacker.connections).toBe(0);
    noSecretAt(attacker, password);
  });

  it('an environment variable, or the AWS default chain, is not sent to an endpoint a draft chooses', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      SLUICE_SCOPE_TEST_TOKEN: TOKEN_CANARY,
      SLUICE_SCOPE_TEST_KAFKA_PASSWORD: password,
      AWS_ACCESS_KEY_ID: 'AKIASCOPETEST0000000',
      AWS_SECRET_ACCESS_KEY: 'scope-test-chain-secret-key',
      AWS_SESSION_TOKEN: TOKEN_CANARY,
    });
    delete process.env.AWS_PROFILE;
    try {
      const kafkaEnv = kafkaDraft('evil', [attacker.address], { env: 'SLUICE_SCOPE_TEST_KAFKA_PASSWORD' });
      const envMessage =
        'The environment variable SLUICE_SCOPE_TEST_KAFKA_PASSWORD is not used by any saved destination, and Sluice sends an environment variable only to the destination saved with it (sluice apply -f FILE); type its value instead to use it with these brokers';
      expect(await refused('testDestinationDraft', { draft: kafkaEnv })).toEqual({
        code: 'invalid-input',
        message: envMessage,
        issues: [{ path: 'draft.auth.password', message: envMessage }],
      });
      expect((await refused('saveDestination', saveInput(kafkaEnv, 'create'))).message).toBe(envMessage);

      type KinesisDraft = Extract<DestinationDraft, { kind: 'kinesis' }>;
      const aws = (auth: KinesisDraft['auth']): KinesisDraft => ({ kind: 'kinesis', name: 'evil-aws', region: 'us-east-1', endpoint: awsAttacker.url, auth });
      const envToken = aws({
        kind: 'access-key',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: { env: 'SLUICE_SCOPE_TEST_TOKEN' },
        sessionToken: { env: 'SLUICE_SCOPE_TEST_TOKEN' },
      });
      expect((await refused('testDestinationDraft', { draft: envToken })).issues).toEqual([
        {
          path: 'draft.auth.secretAccessKey',
          message: expect.stringContaining(`The environment variable SLUICE_SCOPE_TEST_TOKEN is not used by any saved destination`),
        },
        { path: 'draft.auth.sessionToken', message: expect.stringContaining(`type its value instead to use it with the endpoint ${awsAttacker.url}`) },
      ]);

      const chainMessage = `The AWS default credential chain (environment variables, shared profiles, instance or container role) is sent only to AWS's own endpoints, not to the endpoint ${awsAttacker.url}; enter an access key for it instead`;
      expect(await refused('testDestinationDraft', { draft: aws({ kind: 'default-chain' }) })).toEqual({
        code: 'invalid-input',
        message: chainMessage,
        issues: [{ path: 'draft.auth', message: chainMessage }],
      });
      // Assuming a role at an STS endpoint the draft chooses signs with (and sends the token of) the default chain too.
      const viaSts = {
        ...aws({
          kind: 'assume-role',
          roleArn: 'arn:aws:iam::111122223333:role/x',
          sessionName: 'sluice',
          durationSeconds: 900,
          stsEndpoint: stsAttacker.url,
          base: { kind: 'default-chain' },
        }),
        name: 'evil-sts',
      } satisfies KinesisDraft;
      expect((await refused('testDestinationDraft', { draft: viaSts })).issues).toEqual([
        { path: 'draft.auth.base', message: expect.stringContaining(`not to the endpoint ${awsAttacker.url}`) },
      ]);
      expect(() => assertDraftScope(t.engine, { ...viaSts, endpoint: undefined }, 'draft.')).toThrow(
        `The AWS default credential chain (environment variables, shared profiles, instance or container role) is sent only to AWS's own endpoints, not to the STS endpoint ${stsAttacker.url}; enter an access key for it instead`,
      );
      // The default chain against AWS's own endpoints (no custom endpoint, or a VPC endpoint) is not refused.
      expect(() => assertDraftScope(t.engine, { ...aws({ kind: 'default-chain' }), endpoint: undefined }, 'draft.')).not.toThrow();
      expect(() =>
        assertDraftScope(t.engine, { ...aws({ kind: 'default-chain' }), endpoint: 'https://vpce-0abc-1234.kinesis.us-east-1.vpce.amazonaws.com' }, 'draft.'),
      ).not.toThrow();
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    expect(awsAttacker.connections + stsAttacker.connections + attacker.connections).toBe(0);
    noSecretAt(awsAttacker, TOKEN_CANARY, 'scope-test-chain-secret-key');
    noSecretAt(stsAttacker, TOKEN_CANARY, 'scope-test-chain-secret-key');
    noSecretAt(attacker, password);
  });

  it('editing a saved destination and testing it with its own secret works, and the secret reaches the real broker', async () => {
    const edited = kafkaDraft('prod-kafka', [legit.address], { keychain: PROD_SECRET }, 'payments');
    const result = await call('testDestinationDraft', { draft: edited });
    expect(result.steps.find((s) => s.step === 'Authentication')).toMatchObject({ status: 'ok', detail: expect.stringContaining('Authenticated with PLAIN') });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    expect(legit.received().includes(Buffer.from(password))).toBe(true);
    await call('saveDestination', saveInput(edited, 'update'));
    legit.reset();
    expect((await call('testDestination', { destination: 'prod-kafka' })).ok).toBe(true);
    expect(legit.received().includes(Buffer.from(password))).toBe(true);
    expect(attacker.connections).toBe(0);
  });

  it('a secret typed in the draft may go to the brokers the draft names; once saved with them, it belongs to them', async () => {
    // The wizard saves a typed secret to the keychain under a new name, then tests the draft with it.
    await call('saveSecret', { name: 'new-kafka/password', value: password });
    const draft = kafkaDraft('new-kafka', [attacker.address], { keychain: 'new-kafka/password' });
    const result = await call('testDestinationDraft', { draft });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    // The recorder does see a secret that is allowed to go there (so the searches above mean something).
    expect(attacker.received().includes(Buffer.from(password))).toBe(true);
    await call('saveDestination', saveInput(draft, 'create'));
    expect((await refused('testDestinationDraft', { draft: kafkaDraft('new-kafka', [legit.address], { keychain: 'new-kafka/password' }) })).message).toBe(
      `The secret new-kafka/password belongs to destination 'new-kafka' (brokers ${attacker.address}); type it again to use it with these brokers`,
    );
  });

  it('an inspector read of a destination written straight into the catalog, pointing a bound secret elsewhere, is refused before anything is sent', async () => {
    const expected = `The secret kafka/prod belongs to destination 'prod-kafka' (brokers ${legit.address}); type it again to use it with these brokers`;
    // AWS: a saved Kinesis destination's access key and session token, bound to AWS's own endpoints.
    await call('saveSecret', { name: 'aws/prod-secret', value: 'scope-test-bound-secret-key' });
    await call('saveSecret', { name: 'aws/prod-token', value: TOKEN_CANARY });
    type KinesisDraft = Extract<DestinationDraft, { kind: 'kinesis' }>;
    const kinesis = (name: string, endpoint?: string): KinesisDraft => ({
      kind: 'kinesis',
      name,
      stream: 'orders',
      region: 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      auth: {
        kind: 'access-key',
        accessKeyId: 'AKIASCOPETEST0000000',
        secretAccessKey: { keychain: 'aws/prod-secret' },
        sessionToken: { keychain: 'aws/prod-token' },
      },
    });
    await call('saveDestination', saveInput(kinesis('prod-kinesis'), 'create'));
    const awsExpected = `The secret aws/prod-secret belongs to destination 'prod-kinesis' (AWS endpoints); type it again to use it with the endpoint ${awsAttacker.url}`;

    // Written as `sluice apply` (before it checked) or an older Sluice would have written them.
    t.engine.catalog.putDestination(kafkaDraft('applied-evil', [attacker.address], { keychain: PROD_SECRET }));
    t.engine.catalog.putDestination(kinesis('applied-evil-kinesis', awsAttacker.url));
    try {
      for (const input of [{ destination: 'applied-evil' }, { destination: 'applied-evil', topic: 'orders' }]) {
        const err = await refused('inspectRead', input);
        expect(err).toMatchObject({ code: 'invalid-input', message: expected, issues: [{ path: 'auth.password', message: expected }] });
        expect(JSON.stringify(err)).not.toContain(password);
      }
      expect((await refused('inspectTargets', { destination: 'applied-evil' })).message).toBe(expected);
      expect((await refused('inspectRead', { destination: 'applied-evil-kinesis' })).message).toBe(awsExpected);
      expect((await refused('inspectTargets', { destination: 'applied-evil-kinesis' })).message).toBe(awsExpected);
    } finally {
      t.engine.catalog.deleteDestination('applied-evil');
      t.engine.catalog.deleteDestination('applied-evil-kinesis');
    }
    expect(attacker.connections + awsAttacker.connections).toBe(0);
    noSecretAt(attacker, password);
    noSecretAt(awsAttacker, TOKEN_CANARY, 'scope-test-bound-secret-key');
  });

  it('a routing preview of a sync to such a destination is refused before anything is sent', async () => {
    const expected = `The secret kafka/prod belongs to destination 'prod-kafka' (brokers ${legit.address}); type it again to use it with these brokers`;
    const { file, db } = createPeopleDb(t.dir, 5, 'scope-people.sqlite');
    db.close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'scope-people', path: file });
    t.engine.catalog.putModel({ name: 'scope-people', source: 'scope-people', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    t.engine.catalog.putDestination(kafkaDraft('applied-evil', [attacker.address], { keychain: PROD_SECRET }));
    t.engine.catalog.putSync({
      name: 'to-applied-evil',
      model: 'scope-people',
      destination: 'applied-evil',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      kafka: { key: { kind: 'template', template: 'person-{{ row.id }}' } },
    });
    try {
      const err = await refused('previewRouting', { sync: 'to-applied-evil', rows: { mode: 'first', count: 5 } });
      expect(err).toMatchObject({ code: 'invalid-input', message: expected });
      expect(JSON.stringify(err)).not.toContain(password);
    } finally {
      t.engine.db.prepare("DELETE FROM syncs WHERE name = 'to-applied-evil'").run();
      t.engine.catalog.deleteDestination('applied-evil');
      t.engine.db.prepare("DELETE FROM models WHERE name = 'scope-people'").run();
      t.engine.db.prepare("DELETE FROM sources WHERE name = 'scope-people'").run();
    }
    expect(attacker.connections).toBe(0);
    noSecretAt(attacker, password);
  });

  it('`sluice apply` refuses a destination that names a secret bound to another destination’s endpoints, naming both, and applies nothing', () => {
    const scope = `The secret kafka/prod belongs to destination 'prod-kafka' (brokers ${legit.address}); type it again to use it with these brokers`;
    const file = stringify({
      version: 1,
      destinations: [
        kafkaDraft('also-prod', [legit.address], { keychain: PROD_SECRET }),
        kafkaDraft('applied-evil', [attacker.address], { keychain: PROD_SECRET }),
      ],
    });
    // The line of the refused destination: its first field, `kind`, just above its name.
    const line = file.split('\n').findIndex((l) => l.includes('name: applied-evil'));
    let thrown: unknown;
    try {
      applyConfig(t.engine.db, t.engine.catalog, file, 'sluice.yaml');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SluiceError);
    expect(thrown).toMatchObject({
      code: 'invalid-input',
      message: `sluice.yaml, destinations[1] (line ${line}): The destination "applied-evil" is refused: the secret kafka/prod belongs to destination 'prod-kafka' (brokers ${legit.address}); type it again to use it with these brokers`,
      issues: [{ path: 'destinations.1.auth.password', message: scope }],
    });
    // All or nothing: not even the destination that may use the secret was applied.
    expect(t.engine.catalog.listDestinations().map((d) => d.name)).not.toContain('also-prod');
    expect(t.engine.catalog.listDestinations().map((d) => d.name)).not.toContain('applied-evil');
    // The same file without it applies: the owner's endpoints may use the secret.
    expect(
      applyConfig(
        t.engine.db,
        t.engine.catalog,
        stringify({ version: 1, destinations: [kafkaDraft('also-prod', [legit.address], { keychain: PROD_SECRET })] }),
      ),
    ).toMatchObject({ destinations: 1 });
    t.engine.catalog.deleteDestination('also-prod');
  });
});

/**
 * Poses as a PostgreSQL server: answers the startup message by asking for the password in clear text
 * (as any server may), records the password message that follows, and refuses it.
 */
function postgresRecorder(): Promise<Recorder> {
  const field = (code: string, value: string) => Buffer.concat([Buffer.from(code), Buffer.from(value), Buffer.from([0])]);
  const body = Buffer.concat([field('S', 'FATAL'), field('C', '28P01'), field('M', 'password authentication failed (recorder)'), Buffer.from([0])]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  const errorResponse = Buffer.concat([Buffer.from('E'), length, body]);
  return recorder((client, record) => {
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk) => {
      record(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (!started && pending.length >= 4 && pending.length >= pending.readInt32BE(0)) {
        started = true;
        pending = pending.subarray(pending.readInt32BE(0));
        client.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
      }
      if (started && pending.length >= 5 && pending[0] === 0x70 && pending.length >= 1 + pending.readInt32BE(1)) client.end(errorResponse);
    });
  });
}

describe('a PostgreSQL source only gets its own secret (issue 12)', () => {
  let pgPeer: PostgresPeer;
  let pgAttacker: Recorder;
  const PG_SECRET = 'pg/warehouse';
  const DECOY = 'scope-test-pg-decoy-password-8e41';
  const kafkaOwner = () => `destination 'prod-kafka' (brokers ${legit.address})`;
  const pgSource = (
    name: string,
    at: { host: string; port: number },
    password: { keychain: string } | { env: string },
    extra: Partial<Extract<Source, { kind: 'postgres' }>> = {},
  ) => ({ kind: 'postgres', name, host: at.host, port: at.port, database: 'postgres', user: 'sluice', password, ssl: false, ...extra }) satisfies Source;
  const model = (name: string, source: string) => ({ name, source, query: 'SELECT id, email FROM customers ORDER BY id', primaryKey: ['id'] });
  const refusedApply = (config: object): SluiceError => {
    try {
      applyConfig(t.engine.db, t.engine.catalog, stringify({ version: 1, ...config }), 'sluice.yaml');
    } catch (err) {
      if (err instanceof SluiceError) return err;
      throw err;
    }
    throw new Error('sluice apply was expected to refuse the file');
  };
  const forget = (...names: string[]) => {
    for (const name of names) {
      t.engine.db.prepare('DELETE FROM syncs WHERE model = ?').run(name);
      t.engine.db.prepare('DELETE FROM models WHERE source = ? OR name = ?').run(name, name);
      t.engine.db.prepare('DELETE FROM sources WHERE name = ?').run(name);
    }
  };
  const noPasswordAtPgAttacker = () => {
    expect(pgAttacker.connections, 'something connected to the fake PostgreSQL server').toBe(0);
    noSecretAt(pgAttacker, password, pgPeer.password);
  };

  beforeAll(async () => {
    [pgPeer, pgAttacker] = await Promise.all([startPostgres(), postgresRecorder()]);
    await pgPeer.query('CREATE TABLE customers (id integer PRIMARY KEY, email text)');
    await pgPeer.query("INSERT INTO customers VALUES (1, 'ada@example.com'), (2, 'grace@example.com')");
  }, 120_000);
  afterAll(async () => {
    await Promise.all([pgPeer?.stop(), pgAttacker?.close()]);
  });
  beforeEach(() => pgAttacker.reset());

  it('the recorder posing as PostgreSQL does receive a password that may go there (so the searches below mean something)', async () => {
    await call('saveSecret', { name: 'pg/decoy', value: DECOY });
    t.engine.catalog.putSource(pgSource('decoy-pg', pgAttacker, { keychain: 'pg/decoy' }));
    t.engine.catalog.putModel(model('decoy-pg', 'decoy-pg'));
    try {
      const err = await t.engine.dispatcher.dispatch('previewModel', { model: 'decoy-pg', limit: 5 }, trusted);
      expect(err.ok).toBe(false);
      expect(pgAttacker.received().includes(Buffer.from(DECOY))).toBe(true);
    } finally {
      forget('decoy-pg');
      await t.engine.secrets.delete('pg/decoy');
    }
  });

  it('`sluice apply` refuses a source whose password is a secret bound to a Kafka destination, naming the secret and its owner, and applies nothing', async () => {
    const scope = `The secret kafka/prod belongs to ${kafkaOwner()}; save it under another name (sluice secrets set NAME) to use it with the PostgreSQL server ${pgAttacker.address}`;
    const config = { sources: [pgSource('evil-pg', pgAttacker, { keychain: PROD_SECRET })], models: [model('evil-pg', 'evil-pg')] };
    const file = stringify({ version: 1, ...config });
    const line = file.split('\n').findIndex((l) => l.includes('name: evil-pg'));
    const err = refusedApply(config);
    expect(err).toMatchObject({
      code: 'invalid-input',
      message: `sluice.yaml, sources[0] (line ${line}): The source "evil-pg" is refused: ${scope.charAt(0).toLowerCase()}${scope.slice(1)}`,
      issues: [{ path: 'sources.0.password', message: scope }],
    });
    expect(t.engine.catalog.listSources().map((s) => s.name)).not.toContain('evil-pg');
    expect(t.engine.secrets.bindings.get(PROD_SECRET)).toMatchObject({ destination: 'prod-kafka', identity: { kind: 'kafka' } });

    // The same through the CLI.
    const path_ = path.join(t.dir, 'evil-pg.yaml');
    fs.writeFileSync(path_, file);
    const cli = await sluice(['--workspace', t.dir, 'apply', '-f', path_]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`The source "evil-pg" is refused: the secret kafka/prod belongs to ${kafkaOwner()}`);
    expect(cli.stdout + cli.stderr).not.toContain(password);
    expect(t.engine.catalog.listSources().map((s) => s.name)).not.toContain('evil-pg');
    noPasswordAtPgAttacker();
  });

  it('a source written straight into the catalog with such a secret is refused before anything is sent: its preview, the row picker and a sync run', async () => {
    const expected = `The source "evil-pg" is refused: the secret kafka/prod belongs to ${kafkaOwner()}; save it under another name (sluice secrets set NAME) to use it with the PostgreSQL server ${pgAttacker.address}`;
    // Written as an older Sluice (or any catalog write) would have written it.
    t.engine.catalog.putSource(pgSource('evil-pg', pgAttacker, { keychain: PROD_SECRET }));
    t.engine.catalog.putModel(model('evil-pg', 'evil-pg'));
    t.engine.catalog.putSync({
      name: 'evil-pg-to-kafka',
      model: 'evil-pg',
      destination: 'prod-kafka',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    try {
      const preview = await refused('previewModel', { model: 'evil-pg', limit: 5 });
      expect(preview).toMatchObject({ code: 'invalid-input', message: expected, issues: [{ path: 'password' }] });
      expect(JSON.stringify(preview)).not.toContain(password);
      // The row picker: a payload preview picks its rows from the model.
      expect(
        (
          await refused('previewPayload', {
            model: 'evil-pg',
            payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
            rows: { mode: 'first', count: 2 },
          })
        ).message,
      ).toBe(expected);
      const run = await t.engine.runSync('evil-pg-to-kafka');
      expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining(expected) });
      expect(JSON.stringify(run)).not.toContain(password);
    } finally {
      forget('evil-pg');
    }
    noPasswordAtPgAttacker();
    expect(legit.received().includes(Buffer.from('ada@example.com'))).toBe(false);
  });

  it('a source with its own secret reads the real PostgreSQL; the secret is then bound to that server, refused to a destination and to another server', async () => {
    await call('saveSecret', { name: PG_SECRET, value: pgPeer.password });
    const server = `127.0.0.1:${pgPeer.port}`;
    applyConfig(
      t.engine.db,
      t.engine.catalog,
      stringify({ version: 1, sources: [pgSource('warehouse-pg', pgPeer, { keychain: PG_SECRET })], models: [model('warehouse-pg', 'warehouse-pg')] }),
    );
    try {
      expect(await call('previewModel', { model: 'warehouse-pg', limit: 5 })).toEqual({
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'email', type: 'text' },
        ],
        rows: [
          { id: 1, email: 'ada@example.com' },
          { id: 2, email: 'grace@example.com' },
        ],
        truncated: false,
      });
      expect(t.engine.secrets.bindings.get(PG_SECRET)).toMatchObject({ destination: 'warehouse-pg', identity: { kind: 'source', address: server } });
      // Re-applying it, and another source on the same server (another database or role), may use it.
      applyConfig(
        t.engine.db,
        t.engine.catalog,
        stringify({
          version: 1,
          sources: [
            pgSource('warehouse-pg', pgPeer, { keychain: PG_SECRET }),
            pgSource('warehouse-pg-2', pgPeer, { keychain: PG_SECRET }, { database: 'template1' }),
          ],
        }),
      );
      expect((await call('previewModel', { model: 'warehouse-pg', limit: 1 })).rows).toEqual([{ id: 1, email: 'ada@example.com' }]);

      const owner = `source 'warehouse-pg' (host ${server})`;
      // Another server: refused by apply, and (written straight into the catalog) by its preview.
      const elsewhere = `The secret ${PG_SECRET} belongs to ${owner}; save it under another name (sluice secrets set NAME) to use it with the PostgreSQL server ${pgAttacker.address}`;
      const applied = refusedApply({ sources: [pgSource('warehouse-pg', pgAttacker, { keychain: PG_SECRET })] });
      expect(applied.issues).toEqual([{ path: 'sources.0.password', message: elsewhere }]);
      expect(t.engine.catalog.getSource('warehouse-pg')).toMatchObject({ host: pgPeer.host, port: pgPeer.port });
      t.engine.catalog.putSource(pgSource('other-pg', pgAttacker, { keychain: PG_SECRET }));
      t.engine.catalog.putModel(model('other-pg', 'other-pg'));
      expect((await refused('previewModel', { model: 'other-pg', limit: 5 })).message).toBe(
        `The source "other-pg" is refused: the secret ${PG_SECRET} belongs to ${owner}; save it under another name (sluice secrets set NAME) to use it with the PostgreSQL server ${pgAttacker.address}`,
      );

      // A destination: refused by apply, by the wizard and by a destination written straight into the catalog.
      expect(refusedApply({ destinations: [kafkaDraft('pg-evil-kafka', [attacker.address], { keychain: PG_SECRET })] }).issues).toEqual([
        { path: 'destinations.0.auth.password', message: `The secret ${PG_SECRET} belongs to ${owner}; type it again to use it with these brokers` },
      ]);
      expect((await refused('testDestinationDraft', { draft: kafkaDraft('pg-evil-kafka', [attacker.address], { keychain: PG_SECRET }) })).message).toContain(
        `'warehouse-pg' (host ${server})`,
      );
      t.engine.catalog.putDestination(kafkaDraft('pg-evil-kafka', [attacker.address], { keychain: PG_SECRET }));
      try {
        expect((await refused('testDestination', { destination: 'pg-evil-kafka' })).message).toBe(
          `The secret ${PG_SECRET} belongs to ${owner}; type it again to use it with these brokers`,
        );
      } finally {
        t.engine.catalog.deleteDestination('pg-evil-kafka');
      }
      expect(attacker.connections).toBe(0);
      noSecretAt(attacker, pgPeer.password);
      noPasswordAtPgAttacker();
    } finally {
      forget('warehouse-pg', 'warehouse-pg-2', 'other-pg');
    }
  });

  it('a secret bound with SSL is refused to the same server without it; an environment variable a destination uses is refused to a source by apply', async () => {
    await call('saveSecret', { name: 'pg/tls', value: DECOY });
    applyConfig(
      t.engine.db,
      t.engine.catalog,
      stringify({ version: 1, sources: [pgSource('tls-pg', { host: 'DB.Example.', port: 5432 }, { keychain: 'pg/tls' }, { ssl: true })] }),
    );
    try {
      expect(t.engine.secrets.bindings.get('pg/tls')?.identity).toEqual({ kind: 'source', address: 'db.example:5432', tls: true });
      expect(refusedApply({ sources: [pgSource('tls-pg', { host: 'db.example', port: 5432 }, { keychain: 'pg/tls' })] }).issues).toEqual([
        {
          path: 'sources.0.password',
          message:
            "The secret pg/tls belongs to source 'tls-pg' (host db.example:5432, SSL); save it under another name (sluice secrets set NAME) to use it with a connection without SSL",
        },
      ]);
      t.engine.catalog.putDestination(kafkaDraft('env-kafka', [legit.address], { env: 'SLUICE_SCOPE_TEST_KAFKA_PASSWORD' }));
      try {
        expect(refusedApply({ sources: [pgSource('env-pg', pgAttacker, { env: 'SLUICE_SCOPE_TEST_KAFKA_PASSWORD' })] }).issues).toEqual([
          {
            path: 'sources.0.password',
            message: `The environment variable SLUICE_SCOPE_TEST_KAFKA_PASSWORD belongs to destination 'env-kafka' (brokers ${legit.address}); save its value as a secret (sluice secrets set NAME) to use it with the PostgreSQL server ${pgAttacker.address}`,
          },
        ]);
      } finally {
        t.engine.catalog.deleteDestination('env-kafka');
      }
    } finally {
      forget('tls-pg', 'env-pg');
    }
    noPasswordAtPgAttacker();
  });
});

function sluice(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Asynchronous: the attacker's listener lives in this process and must keep answering.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'sluice.cjs'), ...args], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
