import BetterSqlite3 from 'better-sqlite3';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Destination } from '../../shared/config/destination';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { describeError } from '../../shared/ipc/errors';
import { KEYCHAIN_SERVICE } from '../secrets/keychain';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { startSilentServer } from '../testing/peers/silent-server';
import type { RecordedCall } from '../recorder/types';

// Renaming a destination through the real dispatcher, with its SCRAM password in the real OS keychain
// (run through scripts/with-test-keyring.sh) and its sync sending to the real Kafka test broker.

let kafka: KafkaPeer;
let t: Awaited<ReturnType<typeof openTestEngine>>;
let peopleFile: string;
const TOPIC = 'renamed-destination';
type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;

beforeAll(async () => {
  // The engine first: its keychain probe answers within 5 s, which a broker starting beside it on a loaded machine can delay.
  t = await openTestEngine();
  expect(t.engine.keychain, 'run through scripts/with-test-keyring.sh: the OS keychain').toEqual({ backend: 'os' });
  kafka = await startKafka();
  await kafka.createTopic(TOPIC, 1);
  const { file, db } = createPeopleDb(t.dir, 5);
  db.close();
  peopleFile = file;
}, 300_000);
afterAll(async () => {
  await Promise.all([kafka?.stop(), t?.close()]);
});

const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);
const account = (name: string) => `${t.engine.db.prepare('SELECT id FROM workspace').pluck().get() as string}/${name}`;
const inKeychain = (name: string) => new AsyncEntry(KEYCHAIN_SERVICE, account(name)).getPassword();
const bindings = () => t.engine.db.prepare('SELECT secret, destination FROM secret_bindings ORDER BY secret').all();
const topicMessages = () => kafka.kcat(['-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n']).split('\n').filter(Boolean);

async function kafkaDestination(name: string): Promise<void> {
  // As the wizard saves it: the typed password goes to the keychain under `<destination>/password`.
  await call('saveSecret', { name: `${name}/password`, value: kafka.users.scram512.password });
  await call('saveDestination', {
    mode: 'create',
    destination: {
      kind: 'kafka',
      name,
      brokers: [kafka.listeners.saslPlaintext],
      auth: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: { keychain: `${name}/password` } },
      tls: { enabled: false },
      topic: TOPIC,
    } as ChannelInput<'saveDestination'>['destination'],
  });
}

describe('renaming a destination', () => {
  it('its syncs follow the new name and keep their history, and its keychain password moves with it', async () => {
    await kafkaDestination('orders-kafka');
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: peopleFile });
    t.engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    await call('createSync', {
      name: 'people to kafka',
      settings: { model: 'people', destination: 'orders-kafka', triggers: ['added', 'changed', 'removed'], initialSync: 'backfill' },
      payload: { mode: 'template', template: '{"id":{{ row.id }},"name":{{ row.name | json }}}' },
    });
    const first = await t.engine.runSync('people to kafka');
    expect(first).toMatchObject({ status: 'succeeded', counts: { added: 5, acknowledged: 5 } });
    const { id } = t.engine.catalog.getSync('people to kafka');
    expect(bindings()).toEqual([{ secret: 'orders-kafka/password', destination: 'orders-kafka' }]);

    const events: string[] = [];
    const off = t.engine.onEvent((event) => events.push(event));
    const renamed = await call('renameDestination', { name: 'orders-kafka', newName: 'Kafka prod' });
    off();
    expect(renamed).toMatchObject({
      destination: { name: 'Kafka prod', auth: { password: { keychain: 'Kafka prod/password' } } },
      movedSecrets: [{ from: 'orders-kafka/password', to: 'Kafka prod/password' }],
    });
    expect(events).toEqual(['secretsChanged', 'catalogChanged']);
    expect((await call('listDestinations', {})).map((d) => d.name)).toEqual(['Kafka prod']);
    const syncs = await call('listSyncs', {});
    expect(syncs.map((s) => [s.sync.name, s.sync.destination])).toEqual([['people to kafka', 'Kafka prod']]);
    expect(t.engine.catalog.getSync('people to kafka')).toMatchObject({ id, initialized: true });
    expect((await call('listRuns', { sync: 'people to kafka' })).map((r) => r.id)).toEqual([first.id]);

    // Nothing is left under the old name: not in the keychain, not in SQLite.
    expect((await call('listSecrets', {})).map((s) => s.name)).toEqual(['Kafka prod/password']);
    expect(await inKeychain('orders-kafka/password')).toBeNull();
    expect(await inKeychain('Kafka prod/password')).toBe(kafka.users.scram512.password);
    expect(bindings()).toEqual([{ secret: 'Kafka prod/password', destination: 'Kafka prod' }]);
    const dump = t.engine.db
      .prepare('SELECT group_concat(definition) FROM (SELECT definition FROM destinations UNION ALL SELECT definition FROM syncs)')
      .pluck()
      .get() as string;
    expect(dump).not.toContain('orders-kafka');
    // The Debugger lists the first run's calls under the new name; its filter has no old name left.
    expect((await call('listApiCallFacets', {})).destinations).toEqual(['Kafka prod']);
    const calls = await call('listApiCalls', { runId: first.id });
    expect(calls.total).toBeGreaterThan(0);
    expect(new Set(calls.calls.map((c) => c.destination))).toEqual(new Set(['Kafka prod']));

    // Its connection test signs in with the moved password; the next run sends nothing (the model did not change) …
    const test = await call('testDestination', { destination: 'Kafka prod' });
    expect(test.steps.find((s) => s.step === 'Authentication')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^Authenticated with SCRAM-SHA-512; /),
    });
    expect(test.ok).toBe(true);
    const again = await t.engine.runSync('people to kafka');
    expect(again).toMatchObject({ status: 'succeeded', counts: { read: 5, unchanged: 5, added: 0, changed: 0, acknowledged: 0 } });
    const sent = topicMessages();
    expect(sent).toHaveLength(5);

    // … and a changed row goes out through the renamed destination, signed in with the moved password.
    const db = new BetterSqlite3(peopleFile);
    db.prepare("UPDATE people SET name = 'renamed person' WHERE id = 3").run();
    db.close();
    const changed = await t.engine.runSync('people to kafka');
    expect(changed).toMatchObject({ status: 'succeeded', counts: { changed: 1, acknowledged: 1 } });
    expect(topicMessages()).toEqual([...sent, '3={"id":3,"name":"renamed person"}']);
  });

  it('a call on the wire when its destination is renamed shows under the new name; a call to a new destination of the old name keeps that name', async () => {
    const silent = await startSilentServer();
    try {
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'hung', brokers: [`127.0.0.1:${silent.port}`], topic: TOPIC });
      const testing = call('testDestination', { destination: 'hung' });
      await vi.waitFor(() => expect(silent.accepted()).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
      await call('renameDestination', { name: 'hung', newName: 'hung before' });
      expect((await testing).ok).toBe(false);
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'hung', brokers: [kafka.listeners.plaintext], topic: TOPIC });
      expect((await call('testDestination', { destination: 'hung' })).ok).toBe(true);
      t.engine.recorder.flush();
      const calls = (destination: string) => t.engine.db.prepare('SELECT is_error FROM api_calls WHERE destination = ?').pluck().all(destination) as number[];
      // The calls the first test made while it hung (recorded after the rename) carry the name the destination has now…
      expect(calls('hung before').length).toBeGreaterThan(0);
      expect(calls('hung before').every((e) => e === 1)).toBe(true);
      // …and the new destination's own calls, made after, keep its name: none of them failed.
      expect(calls('hung').length).toBeGreaterThan(0);
      expect(calls('hung')).not.toContain(1);
      expect((await call('listApiCallFacets', {})).destinations).toEqual(expect.arrayContaining(['hung', 'hung before']));
    } finally {
      for (const name of ['hung', 'hung before']) t.engine.catalog.deleteDestination(name);
      await silent.close();
    }
  }, 120_000);

  it("a call made after the rename by what began before it (a connection test's next step, a retry) is recorded under the new name", async () => {
    const kafkaCall = (): RecordedCall => ({
      service: 'kafka',
      operation: 'Metadata',
      target: '127.0.0.1:1',
      status: 'timeout',
      startedMs: Date.now() + 5, // sent after the rename
      durationMs: 1,
      request: {},
      response: null,
    });
    t.engine.catalog.putDestination({ kind: 'kafka', name: 'slow', brokers: ['127.0.0.1:1'], topic: TOPIC });
    try {
      // As the connection test's handler scopes its calls when the test begins.
      const begun = t.engine.recorder.scope({ runId: null, context: 'connection-test', destination: 'slow' });
      await call('renameDestination', { name: 'slow', newName: 'slow before' });
      t.engine.catalog.putDestination({ kind: 'kafka', name: 'slow', brokers: ['127.0.0.1:1'], topic: TOPIC });
      const later = t.engine.recorder.scope({ runId: null, context: 'connection-test', destination: 'slow' });
      begun.record(kafkaCall());
      later.record(kafkaCall());
      t.engine.recorder.flush();
      const destinations = t.engine.db.prepare("SELECT destination FROM api_calls WHERE target = '127.0.0.1:1' ORDER BY id").pluck().all();
      expect(destinations).toEqual(['slow before', 'slow']);
    } finally {
      for (const name of ['slow', 'slow before']) t.engine.catalog.deleteDestination(name);
    }
  });

  it('refuses a taken, empty or invalid name, an unknown destination, a secret name in use and a running sync, changing nothing', async () => {
    await kafkaDestination('other-kafka');
    const before = { destinations: await call('listDestinations', {}), secrets: (await call('listSecrets', {})).map((s) => s.name), bindings: bindings() };

    const taken = await failure(call('renameDestination', { name: 'other-kafka', newName: 'Kafka prod' }));
    expect(taken).toEqual({ code: 'conflict', message: 'A destination named "Kafka prod" already exists: choose another name' });
    expect(describeError(await failure(call('renameDestination', { name: 'other-kafka', newName: ' ' })))).toBe(
      'Could not rename the destination: the input is not valid — The new name is required',
    );
    expect(describeError(await failure(call('renameDestination', { name: 'other-kafka', newName: 'kafka/2' })))).toBe(
      'Could not rename the destination: the input is not valid — The new name starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)',
    );
    expect(await failure(call('renameDestination', { name: 'nope', newName: 'still nope' }))).toMatchObject({
      code: 'not-found',
      message: 'There is no destination named "nope" (there are: Kafka prod, other-kafka)',
    });

    // A secret already saved under the name the destination's own secret would take: refused, both kept.
    await call('saveSecret', { name: 'spare/password', value: 'someone else’s' });
    expect(await failure(call('renameDestination', { name: 'other-kafka', newName: 'spare' }))).toEqual({
      code: 'conflict',
      message:
        'A secret named "spare/password" is already saved, so the destination\'s secret "other-kafka/password" cannot move to it: delete that secret (Settings → Secrets, or sluice secrets delete "spare/password") or choose another name',
    });
    expect(await inKeychain('spare/password')).toBe('someone else’s');
    await call('deleteSecret', { name: 'spare/password' });

    // One of its syncs is running: refused, as renaming the sync itself is.
    const runId = t.engine.startRun('people to kafka');
    expect(await failure(call('renameDestination', { name: 'Kafka prod', newName: 'Kafka main' }))).toEqual({
      code: 'conflict',
      message: `The sync "people to kafka" is running (run ${runId}): wait for it to end or cancel it, then rename the destination again`,
    });
    await t.engine.idle();

    expect(await call('listDestinations', {})).toEqual(before.destinations);
    expect((await call('listSecrets', {})).map((s) => s.name)).toEqual(before.secrets);
    expect(bindings()).toEqual(before.bindings);
    expect(await inKeychain('other-kafka/password')).toBe(kafka.users.scram512.password);
    expect(await inKeychain('spare/password')).toBeNull();
  });

  it('a secret gone from the keychain behind Sluice’s back refuses the rename, and the secrets moved so far go back', async () => {
    await kafkaDestination('rotated');
    // The password was replaced by another secret: the old one stays bound to the destination, and moves with it too.
    await call('saveSecret', { name: 'rotated/password-2', value: kafka.users.scram512.password });
    const rotated = t.engine.catalog.getDestination('rotated') as KafkaDestination;
    await call('saveDestination', {
      mode: 'update',
      destination: { ...rotated, auth: { ...rotated.auth, password: { keychain: 'rotated/password-2' } } } as ChannelInput<'saveDestination'>['destination'],
    });
    expect(bindings()).toContainEqual({ secret: 'rotated/password', destination: 'rotated' });
    // Deleted in the OS's own keychain app: Sluice still lists it.
    await new AsyncEntry(KEYCHAIN_SERVICE, account('rotated/password-2')).deleteCredential();

    expect(await failure(call('renameDestination', { name: 'rotated', newName: 'rotated twice' }))).toEqual({
      code: 'not-found',
      message: 'The secret "rotated/password-2" is no longer in the OS keychain; enter it again',
    });
    // "rotated/password" was written under its new name before that: it is gone again, the old one kept.
    expect(await inKeychain('rotated twice/password')).toBeNull();
    expect(await inKeychain('rotated/password')).toBe(kafka.users.scram512.password);
    expect((await call('listSecrets', {})).map((s) => s.name).filter((n) => n.startsWith('rotated'))).toEqual(['rotated/password', 'rotated/password-2']);
    expect(t.engine.catalog.getDestination('rotated')).toEqual({ ...rotated, auth: { ...rotated.auth, password: { keychain: 'rotated/password-2' } } });

    // Typed again, the rename goes through and takes both: the one it uses and the one bound to it.
    await call('saveSecret', { name: 'rotated/password-2', value: kafka.users.scram512.password });
    await call('renameDestination', { name: 'rotated', newName: 'rotated twice' });
    expect((await call('listSecrets', {})).map((s) => s.name).filter((n) => n.startsWith('rotated'))).toEqual([
      'rotated twice/password',
      'rotated twice/password-2',
    ]);
    expect(bindings()).toEqual(
      expect.arrayContaining([
        { secret: 'rotated twice/password', destination: 'rotated twice' },
        { secret: 'rotated twice/password-2', destination: 'rotated twice' },
      ]),
    );
    expect((await call('testDestination', { destination: 'rotated twice' })).ok).toBe(true);

    // Only the case changes (one keychain entry on Windows, two here): the value is kept under the new name alone.
    await call('renameDestination', { name: 'rotated twice', newName: 'Rotated twice' });
    expect(await inKeychain('Rotated twice/password-2')).toBe(kafka.users.scram512.password);
    expect(await inKeychain('rotated twice/password-2')).toBeNull();
    expect((await call('testDestination', { destination: 'Rotated twice' })).ok).toBe(true);
  });
});
