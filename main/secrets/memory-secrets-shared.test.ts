import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { DATABASE_FILE } from '../state/database';
import { closeAfterEach } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';
import { createStream, putPeopleToKinesis } from '../testing/people-to-kinesis';
import { startKinesalite, type KinesisPeer } from '../testing/peers/kinesis';
import { envWithoutKeychain, runSluice } from '../testing/cli-process';
import { tempWorkspace } from '../testing/temp';

// Issue 14, item 6: the app and the CLI share a workspace on a machine without an OS keychain. The "app"
// is an engine open in this process; the CLI is bin/sluice.cjs in its own. Without a D-Bus session both
// keep secrets in memory (keychain.ts falls back), as on such a machine.
const noKeychain = envWithoutKeychain();
delete process.env.DBUS_SESSION_BUS_ADDRESS;

const SECRET = 'memory-only-s3cr3t-value-9f2c';
const closers = closeAfterEach();
let kinesis: KinesisPeer;
beforeAll(async () => {
  kinesis = await startKinesalite();
}, 120_000);
afterAll(async () => {
  await kinesis?.stop();
});

async function openApp(): Promise<{ engine: Engine; dir: string }> {
  const ws = tempWorkspace();
  const engine = await Engine.open({ workspace: ws.dir, runtime: 'electron', seedDemo: false });
  closers.push(ws.cleanup, () => engine.shutdown());
  expect(engine.keychain.backend, 'this test needs the memory backend').toBe('memory');
  return { engine, dir: ws.dir };
}

async function appWithMemorySecret(stream: string) {
  const app = await openApp();
  await app.engine.secrets.save('aws/local', SECRET);
  const people = createPeopleDb(app.dir, 5);
  people.db.close();
  const client = kinesis.client();
  await createStream(client, stream, 1);
  client.destroy();
  putPeopleToKinesis(app.engine, { file: people.file, stream, region: kinesis.region, endpoint: kinesis.endpoint, secretAccessKey: { keychain: 'aws/local' } });
  return app;
}

function configFile(dir: string): string {
  const file = path.join(dir, 'more.yaml');
  fs.writeFileSync(
    file,
    [
      'version: 1',
      'sources: [{ kind: sqlite, name: people-db, path: ' + JSON.stringify(path.join(dir, 'people.sqlite')) + ' }]',
      'models: [{ name: people-again, source: people-db, query: "SELECT id, name FROM people", primaryKey: [id] }]',
    ].join('\n'),
  );
  return file;
}

describe('memory secrets in a workspace shared by the app and the CLI', () => {
  it("`sluice apply` while the app is open leaves the app's memory secrets, and a run using them works", async () => {
    const { engine, dir } = await appWithMemorySecret('shared-a');
    const applied = await runSluice(['--workspace', dir, 'apply', '-f', configFile(dir)], { env: noKeychain });
    expect(applied.status, applied.stderr).toBe(0);

    expect(engine.secrets.list().map((r) => [r.name, r.backend])).toEqual([['aws/local', 'memory']]);
    expect(await engine.secrets.reveal('aws/local')).toBe(SECRET);
    const run = await engine.runSync('people-sync');
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.counts.acknowledged).toBe(5);
  }, 180_000);

  it('a CLI run that needs a secret only the app holds says where it is and what to do, and leaks nothing', async () => {
    const { engine, dir } = await appWithMemorySecret('shared-b');
    const run = await runSluice(['--workspace', dir, 'sync', 'run', 'people-sync', '--json'], { env: noKeychain });
    expect(run.status).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/kept only in the memory of another Sluice process using this workspace \(pid \d+, e\.g\. the open app\)/);
    expect(out).toMatch(/enable an OS keychain/);
    expect(out).toMatch(/environment variable/);
    expect(out).not.toContain(SECRET);
    // The CLI could neither delete nor replace it (the one its destination uses is refused as in use first).
    await engine.secrets.save('aws/spare', SECRET);
    const del = await runSluice(['--workspace', dir, 'secrets', 'delete', 'aws/spare'], { env: noKeychain });
    expect(del.status).toBe(1);
    expect(del.stderr).toMatch(/kept only in the memory of another Sluice process/);
    expect(await engine.secrets.reveal('aws/spare')).toBe(SECRET);
    const inUse = await runSluice(['--workspace', dir, 'secrets', 'delete', 'aws/local'], { env: noKeychain });
    expect(inUse.status).toBe(1);
    expect(inUse.stderr).toMatch(/The secret "aws\/local" cannot be deleted: the destination ".+" uses it/);
    expect(await engine.secrets.reveal('aws/local')).toBe(SECRET);

    // Values are never in SQLite: not in the database, nor its WAL.
    engine.db.pragma('wal_checkpoint(PASSIVE)');
    for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) {
      const full = path.join(dir, file);
      if (fs.existsSync(full)) expect(fs.readFileSync(full).includes(Buffer.from(SECRET)), file).toBe(false);
    }
  }, 180_000);

  it("a memory ref of a process that has ended is dropped when the workspace opens; a live process's is kept", async () => {
    const { engine, dir } = await openApp();
    await engine.secrets.save('held-by-app', 'app-value');
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(ended.stdout);
    expect(deadPid).toBeGreaterThan(0);
    engine.db
      .prepare(
        "INSERT INTO secret_refs (name, backend, account, created_at, updated_at, owner_session, owner_pid) VALUES ('left-by-crash', 'memory', 'ws/left-by-crash', 'x', 'x', 'gone-session', ?)",
      )
      .run(deadPid);
    // A ref an earlier build wrote (no owner recorded) belongs to nobody alive either.
    engine.db
      .prepare("INSERT INTO secret_refs (name, backend, account, created_at, updated_at) VALUES ('old-build', 'memory', 'ws/old-build', 'x', 'x')")
      .run();

    const list = await runSluice(['--workspace', dir, 'secrets', 'list'], { env: noKeychain });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('held-by-app');
    expect(list.stdout).not.toContain('left-by-crash');
    expect(list.stdout).not.toContain('old-build');
    expect(engine.secrets.list().map((r) => r.name)).toEqual(['held-by-app']);
    expect(await engine.secrets.reveal('held-by-app')).toBe('app-value');
  }, 180_000);

  it('another engine in the same process keeps its hands off; a closed engine releases its refs', async () => {
    const { engine, dir } = await openApp();
    await engine.secrets.save('mine', 'v1');
    const other = await Engine.open({ workspace: dir, runtime: 'browser-host', seedDemo: false });
    closers.push(() => other.shutdown());
    expect(other.secrets.list().map((r) => r.name)).toEqual(['mine']);
    await expect(other.secrets.reveal('mine')).rejects.toThrow(/another Sluice engine in this process/);
    await expect(other.secrets.save('mine', 'v2')).rejects.toThrow(/cannot replace it/);
    await expect(other.secrets.delete('mine')).rejects.toThrow(/cannot delete it/);
    expect(await engine.secrets.reveal('mine')).toBe('v1');
    engine.close();
    expect(other.secrets.list()).toEqual([]);
  }, 180_000);
});
