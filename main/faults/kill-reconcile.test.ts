import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CreateStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { packageRoot } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesalite, type KinesisPeer } from '../testing/peers/kinesis';
import { LEDGER_THREAD_THRESHOLD } from '../sync/run/ledger-sink';
import { tempWorkspace } from '../testing/temp';

// A real `sluice sync run` process killed with SIGKILL in the middle of sending. When Sluice next
// opens the workspace, the run is Interrupted with the counts its ledger holds (not its last saved
// progress) and the time it really stopped (not the time Sluice was opened again).

let kinesalite: KinesisPeer;
let proxy: FaultProxy;
let client: KinesisClient;
const workspaces: { cleanup(): void }[] = [];

beforeAll(async () => {
  kinesalite = await startKinesalite();
  proxy = await FaultProxy.start(kinesalite.endpoint);
  client = kinesalite.client();
  await client.send(new CreateStreamCommand({ StreamName: 'kill-reconcile', ShardCount: 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'kill-reconcile' });
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await kinesalite?.stop();
  for (const ws of workspaces) ws.cleanup();
});

const env = { ...process.env, SLUICE_TEST_KINESIS_SECRET: LOCAL_AWS_CREDENTIALS.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const sluice = (dir: string, args: string[]) => [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', dir, ...args];

function run(dir: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, sluice(dir, args), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (status) => resolve({ status, stderr }));
  });
}

interface LedgerCounts {
  acknowledged: number;
  failed: number;
  rejected: number;
  attempts: number;
  settledButNotRenderErrors: number;
  lastAttemptAt: string | null;
  /** The run's acknowledged count as last saved in `runs`. */
  savedAcknowledged: number;
}

/** What the ledger holds, read as another process would (read only). */
function ledger(dir: string): LedgerCounts | undefined {
  const file = path.join(dir, 'sluice.db');
  if (!fs.existsSync(file)) return undefined;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT COALESCE(SUM(status = 'acknowledged'), 0) AS acknowledged, COALESCE(SUM(status = 'failed'), 0) AS failed,
                COALESCE(SUM(status = 'rejected'), 0) AS rejected, COALESCE(SUM(attempts), 0) AS attempts,
                COALESCE(SUM(error_code IS NOT 'RenderError'), 0) AS settledButNotRenderErrors, MAX(last_attempt_at) AS lastAttemptAt,
                (SELECT COALESCE(MAX(counts ->> '$.acknowledged'), 0) FROM runs) AS savedAcknowledged
           FROM ledger`,
      )
      .get() as LedgerCounts;
  } catch {
    return undefined; // not set up yet
  } finally {
    db.close();
  }
}

// Short work lists commit inline; from LEDGER_THREAD_THRESHOLD rows on, a ledger thread commits them.
it.each([
  [8000, 'committed inline'],
  [LEDGER_THREAD_THRESHOLD + 5000, 'committed on the ledger thread'],
])(
  'a run of %i rows (%s) killed with SIGKILL is Interrupted with the counts of its ledger and the time it stopped',
  async (ROWS) => {
    const ws = tempWorkspace();
    workspaces.push(ws);
    const { file, db } = createPeopleDb(ws.dir, ROWS, 'model.sqlite');
    db.close();
    // Every 50th row renders as invalid JSON (rejected in the ledger, never sent).
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
    stream: kill-reconcile
    region: us-east-1
    endpoint: ${proxy.endpoint}
    auth: { kind: access-key, accessKeyId: ${LOCAL_AWS_CREDENTIALS.accessKeyId}, secretAccessKey: { env: SLUICE_TEST_KINESIS_SECRET } }
syncs:
  - name: people-sync
    model: people
    destination: stream
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}, "name": {{ row.name | json }}{% assign m = row.id | modulo: 50 %}{% if m == 3 %}, oops{% endif %}}' }
`,
    );
    const apply = await run(ws.dir, ['apply', '-f', path.join(ws.dir, 'sluice.yaml')]);
    expect(apply.status, apply.stderr).toBe(0);

    // Every 40th record is refused for good (failed), every 40th + 7 once and then accepted (two
    // attempts), and every request is slowed so the run is surely in the middle when it is killed.
    const id = (data: Buffer) => (JSON.parse(data.toString()) as { id: number }).id;
    proxy.failRecords((r) => id(r.data) % 40 === 0, { code: 'KMSAccessDeniedException', message: 'no key for you', times: 100_000 });
    proxy.failRecords((r) => id(r.data) % 40 === 7, { code: 'InternalFailure', times: 6 });
    proxy.delay(150, 10_000);
    const child = spawn(process.execPath, sluice(ws.dir, ['sync', 'run', 'people-sync']), { env, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    // Killed once the ledger is ahead of the run's last saved progress (the state a crash leaves).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = ledger(ws.dir);
      if (now && now.acknowledged >= 1500 && now.savedAcknowledged < now.acknowledged) break;
      if (Date.now() > deadline) throw new Error(`the run never got ahead of its saved progress: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = new Date().toISOString();
    proxy.reset();

    const atKill = ledger(ws.dir)!;
    expect(atKill.acknowledged).toBeGreaterThanOrEqual(1500);
    expect(atKill.acknowledged).toBeLessThan(ROWS);
    expect(atKill.failed).toBeGreaterThan(0);
    expect(atKill.rejected).toBeGreaterThan(0);

    // Sluice opens the workspace again; `sluice runs` / the Runs view show this.
    const engine = await Engine.open({ workspace: ws.dir, runtime: 'browser-host', seedDemo: false });
    try {
      const [interrupted] = engine.runs.list(engine.catalog.getSync('people-sync').id);
      expect(interrupted!.status).toBe('failed');
      expect(interrupted!.error).toMatch(/^Interrupted/);
      const { counts } = interrupted!;
      expect({ acknowledged: counts.acknowledged, failed: counts.failed }).toEqual({
        acknowledged: atKill.acknowledged,
        failed: atKill.failed + atKill.rejected,
      });
      // Sent counts every attempt the ledger records (and any still on the wire), so the counts add up.
      expect(counts.sent).toBeGreaterThanOrEqual(atKill.attempts);
      expect(counts.sent).toBeGreaterThanOrEqual(counts.acknowledged + atKill.failed);
      expect(counts.rendered).toBeGreaterThanOrEqual(atKill.settledButNotRenderErrors);

      // It ended when the process stopped: after its last ledger write, not when Sluice opened again.
      expect(interrupted!.finishedAt! >= atKill.lastAttemptAt!).toBe(true);
      expect(interrupted!.finishedAt! <= killedAt).toBe(true);
      expect(interrupted!.finishedAt! >= interrupted!.startedAt).toBe(true);
    } finally {
      engine.close();
    }
  },
  120_000,
);
