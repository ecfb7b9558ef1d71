import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextRunId, RunStore } from '../../sync/run-store';
import { tempWorkspace } from '../../testing/temp';
import { currentSchemaVersion, openDatabase } from '../database';
import { nativeBindingPath } from '../native-binding';
import { MIGRATIONS } from './index';
import { closeAfterEach } from '../../testing/lifecycle';

// Migration 014: a run's id is never given twice in a workspace. A workspace of version 13 whose newest
// runs were deleted with their sync (their API calls, and even a ledger row, still name them) gives the
// next run an id above every one of them; so do two processes starting runs at once.

const cleanups = closeAfterEach();

const RUN = "INSERT INTO runs (sync_id, status, dry_run, phase, started_at, counts) VALUES (?, 'succeeded', 0, 'done', 'x', '{}')";

/** A workspace as version 13 left it: runs 1–3 of sync `kept`; runs 4–6 were `gone`'s, deleted with it, calls of run 6 kept. */
function workspaceOfVersion13(): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const old = openDatabase(
    ws.dir,
    MIGRATIONS.filter((m) => m.version <= 13),
  );
  expect(currentSchemaVersion(old)).toBe(13);
  old.exec(`INSERT INTO sources (name, kind, definition, updated_at) VALUES ('db', 'sqlite', '{}', 'x');
    INSERT INTO models (name, source, definition, updated_at) VALUES ('m', 'db', '{}', 'x');
    INSERT INTO destinations (name, kind, definition, updated_at) VALUES ('d', 'kafka', '{}', 'x');
    INSERT INTO syncs (id, name, model, destination, definition, updated_at) VALUES (1, 'kept', 'm', 'd', '{}', 'x'), (2, 'gone', 'm', 'd', '{}', 'x');`);
  for (const sync of [1, 1, 1, 2, 2, 2]) old.prepare(RUN).run(sync);
  old.exec(`INSERT INTO api_calls (run_id, context, destination, service, operation, target, status, started_at, started_ms, duration_ms, attempt, is_error, request, response)
    VALUES (6, 'sync', 'd', 'kafka', 'Produce', 't', 'ok', 'x', 0, 1, 1, 0, '{}', '{}');
    DELETE FROM runs WHERE sync_id = 2; DELETE FROM syncs WHERE id = 2;`);
  // As version 13 did it: the next run took a deleted one's id.
  expect(old.prepare(RUN).run(1).lastInsertRowid).toBe(4);
  old.exec('DELETE FROM runs WHERE id = 4');
  old.close();
  return ws.dir;
}

/** Another process that creates `n` runs of sync 1 as fast as it can once told to go (once it is `ready`); its ids on stdout. */
function runCreator(file: string, n: number): { ready: Promise<void>; go(): void; ids: Promise<number[]> } {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('tsx/cjs/api').register();
       const { RunStore } = require(${JSON.stringify(path.resolve(__dirname, '../../sync/run-store.ts'))});
       const D = require('better-sqlite3');
       const db = new D(process.argv[1], { nativeBinding: process.argv[2] || undefined });
       db.pragma('busy_timeout = 10000');
       const store = new RunStore(db);
       process.stdin.once('data', () => {
         const ids = [];
         for (let i = 0; i < Number(process.argv[3]); i++) ids.push(store.create(1, false));
         process.stdout.write(JSON.stringify(ids));
         db.close();
       });
       process.stdout.write('ready\\n');`,
      file,
      nativeBindingPath() ?? '',
      String(n),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  cleanups.push(() => child.kill('SIGKILL'));
  let out = '';
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const ids = new Promise<number[]>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice(out.indexOf('\n') + 1)) as number[]) : reject(new Error(`exited ${code}`))));
  });
  return { ready, go: () => child.stdin.end('go\n'), ids };
}

describe('migration 014: run ids never reused', () => {
  it("a workspace of version 13 gives the next run an id above every deleted run's, even one only the Debugger's calls still name", () => {
    const dir = workspaceOfVersion13();
    const db = openDatabase(dir);
    cleanups.push(() => db.close());
    expect(currentSchemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    expect(nextRunId(db)).toBe(7);
    const runs = new RunStore(db);
    expect(runs.create(1, false)).toBe(7);
    // Deleting the newest run does not give its id back.
    db.exec('DELETE FROM runs WHERE id = 7');
    expect(runs.create(1, true)).toBe(8);
    expect(runs.get(8)).toMatchObject({ id: 8, sync: 'kept', status: 'running', dryRun: true });
    expect(nextRunId(db)).toBe(9);
  });

  it('a run whose id is left to SQLite, or is one given before, is refused; nothing is written', () => {
    const db = openDatabase(workspaceOfVersion13());
    cleanups.push(() => db.close());
    expect(() => db.prepare(RUN).run(1)).toThrow(/A run id must be above every id given before/);
    expect(() => db.prepare(RUN.replace('(sync_id', '(id, sync_id').replace('VALUES (', 'VALUES (5, ')).run(1)).toThrow(/A run id must be above/);
    expect(db.prepare('SELECT id FROM runs ORDER BY id').all()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(nextRunId(db)).toBe(7);
  });

  it('two processes creating runs at once on one workspace (the app and the CLI) never get the same id', async () => {
    const dir = workspaceOfVersion13();
    const db = openDatabase(dir);
    cleanups.push(() => db.close());
    const n = 1000;
    const [a, b] = [runCreator(db.name, n), runCreator(db.name, n)];
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const ids = (await Promise.all([a.ids, b.ids])).flat();
    expect(ids).toHaveLength(2 * n);
    expect(new Set(ids).size).toBe(2 * n);
    expect(Math.min(...ids)).toBe(7);
    expect(Math.max(...ids)).toBe(6 + 2 * n);
    expect((db.prepare('SELECT COUNT(*) AS n FROM runs WHERE id > 6').get() as { n: number }).n).toBe(2 * n);
  }, 60_000);
});
