import { spawn } from 'node:child_process';
import path from 'node:path';
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectRead, KinesisRecord, ReadBack } from '../../shared/config/inspector';
import { Engine } from '../engine/engine';
import { packageRoot } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { tempWorkspace } from '../testing/temp';

// `sluice inspect` as a user runs it: a separate process on a workspace whose sync sent to kinesis-local.

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const env = { SLUICE_CLI_INSPECT_SECRET: LOCAL_AWS_CREDENTIALS.secretAccessKey };

function sluice(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let kinesis: KinesisPeer;
let ws: { dir: string; cleanup(): void };
let ledgerId = 0;
beforeAll(async () => {
  kinesis = await startKinesisLocal();
  const client = kinesis.client();
  await client.send(new CreateStreamCommand({ StreamName: 'cli-inspect', ShardCount: 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'cli-inspect' });
  client.destroy();
  ws = tempWorkspace();
  const { file, db } = createPeopleDb(ws.dir, 6);
  db.close();
  Object.assign(process.env, env);
  const engine = await Engine.open({ workspace: ws.dir, runtime: 'browser-host', seedDemo: false });
  try {
    engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'kinesis',
      name: 'stream',
      stream: 'cli-inspect',
      region: kinesis.region,
      endpoint: kinesis.endpoint,
      auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { env: 'SLUICE_CLI_INSPECT_SECRET' } },
    });
    engine.catalog.putSync({
      name: 'people-sync',
      model: 'people',
      destination: 'stream',
      triggers: ['added'],
      // Numbers past 2^53 and a trailing zero: what JSON.parse → stringify would change.
      payload: { mode: 'template', template: '{"id": {{ row.id }}, "big": 9007199254740993, "exact": 1.50}' },
    });
    expect((await engine.runSync('people-sync')).status).toBe('succeeded');
    ledgerId = engine.ledger.search({ text: '4', limit: 10 }).entries.find((e) => e.key === '4')!.id;
  } finally {
    await engine.shutdown();
  }
}, 120_000);
afterAll(async () => {
  ws?.cleanup();
  await kinesis?.stop();
});

describe('sluice inspect', () => {
  it('--json prints the records read from every shard with their coordinates, oldest first', async () => {
    const out = await sluice(['--workspace', ws.dir, 'inspect', 'stream', '--from', 'trim-horizon', '--limit', '50', '--json']);
    expect(out.stderr).not.toContain('sluice:');
    expect(out.status).toBe(0);
    const read = JSON.parse(out.stdout) as InspectRead;
    expect(read.target).toBe('cli-inspect');
    expect(read.readers.map((r) => r.part).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    const records = read.records as KinesisRecord[];
    expect(records.map((r) => r.partitionKey).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(records.find((r) => r.partitionKey === '4')!.data).toMatchObject({
      text: '{"id":4,"big":9007199254740993,"exact":1.50}',
      prettyJson: '{\n  "id": 4,\n  "big": 9007199254740993,\n  "exact": 1.50\n}',
    });
  }, 60_000);

  it('prints one line per record, and --limit and --shard bound the read', async () => {
    const out = await sluice(['--workspace', ws.dir, 'inspect', 'stream', '--shard', 'shardId-000000000000', '--limit', '1']);
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^shardId-000000000000\t\d+\t\S+Z\tpartition key \d\t\{"id":\d,"big":9007199254740993,"exact":1\.50\}$/); // the bytes as sent, not re-encoded
    // Shard 0 holds one of the six records: the read is full and that shard's reader caught up.
    expect(lines[1]).toBe('1 record from cli-inspect — shardId-000000000000: 1 (caught-up)');
  }, 60_000);

  it('--ledger opens the sent record and says the bytes match', async () => {
    const out = await sluice(['--workspace', ws.dir, 'inspect', '--ledger', String(ledgerId), '--json']);
    expect(out.status).toBe(0);
    const rb = JSON.parse(out.stdout) as ReadBack;
    expect(rb).toMatchObject({ match: true, detail: 'bytes match (44 bytes)', entry: { key: '4' }, read: { partitionKey: '4' } });
    const text = await sluice(['--workspace', ws.dir, 'inspect', '--ledger', String(ledgerId)]);
    expect(text.stdout).toContain('✓ bytes match (44 bytes)');
  }, 60_000);

  it('explains a bad start position and an unknown destination', async () => {
    const bad = await sluice(['--workspace', ws.dir, 'inspect', 'stream', '--from', 'yesterday']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--from must be trim-horizon, latest, beginning, end, timestamp:ISO, sequence:N or offset:N (got "yesterday")');
    const badTime = await sluice(['--workspace', ws.dir, 'inspect', 'stream', '--from', 'timestamp:noon']);
    expect(badTime.status).toBe(1);
    expect(badTime.stderr).toContain('from.timestamp: A timestamp is an ISO 8601 date and time');
    const unknown = await sluice(['--workspace', ws.dir, 'inspect', 'nowhere']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('nowhere');
  }, 60_000);

  it('says a stream that does not exist in words, as not found (it was an "unexpected error", code internal)', async () => {
    const text = await sluice(['--workspace', ws.dir, 'inspect', 'stream', '--stream', 'no-such-stream']);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain(`Could not read no-such-stream on ${kinesis.endpoint}: `);
    expect(text.stderr).toContain('no-such-stream');
    expect(text.stderr).not.toContain('unexpected error');
    const json = await sluice(['--workspace', ws.dir, 'inspect', 'stream', '--stream', 'no-such-stream', '--json']);
    expect(json.status).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('not-found');
  }, 60_000);
});

describe('sluice inspect on a Kafka broker that cannot be reached', () => {
  it('says which broker and why, in words, not as an unexpected error', async () => {
    const own = tempWorkspace();
    try {
      const engine = await Engine.open({ workspace: own.dir, runtime: 'cli' });
      engine.catalog.putDestination({ kind: 'kafka', name: 'down', brokers: ['127.0.0.1:1'], topic: 'orders' });
      engine.close();
      const r = await sluice(['--workspace', own.dir, 'inspect', 'down']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Could not read orders on 127.0.0.1:1: ');
      expect(r.stderr).toContain('ECONNREFUSED');
      expect(r.stderr).not.toContain('unexpected error');
    } finally {
      own.cleanup();
    }
  });
});
