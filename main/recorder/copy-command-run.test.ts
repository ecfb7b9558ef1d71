import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asAwsCli, asKcat } from '../../shared/debugger/copy-command';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';

// The Debugger's copied commands run: the kcat command of a recorded Produce (SASL_SSL, the password
// and the CA file from the environment) puts the same message on the same partition of the real
// broker, its Metadata command lists the cluster; an AWS CLI command's words reach the CLI intact.
// (PLAIN, not SCRAM: kcat on librdkafka < 2.6.1 cannot log in with SCRAM to Kafka 4.)

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
  await kafka.createTopic('copied', 3);
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function bash(script: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Consumed {
  partition: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

describe('copied commands', () => {
  it('the kcat command of a recorded Produce sends the same message again; the Metadata command lists the topic', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { engine } = t;
    const { file, db } = createPeopleDb(t.dir, 5);
    db.close();
    await engine.secrets.save('plain-password', kafka.users.plain.password);
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'kafka',
      name: 'kafka',
      brokers: [kafka.listeners.saslSsl],
      auth: { mechanism: 'plain', username: kafka.users.plain.username, password: { keychain: 'plain-password' } },
      tls: { enabled: true, caPem: kafka.pki.caPem },
      topic: 'copied',
    });
    engine.catalog.putSync({
      name: 'to-kafka',
      model: 'people',
      destination: 'kafka',
      triggers: ['added'],
      payload: { mode: 'template', template: `{"id": {{ row.id }}, "name": {{ row.name | json }}, "note": "it's $HOME"}` },
      kafka: { key: { kind: 'primary-key' }, headers: [{ name: 'source', value: 'sluice' }], tombstones: false },
    });
    const run = await engine.runSync('to-kafka');
    expect(run.status, run.error ?? '').toBe('succeeded');

    const produce = (await callChannel(engine, 'listApiCalls', { runId: run.id, operation: 'Produce' })).calls[0]!;
    const out = asKcat(await callChannel(engine, 'getApiCall', { id: produce.id }))!;
    expect(out.command).not.toContain(kafka.users.plain.password);
    const first = out.command.split('\n')[0]!;
    const ca = path.join(t.dir, 'ca.pem');
    fs.writeFileSync(ca, kafka.pki.caPem);
    const sent = bash(first, { KAFKA_PASSWORD: kafka.users.plain.password, KAFKA_CA_FILE: ca });
    expect(sent, sent.stderr).toMatchObject({ status: 0 });

    // The partition's last message is the copy: same key, value and headers as the recorded first message.
    const partition = Number(/ -p (\d+) /.exec(first)![1]);
    const recorded = (await callChannel(engine, 'getApiCall', { id: produce.id })).request as {
      messages: { first: { key: string; value: { preview: string } }[] };
    };
    const last = JSON.parse(kafka.kcat(['-C', '-t', 'copied', '-p', String(partition), '-o', '-1', '-c', '1', '-e', '-q', '-J'])) as Consumed;
    const ledger = engine.ledger.search({ runId: run.id, limit: 10 }).entries;
    expect(last).toMatchObject({
      partition,
      key: recorded.messages.first[0]!.key,
      payload: recorded.messages.first[0]!.value.preview,
      headers: ['source', 'sluice'],
    });
    expect(JSON.parse(last.payload!)).toMatchObject({ note: "it's $HOME" });
    expect(ledger.some((e) => e.partition === partition)).toBe(true);

    // A Metadata call's command lists the cluster over SASL_SSL.
    const metadata = (await callChannel(engine, 'listApiCalls', { runId: run.id, operation: 'Metadata' })).calls[0]!;
    const listing = asKcat(await callChannel(engine, 'getApiCall', { id: metadata.id }))!;
    const listed = bash(listing.command, { KAFKA_PASSWORD: kafka.users.plain.password, KAFKA_CA_FILE: ca });
    expect(listed, listed.stderr).toMatchObject({ status: 0 });
    expect(listed.stdout).toContain('topic "copied" with 3 partitions');
  });

  it('an AWS CLI command reaches the CLI word for word (quotes, $ and newlines in the data)', () => {
    const text = `{"note": "it's $HOME", "lines": "a\nb"}`;
    const out = asAwsCli({
      service: 'kinesis',
      operation: 'PutRecords',
      target: 'us-east-1 http://127.0.0.1:4567',
      request: { StreamName: "it's", Records: [{ Data: { bytes: Buffer.byteLength(text), preview: text, encoding: 'utf8' }, PartitionKey: '$1' }] },
      response: {},
      transport: null,
    })!;
    // A stand-in `aws` prints the words it was given, one per line of NUL-separated output.
    const r = bash(`aws() { printf '%s\\0' "$@"; }\n${out.command}`);
    expect(r.status, r.stderr).toBe(0);
    const words = r.stdout.split('\0').slice(0, -1);
    expect(words.slice(0, 6)).toEqual(['kinesis', 'put-records', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:4567']);
    const input = JSON.parse(words[7]!) as { StreamName: string; Records: { Data: string; PartitionKey: string }[] };
    expect(input.StreamName).toBe("it's");
    expect(input.Records[0]!.PartitionKey).toBe('$1');
    expect(Buffer.from(input.Records[0]!.Data, 'base64').toString('utf8')).toBe(text);
  });
});
