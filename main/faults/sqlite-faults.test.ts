import { KinesisClient } from '@aws-sdk/client-kinesis';
import BetterSqlite3 from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { Engine } from '../engine/engine';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../sandbox/sandbox-kinesis';
import { readAllRecords } from '../testing/kinesis-read';
import { closeAfterEach } from '../testing/lifecycle';
import { MAX_LEDGER_BACKLOG } from '../sync/run/deliver';
import { tempWorkspace } from '../testing/temp';

// The fault suite, the workspace database: the disk holding it fills up mid-run, and another process
// holds its write lock for 8 s mid-run. Each run stops cleanly naming the cause, nothing crashes (an
// unhandled rejection fails this file), and the next run delivers every row the first did not record.

const closers = closeAfterEach();

const PAD = 'p'.repeat(1500);

async function openWithSync(workspace: string, rows: number): Promise<Engine> {
  const model = tempWorkspace('sluice-model-');
  const db = new BetterSqlite3(path.join(model.dir, 'items.sqlite'));
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, pad TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, PAD);
  })();
  db.close();
  const engine = await Engine.open({ workspace, runtime: 'browser-host', seedDemo: false });
  closers.push(() => model.cleanup());
  closers.push(() => engine.shutdown());
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: path.join(model.dir, 'items.sqlite') });
  engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, pad FROM items', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'faults', shards: 2 });
  engine.catalog.putSync({
    name: 'items-out',
    model: 'items',
    destination: 'sandbox',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "pad": {{ row.pad | json }}}' },
  });
  return engine;
}

/** Every record in the sandbox stream, by partition key (the row's key). */
async function sandboxKeys(engine: Engine): Promise<{ keys: Set<string>; records: number }> {
  const client = new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint: await engine.sandbox.endpoint(), credentials: SANDBOX_CREDENTIALS }));
  try {
    const records = await readAllRecords(client, 'faults');
    return { keys: new Set(records.map((r) => r.partitionKey)), records: records.length };
  } finally {
    client.destroy();
  }
}

/** A 96 MiB tmpfs when this process may mount one (root, as in CI); otherwise undefined. */
function smallDisk(): { dir: string; fill(leaveBytes: number): void; unfill(): void; cleanup(): void } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir: path.join(dir, 'workspace'),
    fill(leaveBytes) {
      const { bavail, bsize } = fs.statfsSync(dir);
      const size = Math.max(0, bavail * bsize - leaveBytes);
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(1024 * 1024, 1);
      for (let written = 0; written < size; written += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - written));
      fs.closeSync(fd);
    },
    unfill() {
      fs.rmSync(filler, { force: true });
    },
    cleanup() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('fault suite: the workspace database', () => {
  // Inline: each answered batch commits on the run's connection. On the ledger thread (as long work
  // lists do): the thread's own connection hits the full disk, and the run stops with its error.
  it.each([
    ['inline', {}],
    ['on the ledger thread', { ledgerThreadThreshold: 0 }],
  ])(
    'the disk fills up mid-run (%s): the run stops naming the full disk, nothing crashes, and the next run sends every row not recorded',
    async (_, options) => {
      const rows = 6000;
      const disk = smallDisk();
      // SQLite's page limit (the fallback without a tmpfs) holds only for the connection it is set on.
      if (!disk && 'ledgerThreadThreshold' in options) return;
      const ws = disk ? { dir: disk.dir, cleanup: () => disk.cleanup() } : tempWorkspace();
      closers.push(() => ws.cleanup());
      const engine = await openWithSync(ws.dir, rows);
      // A real full disk where a tmpfs can be mounted; elsewhere SQLite's own page limit, which fails the
      // same way (SQLITE_FULL).
      if (disk) disk.fill(3 * 1024 * 1024);
      else engine.db.pragma(`max_page_count = ${(engine.db.pragma('page_count', { simple: true }) as number) + 700}`);

      const first = await engine.runSync('items-out', options);
      expect(first.status === 'failed' || first.status === 'partial').toBe(true);
      expect(first.error).toMatch(/disk holding the workspace is full/);
      expect(first.counts.acknowledged).toBeLessThan(rows);

      if (disk) disk.unfill();
      else engine.db.pragma('max_page_count = 1073741823');
      const second = await engine.runSync('items-out');
      expect(second.status).toBe('succeeded');
      // The first run's end is in the history now that the disk has room again.
      expect(engine.runs.get(first.id)!.status).not.toBe('running');
      const { keys, records } = await sandboxKeys(engine);
      expect(keys.size).toBe(rows); // no row lost
      // Duplicates only for records on the wire when the ledger write failed (at most 4 requests of 500),
      // and on the ledger thread those of its backlog (at most MAX_LEDGER_BACKLOG writes, 2 per record).
      expect(records - rows).toBeLessThanOrEqual(2000 + ('ledgerThreadThreshold' in options ? MAX_LEDGER_BACKLOG / 2 : 0));
      const third = await engine.runSync('items-out');
      expect(third.counts).toMatchObject({ added: 0, changed: 0, removed: 0, sent: 0 });
    },
    120_000,
  );

  it('another process holds the write lock for 8 s mid-run: the run stops naming the lock, nothing crashes, and the next run sends the rest', async () => {
    const rows = 40_000;
    const ws = tempWorkspace();
    closers.push(() => ws.cleanup());
    const engine = await openWithSync(ws.dir, rows);
    // Another process (as a `sluice` command would) takes the write lock when told, and keeps it for 8 s.
    // (Its own wait for the lock is long: on a loaded machine a commit of the run's may hold it a while.)
    const holder = spawn(
      process.execPath,
      [
        '-e',
        "const db = new (require('better-sqlite3'))(process.argv[1], { timeout: 60000 }); process.stdin.once('data', () => { db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0); }, 8000); }); process.stdout.write('ready\\n');",
        path.join(ws.dir, 'sluice.db'),
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
    closers.push(() => {
      holder.kill('SIGKILL');
    });
    let said = '';
    holder.stdout.on('data', (d: Buffer) => (said += d.toString()));
    await waitFor(() => said.includes('ready'));
    const { runId, done } = engine.runner.start('items-out', {});
    let ended = false;
    void done.finally(() => (ended = true));
    await waitFor(() => ended || (engine.runs.get(runId)?.counts.acknowledged ?? 0) > 2000);
    holder.stdin.write('go\n');
    await waitFor(() => ended || said.includes('locked'));
    // The lock fell mid-run: the run had not ended when it was taken (it cannot end while it is held).
    expect(ended).toBe(false);

    const first = await done;
    // Either a ledger write waited past the busy timeout and the run stopped naming the lock, or the
    // waits fell on best-effort progress writes and the run rode the lock out. Both are fine; a raw
    // error, a crash, or a lost row are not.
    if (first.status === 'succeeded') expect(first.counts.acknowledged).toBe(rows);
    else {
      expect(first.status === 'failed' || first.status === 'partial').toBe(true);
      expect(first.error).toMatch(/^The run stopped: Another process holds the workspace database's write lock/);
    }
    expect(await exited).toBe(0);
    // What the run reported, and its row in the history, is what its ledger holds.
    expect(first.counts.acknowledged).toBe(acknowledgedInLedger(engine, first.id));
    expect(engine.runs.get(first.id)!.counts.acknowledged).toBe(first.counts.acknowledged);

    const second = await engine.runSync('items-out');
    expect(second.status).toBe('succeeded');
    expect(second.counts.acknowledged).toBe(acknowledgedInLedger(engine, second.id));
    expect(first.counts.acknowledged + second.counts.acknowledged).toBe(rows);
    const { keys, records } = await sandboxKeys(engine);
    expect(keys.size).toBe(rows);
    // 40,000 rows commit on the ledger thread: duplicates for records on the wire and its backlog.
    expect(records - rows).toBeLessThanOrEqual(2000 + MAX_LEDGER_BACKLOG / 2);
  }, 300_000);
});

function acknowledgedInLedger(engine: Engine, runId: number): number {
  return engine.db.prepare("SELECT count(*) FROM ledger WHERE run_id = ? AND status = 'acknowledged'").pluck().get(runId) as number;
}

/** Waits (without a deadline of its own: the test's timeout is the one) until `check` holds. */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}
