// `sluice capture` as a user runs it: a separate process on a workspace whose sync sent 40 rows to the
// built-in sandbox stream (its records kept in the workspace), until caught up, with --model, and --follow
// stopped by Ctrl-C (SIGINT) at a checkpoint.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { packageRoot } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.splice(0).forEach((c) => c()));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Result>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  child.stdin.end();
  return { child, done, stderr: () => stderr };
}
const sluice = (args: string[]) => start(args).done;

function count(file: string): number {
  try {
    const db = new Sqlite(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM captured_records').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('sluice capture', () => {
  let dir: string;
  let peopleFile: string;
  const w = (...args: string[]) => ['--workspace', dir, ...args];
  beforeAll(async () => {
    const ws = tempWorkspace('sluice-cli-capture-');
    cleanups.push(ws.cleanup);
    dir = ws.dir;
    const { file, db } = createPeopleDb(dir, 40);
    db.close();
    peopleFile = file;
    const engine = await Engine.open({ workspace: dir, runtime: 'cli', seedDemo: false });
    try {
      engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
      engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
      engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'cli-capture', shards: 2 });
      engine.catalog.putDestination({ kind: 'firehose', name: 'hose', deliveryStream: 'd', region: 'us-east-1', auth: { kind: 'default-chain' } });
      // Nothing listens on port 1: every call is refused.
      engine.catalog.putDestination({
        kind: 'kinesis',
        name: 'down',
        stream: 'orders',
        endpoint: 'http://127.0.0.1:1',
        auth: { kind: 'access-key', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: { env: 'PATH' } },
      });
      engine.catalog.putSync({
        name: 'people-sync',
        model: 'people',
        destination: 'sandbox',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      });
      expect((await engine.runSync('people-sync')).status).toBe('succeeded');
    } finally {
      await engine.shutdown();
    }
  }, 60_000);

  it('captures until caught up, prints the count per shard, creates the model with --model, and captures nothing new the second time', async () => {
    const file = path.join(dir, 'captured-people.sqlite'); // not people.sqlite: that is the model's source file
    const out = await sluice(w('capture', 'sandbox', '--into', file, '--model', 'captured people'));
    expect(out.stderr).not.toMatch(/^\s+at /m);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`Captured 40 records from cli-capture into ${file} (caught up).`);
    expect(out.stdout).toMatch(/^ {2}shardId-000000000000\t\d+ captured\tcaught-up\tat \d+$/m);
    expect(out.stderr).toContain('Created the model "captured people"');
    expect(count(file)).toBe(40);

    const models = await sluice(w('export'));
    expect(models.stdout).toContain('captured people');

    const again = await sluice(w('capture', 'sandbox', '--into', file, '--json'));
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ state: 'done', captured: 0 });
  }, 90_000);

  it('--model: a name Sluice refuses is said before anything is captured; a model of that name over another file is left as it is, and said', async () => {
    const accented = path.join(dir, 'accented.sqlite');
    const refused = await sluice(w('capture', 'sandbox', '--into', accented, '--model', 'Péople'));
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--model "Péople": A name starts with a letter or digit');
    expect(fs.existsSync(accented)).toBe(false);

    // "people" is the model over the people database: it went on reading that file, and nothing said so.
    const file = path.join(dir, 'taken-name.sqlite');
    const taken = await sluice(w('capture', 'sandbox', '--into', file, '--model', 'people'));
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain(
      `The capture is kept in ${file}, but the model "people" (source "people-db") exists already over ${peopleFile}, not over this file: it was left as it is. Choose another name with --model`,
    );
    expect(count(file)).toBe(40);
    expect((await sluice(w('export'))).stdout).toContain(`path: ${peopleFile}`);
  }, 90_000);

  it('--follow runs until Ctrl-C, then stops at a checkpoint and exits 0', async () => {
    const file = path.join(dir, 'follow.sqlite');
    const run = start(w('capture', 'sandbox', '--into', file, '--follow'));
    const deadline = Date.now() + 60_000;
    while (count(file) < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(count(file)).toBe(40);
    run.child.kill('SIGINT');
    const out = await run.done;
    expect(out.status).toBe(0);
    expect(out.stderr).toContain('Stopping at the last checkpoint');
    expect(out.stdout).toContain('Captured 40 records from cli-capture');
    expect(out.stdout).toContain('(stopped)');
    // Resumed from the checkpoint: nothing twice.
    const again = await sluice(w('capture', 'sandbox', '--into', file, '--json'));
    expect(JSON.parse(again.stdout)).toMatchObject({ captured: 0 });
    expect(count(file)).toBe(40);
  }, 90_000);

  it("refuses to capture into a model's source file or the workspace's own database, saying which file and what to do, and leaves them as they were", async () => {
    const before = fs.readFileSync(peopleFile);
    const source = await sluice(w('capture', 'sandbox', '--into', peopleFile));
    expect(source.status).not.toBe(0);
    expect(source.stderr).toContain(`Cannot capture into ${peopleFile}: it is a SQLite database that holds table "people", which no Sluice capture makes`);
    expect(source.stderr).toContain('Choose a new file, or a SQLite file Sluice captured into before.');
    expect(source.stderr).not.toMatch(/^\s+at /m);
    expect(fs.readFileSync(peopleFile).equals(before)).toBe(true);
    expect(fs.existsSync(`${peopleFile}-wal`) || fs.existsSync(`${peopleFile}-shm`)).toBe(false);

    const workspaceDb = path.join(dir, 'sluice.db');
    const own = await sluice(w('capture', 'sandbox', '--into', workspaceDb));
    expect(own.status).not.toBe(0);
    expect(own.stderr).toContain(`Cannot capture into ${workspaceDb}: it is a SQLite database`);
    expect(own.stderr).not.toMatch(/^\s+at /m);
    const db = new Sqlite(workspaceDb, { readonly: true });
    try {
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE '%capture%'").all()).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);

  it('says clearly that Firehose cannot be read back, and what --from takes', async () => {
    const hose = await sluice(w('capture', 'hose', '--into', path.join(dir, 'hose.sqlite')));
    expect(hose.status).not.toBe(0);
    expect(hose.stderr).toContain('Firehose delivery stream, which cannot be read back');
    expect(hose.stderr).not.toMatch(/^\s+at /m);
    const from = await sluice(w('capture', 'sandbox', '--into', path.join(dir, 'x.sqlite'), '--from', 'yesterday'));
    expect(from.status).not.toBe(0);
    expect(from.stderr).toContain('--from must be trim-horizon or latest (got "yesterday")');
  }, 60_000);

  it('a capture that fails before capturing anything leaves no file behind (it left an empty SQLite or NDJSON file, "0 records captured before, kept in …")', async () => {
    for (const name of ['down.sqlite', 'down.ndjson']) {
      const file = path.join(dir, name);
      const r = await sluice(w('capture', 'down', '--into', file));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('The capture failed: ');
      expect(r.stderr).toContain(`nothing was captured, and ${file} was not made`);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('down.'))).toEqual([]);
    }
  }, 60_000);
});
