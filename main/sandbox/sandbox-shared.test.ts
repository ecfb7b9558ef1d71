import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { Engine } from '../engine/engine';
import { INSPECT_MAX_RECORDS } from '../../shared/config/inspector';
import { DEMO } from '../demo/seed-demo';
import { packageRoot } from '../paths';
import { callChannel } from '../testing/call-channel';
import { runSluice } from '../testing/cli-process';
import { closeAfterEach } from '../testing/lifecycle';
import { tempWorkspace } from '../testing/temp';
import { readServerFile } from './server-file';
import { sandboxPaths } from './sandbox-kinesis';

// Issue 14, item 6: the sandbox stream keeps its records across processes. The CLI runs in its own
// processes; "the app" is an engine opened in this one, before or after them.
const closers = closeAfterEach();

function workspace(): string {
  const ws = tempWorkspace();
  closers.push(ws.cleanup);
  return ws.dir;
}

async function openApp(dir: string): Promise<Engine> {
  const engine = await Engine.open({ workspace: dir, runtime: 'electron', seedDemo: false });
  closers.push(() => engine.shutdown());
  return engine;
}

async function cliRun(dir: string): Promise<number> {
  const run = await runSluice(['--workspace', dir, 'sync', 'run', DEMO.sync, '--json']);
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { counts: { acknowledged: number } };
  expect(report.counts.acknowledged).toBeGreaterThan(0);
  return report.counts.acknowledged;
}

/** What the app reads back of what was sent: a full read (the oldest records), and the first and last record opened from the ledger, byte for byte. */
async function expectReadBack(engine: Engine, sent: number): Promise<void> {
  const read = await callChannel(engine, 'inspectRead', { destination: DEMO.destination, from: { at: 'earliest' }, limit: INSPECT_MAX_RECORDS });
  expect(read.records).toHaveLength(Math.min(sent, INSPECT_MAX_RECORDS));
  const ids = engine.db.prepare("SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS n FROM ledger WHERE status = 'acknowledged'").get() as {
    first: number;
    last: number;
    n: number;
  };
  expect(ids.n).toBe(sent);
  for (const ledgerId of [ids.first, ids.last]) {
    const back = await callChannel(engine, 'inspectLedgerRecord', { ledgerId });
    expect(back.match, back.detail).toBe(true);
  }
}

describe('the sandbox stream shared by the processes using a workspace', () => {
  it("keeps a CLI run's records for the app opened afterwards, even after a sandbox owner was killed", async () => {
    const dir = workspace();
    const sent = await cliRun(dir);
    const { serverFile } = sandboxPaths(dir);
    // The CLI closed its server on the way out.
    expect(fs.existsSync(serverFile)).toBe(false);

    // A process that serves the sandbox is killed (-9): its server file stays behind, stale.
    const holder = spawn(
      process.execPath,
      [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', dir, 'inspect', DEMO.destination, '--from', 'latest', '--wait', '20000'],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    await vi.waitFor(() => expect(readServerFile(serverFile)?.pid).toBe(holder.pid), { timeout: 60_000, interval: 100 });
    holder.kill('SIGKILL');
    await exited;
    expect(readServerFile(serverFile)?.pid).toBe(holder.pid);

    const app = await openApp(dir);
    await expectReadBack(app, sent);
    expect(readServerFile(serverFile)?.pid).toBe(process.pid);
  }, 180_000);

  it("the open app's sandbox serves a CLI run, and the app reads its records", async () => {
    const dir = workspace();
    const seed = await runSluice(['--workspace', dir, 'info']);
    expect(seed.status, seed.stderr).toBe(0);
    const app = await openApp(dir);
    const endpoint = await app.sandbox.ensureStream('sluice-sandbox', 2);
    expect(readServerFile(sandboxPaths(dir).serverFile)).toMatchObject({ pid: process.pid, endpoint });

    const sent = await cliRun(dir);
    // The CLI used the app's server rather than starting its own.
    expect(readServerFile(sandboxPaths(dir).serverFile)).toMatchObject({ pid: process.pid, endpoint });
    await expectReadBack(app, sent);
  }, 180_000);

  // Whichever of the two serves the sandbox exits while the other still uses it (stop-serving.ts, follow-moves.ts).
  it('two processes starting the sandbox at once share one server and one store; the run outlives the other', async () => {
    const dir = workspace();
    const seed = await runSluice(['--workspace', dir, 'info']);
    expect(seed.status, seed.stderr).toBe(0);
    const [sent, inspected] = await Promise.all([cliRun(dir), runSluice(['--workspace', dir, 'inspect', DEMO.destination, '--json'])]);
    expect(inspected.status, `signal ${String(inspected.signal)}: ${inspected.stderr}`).toBe(0);

    const app = await openApp(dir);
    await expectReadBack(app, sent);
  }, 180_000);
});
