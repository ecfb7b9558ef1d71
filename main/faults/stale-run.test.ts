// A run row left 'running' by a process that is gone must not block its sync for ever: not when the
// process id now belongs to another program (reused after a reboot or in a new container), nor when
// the process has not written the row for longer than a run ever stays silent.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextRunId, RUN_STALE_AFTER_MS } from '../sync/run-store';
import { openTestEngine } from '../testing/engine';

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')));

/** A live process that is not Sluice (`sleep`), or one that could be (`node`). */
async function liveProcess(program: 'sleep' | 'node'): Promise<number> {
  const child = program === 'sleep' ? spawn('sleep', ['300']) : spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)']);
  children.push(child);
  const pid = child.pid!;
  // Until exec, the child's command line is still its parent's (node).
  if (program === 'sleep') await vi.waitFor(() => expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toMatch(/^sleep/));
  return pid;
}

async function demoWithRunningRow(pid: number, updatedAgoMs: number) {
  const t = await openTestEngine({ seedDemo: true });
  const { engine } = t;
  const sync = engine.catalog.listSyncs()[0]!;
  const at = new Date(Date.now() - updatedAgoMs).toISOString();
  const runId = Number(
    engine.db
      .prepare("INSERT INTO runs (id, sync_id, status, dry_run, phase, started_at, counts, pid, updated_at) VALUES (?, ?, 'running', 0, 'sending', ?, ?, ?, ?)")
      .run(
        nextRunId(engine.db),
        sync.id,
        at,
        JSON.stringify({
          read: 0,
          added: 0,
          changed: 0,
          removed: 0,
          unchanged: 0,
          skippedByTrigger: 0,
          rejectedRows: 0,
          rendered: 0,
          sent: 0,
          acknowledged: 0,
          failed: 0,
        }),
        pid,
        at,
      ).lastInsertRowid,
  );
  return { ...t, sync, runId };
}

describe('a stale running run', () => {
  it.runIf(process.platform === 'linux')(
    'whose process id now belongs to another program does not block the sync; the next start marks it interrupted',
    async () => {
      const t = await demoWithRunningRow(await liveProcess('sleep'), 1000);
      try {
        expect(t.engine.runs.activeRun(t.sync.id)).toBeUndefined();
        const summary = await t.engine.runSync(t.sync.definition.name, { dryRun: true });
        expect(summary.status).toBe('succeeded');
        expect(t.engine.runs.get(t.runId)).toMatchObject({
          status: 'failed',
          error: expect.stringMatching(/^Interrupted: the Sluice process running it stopped/),
        });
      } finally {
        await t.close();
      }
    },
  );

  it(`whose process has not written its row for over ${RUN_STALE_AFTER_MS / 60_000} minutes does not block the sync`, async () => {
    const t = await demoWithRunningRow(await liveProcess('node'), RUN_STALE_AFTER_MS + 60_000);
    try {
      expect(t.engine.runs.activeRun(t.sync.id)).toBeUndefined();
      expect((await t.engine.runSync(t.sync.definition.name, { dryRun: true })).status).toBe('succeeded');
    } finally {
      await t.close();
    }
  });

  it('of a live Sluice heard of recently still blocks, and the refusal says what to do', async () => {
    const t = await demoWithRunningRow(await liveProcess('node'), 1000);
    try {
      expect(t.engine.runs.activeRun(t.sync.id)).toBe(t.runId);
      expect(() => t.engine.startRun(t.sync.definition.name)).toThrow(
        new RegExp(
          `is already running \\(run ${t.runId}\\)\\. Wait for it to end or cancel it .*a run whose process is gone, or silent for 10 minutes, is marked interrupted`,
        ),
      );
    } finally {
      await t.close();
    }
  });
});
