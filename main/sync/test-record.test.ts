import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { kafkaForFile } from '../testing/lifecycle';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';

// "Send this row as a test record": the row's record goes through the normal publisher to a real Kafka
// topic and a kinesis-local stream, lands where the answer says, reads back byte for byte, and leaves
// no trace in the sync's snapshot, its runs or the ledger (only the Debugger shows the calls).

const kafka = kafkaForFile();
let kinesis: KinesisPeer;
let t: Awaited<ReturnType<typeof openTestEngine>>;

beforeAll(async () => {
  [kinesis, t] = await Promise.all([startKinesisLocal(), openTestEngine()]);
  const client = kinesis.client();
  await client.send(new CreateStreamCommand({ StreamName: 'people', ShardCount: 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'people' });
  client.destroy();
  await kafka.peer.createTopic('people', 3);
  await t.engine.secrets.save('local-aws', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  const { file, db } = createPeopleDb(t.dir, 20);
  db.close();
  const e = t.engine;
  e.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  e.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  e.catalog.putDestination({
    kind: 'kinesis',
    name: 'stream',
    stream: 'people',
    region: 'us-east-1',
    endpoint: kinesis.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'local-aws' } },
  });
  e.catalog.putDestination({ kind: 'kafka', name: 'cluster', brokers: [kafka.peer.listeners.plaintext], topic: 'people' });
  const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": "{{ event }}"}' };
  e.catalog.putSync({ name: 'to-stream', model: 'people', destination: 'stream', triggers: ['added'], initialSync: 'backfill', payload });
  e.catalog.putSync({ name: 'to-kafka', model: 'people', destination: 'cluster', triggers: ['added'], initialSync: 'backfill', payload });
}, 300_000);
afterAll(async () => {
  await Promise.all([kinesis?.stop(), t?.close()]);
});

const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);
function traces(sync: string) {
  const id = t.engine.catalog.getSync(sync).id;
  const count = (sql: string) => (t.engine.db.prepare(sql).get(id) as { n: number }).n;
  return {
    snapshot: count('SELECT COUNT(*) AS n FROM snapshot WHERE sync_id = ?'),
    runs: count('SELECT COUNT(*) AS n FROM runs WHERE sync_id = ?'),
    ledger: (t.engine.db.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n,
  };
}
const template = '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": "{{ event }}"}';

describe('a test record', () => {
  it('Kinesis: lands on a shard with a sequence number, reads back byte for byte, partition key as a run makes it; no snapshot, run or ledger entry', async () => {
    const r = await call('sendTestRecord', {
      sync: 'to-stream',
      payload: { mode: 'template', template },
      partitionKey: { kind: 'template', template: 'person-{{ row.id }}' },
      key: '7',
      event: 'added',
    });
    expect(r.landed).toMatchObject({
      kind: 'kinesis',
      stream: 'people',
      shardId: expect.stringMatching(/^shardId-/),
      sequenceNumber: expect.stringMatching(/^\d+$/),
      partitionKey: 'person-7',
      explicitHashKey: null,
    });
    expect(r.sent?.text).toBe('{"id":7,"name":"person 7","event":"added"}');
    expect(r.readBack).toMatchObject({ match: true, detail: `bytes match (${r.sent!.bytes} bytes)` });
    expect(r.readBack.read).toMatchObject({ kind: 'kinesis', partitionKey: 'person-7', data: { text: r.sent!.text } });
    expect(traces('to-stream')).toEqual({ snapshot: 0, runs: 0, ledger: 0 });
    t.engine.recorder.flush();
    const ops = t.engine.apiCalls
      .list({ context: 'test-record' }, 0, 50)
      .calls.filter((c) => c.destination === 'stream')
      .map((c) => c.operation);
    expect(ops).toEqual(expect.arrayContaining(['PutRecords', 'GetShardIterator', 'GetRecords']));
  });

  it('Kafka: lands at a topic, partition and offset with its key and headers, and reads back byte for byte', async () => {
    const r = await call('sendTestRecord', {
      sync: 'to-kafka',
      payload: { mode: 'template', template },
      kafka: { key: { kind: 'template', template: 'k{{ row.id }}' }, headers: [{ name: 'source', value: 'sluice' }], tombstones: false },
      key: '3',
      event: 'changed',
    });
    expect(r.landed).toMatchObject({
      kind: 'kafka',
      topic: 'people',
      partition: expect.any(Number),
      offset: expect.stringMatching(/^\d+$/),
      key: 'k3',
      headers: { source: 'sluice' },
    });
    expect(r.sent?.text).toBe('{"id":3,"name":"person 3","event":"changed"}');
    expect(r.readBack.match).toBe(true);
    expect(r.readBack.read).toMatchObject({ kind: 'kafka', key: 'k3', headers: [{ name: 'source', value: 'sluice' }] });
    // An independent reader finds it where the answer says.
    const landed = r.landed as { partition: number; offset: string };
    const out = kafka.peer.kcat(['-C', '-t', 'people', '-p', String(landed.partition), '-o', landed.offset, '-c', '1', '-e', '-f', '%k %s']);
    expect(out.trim()).toBe(`k3 ${r.sent!.text}`);
    expect(traces('to-kafka')).toEqual({ snapshot: 0, runs: 0, ledger: 0 });
  });

  it('a row that does not render, a record over the limit, and a missing row are said in words', async () => {
    const column = await failure(
      call('sendTestRecord', { sync: 'to-stream', payload: { mode: 'template', template }, partitionKey: { kind: 'column', column: 'nope' }, key: '1' }),
    );
    expect(column.message).toBe('This row (key 1) does not render, so a run would reject it too: the partition-key column "nope" is not in the model');
    const big = await failure(
      call('sendTestRecord', {
        sync: 'to-stream',
        payload: { mode: 'template', template: '{"x": "{% for i in (1..50000) %}abcdefghijklmnopqrstuvwxyz{% endfor %}"}' },
        key: '1',
      }),
    );
    expect(big.message).toBe(
      "This row's record (data + partition key) is 1,300,009 bytes (1.24 MiB); stream takes at most 1,048,576 bytes (1.00 MiB). A run would reject it too: make the payload smaller.",
    );
    const missing = await failure(call('sendTestRecord', { sync: 'to-stream', payload: { mode: 'template', template }, key: '999' }));
    expect(missing).toMatchObject({ code: 'not-found', message: 'The model "people" has no row with the key 999' });
    expect(traces('to-stream').ledger).toBe(0);
  });
});
