import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesalite, type KinesisPeer } from '../testing/peers/kinesis';
import { tempWorkspace } from '../testing/temp';
import { KINESIS_LIMITS } from '../publishers/kinesis-publisher';
import { MAX_IN_FLIGHT } from './sync-runner';

// A real run, in a real `sluice sync run` process, killed with SIGKILL in the middle. The next run
// must send every row that was not acknowledged; duplicates only for the batch in flight.

const ROWS = 8000;
let kinesalite: KinesisPeer;
let proxy: FaultProxy;
let client: KinesisClient;
const ws = tempWorkspace();

beforeAll(async () => {
  kinesalite = await startKinesalite();
  proxy = await FaultProxy.start(kinesalite.endpoint);
  client = kinesalite.client();
  await client.send(new CreateStreamCommand({ StreamName: 'kill-test', ShardCount: 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'kill-test' });
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await kinesalite?.stop();
  ws.cleanup();
});

const env = { ...process.env, SLUICE_TEST_KINESIS_SECRET: LOCAL_AWS_CREDENTIALS.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
/** Runs the CLI without blocking this process (the fault proxy it talks to lives here). */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, sluice(args), { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const sluice = (args: string[]) => [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', ws.dir, ...args];

function acknowledged(): number {
  const file = path.join(ws.dir, 'sluice.db');
  if (!fs.existsSync(file)) return 0;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM ledger WHERE status = 'acknowledged'").get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function streamIds(): Promise<number[]> {
  const ids: number[] = [];
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: 'kill-test' }));
  for (const shard of Shards) {
    let { ShardIterator: it } = await client.send(
      new GetShardIteratorCommand({ StreamName: 'kill-test', ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (it) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10000 }));
      for (const r of page.Records ?? []) ids.push((JSON.parse(Buffer.from(r.Data!).toString()) as { id: number }).id);
      if (!page.Records?.length) break;
      it = page.NextShardIterator;
    }
  }
  return ids;
}

it('a run killed with SIGKILL loses nothing: the next run sends every unacknowledged row', async () => {
  const { file, db } = createPeopleDb(ws.dir, ROWS, 'model.sqlite');
  db.close();
  fs.writeFileSync(
    path.join(ws.dir, 'sluice.yaml'),
    `version: 1
sources:
  - { kind: sqlite, name: people-db, path: ${JSON.stringify(file)} }
models:
  - { name: people, source: people-db, query: "SELECT * FROM people", primaryKey: [id] }
destinations:
  - kind: kinesis
    name: stream
    stream: kill-test
    region: us-east-1
    endpoint: ${proxy.endpoint}
    auth: { kind: access-key, accessKeyId: ${LOCAL_AWS_CREDENTIALS.accessKeyId}, secretAccessKey: { env: SLUICE_TEST_KINESIS_SECRET } }
syncs:
  - name: people-sync
    model: people
    destination: stream
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' }
`,
  );
  const apply = await run(['apply', '-f', path.join(ws.dir, 'sluice.yaml')]);
  expect(apply.status, apply.stderr).toBe(0);

  // Slow every PutRecords down so the run is surely in the middle when it is killed.
  proxy.delay(150, 10_000);
  const child = spawn(process.execPath, sluice(['sync', 'run', 'people-sync']), { env, stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  while (acknowledged() < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const ackedAtKill = acknowledged();
  expect(ackedAtKill).toBeGreaterThanOrEqual(1000);
  expect(ackedAtKill).toBeLessThan(ROWS);

  proxy.reset();
  const rerun = await run(['sync', 'run', 'people-sync', '--json']);
  expect(rerun.status, rerun.stderr).toBe(0);
  const summary = JSON.parse(rerun.stdout) as { status: string; counts: { added: number; acknowledged: number } };
  expect(summary.status).toBe('succeeded');
  expect(summary.counts.added).toBe(ROWS - ackedAtKill);

  const ids = await streamIds();
  expect(new Set(ids).size).toBe(ROWS);
  // Only records in flight at the kill (at most MAX_IN_FLIGHT PutRecords batches of 500) can arrive twice.
  expect(ids.length - ROWS).toBeLessThanOrEqual(MAX_IN_FLIGHT * KINESIS_LIMITS.maxBatchRecords);

  const history = JSON.parse((await run(['runs', 'people-sync', '--json'])).stdout) as { status: string; error: string | null }[];
  expect(history.map((r) => r.status)).toEqual(['succeeded', 'failed']);
  expect(history[1]!.error).toMatch(/^Interrupted/);
}, 120_000);
