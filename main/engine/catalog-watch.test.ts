import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { sendingProgress, type RunSummary } from '../../shared/config/sync';
import { fmt } from '../../shared/format/format';
import type { EventName } from '../../shared/ipc/contract';
import { packageRoot } from '../paths';
import { runSluice } from '../testing/cli-process';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';
import { startSilentServer } from '../testing/peers/silent-server';

// Issue 14, item 6: what `sluice apply` changes shows in the open app without a restart. The app is an
// engine open in this process; the CLI runs in its own.
const closers = closeAfterEach();

function config(dir: string, models: string[], destination = '{ kind: sandbox-kinesis, name: sandbox }'): string {
  const file = path.join(dir, 'sluice.yaml');
  fs.writeFileSync(
    file,
    [
      'version: 1',
      `sources: [{ kind: sqlite, name: people-db, path: ${JSON.stringify(path.join(dir, 'people.sqlite'))} }]`,
      'models:',
      ...models.map((m) => `  - { name: ${m}, source: people-db, query: "SELECT id, name FROM people", primaryKey: [id] }`),
      `destinations: [${destination}]`,
      'syncs:',
      `  - { name: people-sync, model: ${models[0]}, destination: sandbox, triggers: [added], payload: { mode: mapping, fields: [{ column: name, key: name }] } }`.replace(
        'sandbox',
        destination.includes('name: sandbox') ? 'sandbox' : 'hung',
      ),
    ].join('\n'),
  );
  return file;
}

/**
 * The app (an engine open here) on a workspace whose sync sends to a Kafka "broker" that accepts
 * connections and never answers: a run of it keeps trying until it is cancelled. `progress`: the runProgress the app is told.
 */
async function hungSyncOpenInApp() {
  const t = await openTestEngine();
  closers.push(t.close);
  createPeopleDb(t.dir, 3).db.close();
  const silent = await startSilentServer();
  closers.push(silent.close);
  const file = config(t.dir, ['people'], `{ kind: kafka, name: hung, brokers: ["127.0.0.1:${silent.port}"], topic: t }`);
  const applied = await runSluice(['--workspace', t.dir, 'apply', '-f', file]);
  expect(applied.status, applied.stderr).toBe(0);
  const progress: RunSummary[] = [];
  t.engine.onEvent((event, payload) => {
    if (event === 'runProgress') progress.push(payload as RunSummary);
  });
  return { t, progress };
}

describe('catalog changes made by another process', () => {
  it('reach the open engine as catalogChanged after `sluice apply`; its own changes and a run do not', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    createPeopleDb(t.dir, 3).db.close();
    const events: EventName[] = [];
    t.engine.onEvent((event) => events.push(event));
    const catalogEvents = () => events.filter((e) => e === 'catalogChanged').length;

    // The CLI's first open seeds the demo catalog: a change by another process already.
    const info = await runSluice(['--workspace', t.dir, 'info']);
    expect(info.status, info.stderr).toBe(0);
    await vi.waitFor(() => expect(catalogEvents()).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });

    for (const models of [['people'], ['people', 'people-too']]) {
      const before = catalogEvents();
      const applied = await runSluice(['--workspace', t.dir, 'apply', '-f', config(t.dir, models)]);
      expect(applied.status, applied.stderr).toBe(0);
      await vi.waitFor(() => expect(catalogEvents()).toBeGreaterThan(before), { timeout: 10_000, interval: 50 });
      expect(t.engine.catalog.listModels().map((m) => m.name)).toEqual(expect.arrayContaining(models));
    }
    t.engine.catalogWatch.check();
    const seen = catalogEvents();

    // This engine's own change is its own to announce; the watcher does not echo it.
    t.engine.catalog.putModel({ name: 'own', source: 'people-db', query: 'SELECT id FROM people', primaryKey: ['id'] });
    expect(t.engine.catalogWatch.check()).toBe(false);

    // A run writes runs and the ledger (and marks the sync initialized): not a catalog change.
    const dry = await runSluice(['--workspace', t.dir, 'sync', 'run', 'people-sync', '--dry-run', '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(t.engine.catalogWatch.check()).toBe(false);
    expect(catalogEvents()).toBe(seen);
  }, 180_000);

  it("a run `sluice sync run` makes reaches the open engine as runProgress, to its end (the app showed it only once another page was opened); the engine's own runs are not told twice", async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    createPeopleDb(t.dir, 3).db.close();
    const applied = await runSluice(['--workspace', t.dir, 'apply', '-f', config(t.dir, ['people'])]);
    expect(applied.status, applied.stderr).toBe(0);
    const progress: RunSummary[] = [];
    t.engine.onEvent((event, payload) => {
      if (event === 'runProgress') progress.push(payload as RunSummary);
    });
    const run = await runSluice(['--workspace', t.dir, 'sync', 'run', 'people-sync', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const { id } = JSON.parse(run.stdout) as RunSummary;
    await vi.waitFor(
      () => expect(progress.find((p) => p.id === id && p.status === 'succeeded')).toMatchObject({ sync: 'people-sync', counts: { acknowledged: 3 } }),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    // A run that has ended cannot be cancelled, here or elsewhere.
    expect(() => t.engine.cancelRun(id)).toThrow(`Run ${id} is not running: it has ended (succeeded)`);

    const own = await t.engine.runSync('people-sync');
    const told = progress.filter((p) => p.id === own.id).length;
    t.engine.catalogWatch.check();
    expect(progress.filter((p) => p.id === own.id).length).toBe(told);
  }, 180_000);

  it('cancels a run `sluice sync run` carries out, from the open app and with `sluice sync cancel` (the app said to stop it where it runs)', async () => {
    const { t, progress } = await hungSyncOpenInApp();
    const runningRun = async () => {
      await vi.waitFor(() => expect(t.engine.runs.activeRun(t.engine.catalog.getSync('people-sync').id)).toBeDefined(), { timeout: 30_000, interval: 50 });
      return t.engine.runs.activeRun(t.engine.catalog.getSync('people-sync').id)!;
    };

    // From the app: Cancel asks the process running it, which stops within seconds, its run cancelled.
    const cli = runSluice(['--workspace', t.dir, 'sync', 'run', 'people-sync']);
    const id = await runningRun();
    const asked = Date.now();
    expect(t.engine.cancelRun(id)).toBe(true);
    const ran = await cli;
    expect(Date.now() - asked).toBeLessThan(15_000);
    expect(ran.status, ran.stderr).toBe(130);
    expect(ran.stderr).toContain(`Run ${id} was cancelled from another Sluice process`);
    await vi.waitFor(() => expect(progress.find((p) => p.id === id && p.status === 'cancelled')).toBeDefined(), { timeout: 10_000, interval: 50 });
    expect(t.engine.runs.get(id)).toMatchObject({ status: 'cancelled', counts: { acknowledged: 0 } });
    expect(() => t.engine.cancelRun(id)).toThrow(`Run ${id} is not running: it has ended (cancelled)`);

    // From another terminal: `sluice sync cancel` asks, waits for the end and says how it ended.
    const second = runSluice(['--workspace', t.dir, 'sync', 'run', 'people-sync']);
    const secondId = await runningRun();
    const cancel = await runSluice(['--workspace', t.dir, 'sync', 'cancel', 'people-sync']);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`Asked run ${secondId} of "people-sync" to stop.`);
    // Its three records' request was held unanswered: the cancel gave them up, the destination failed none.
    expect(cancel.stdout).toMatch(new RegExp(`Run ${secondId} ended cancelled: 0 records acknowledged, 0 failed, 3 not tried again \\(cancelled\\)\\.`));
    expect((await second).status).toBe(130);
    const none = await runSluice(['--workspace', t.dir, 'sync', 'cancel', 'people-sync']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('No run of "people-sync" is running: there is nothing to cancel.');
  }, 180_000);

  it('a run `sluice sync run` carries out tells the app what it retries and why nothing settles, as the CLI line says it (the app showed a rate and a time left)', async () => {
    const { t, progress } = await hungSyncOpenInApp();
    const cli = runSluice(['--workspace', t.dir, 'sync', 'run', 'people-sync']);
    let id: number | undefined;
    await vi.waitFor(
      () => {
        id = t.engine.runs.activeRun(t.engine.catalog.getSync('people-sync').id);
        expect(progress.find((p) => p.id === id && p.retrying?.stalled)).toBeDefined();
      },
      { timeout: 60_000, interval: 100 },
    );
    const told = progress.find((p) => p.id === id && p.retrying?.stalled)!;
    expect(told.retrying!.stalled).toMatchObject({ server: 'broker', seconds: expect.any(Number) });
    expect(told.etaSeconds).toBeNull();
    expect(sendingProgress(told, fmt)).toMatch(/ — broker (not answering|unreachable) for \d+(\.\d+)? s$/);
    t.engine.cancelRun(id!);
    expect((await cli).status).toBe(130);
    // Ended, the row keeps no live state.
    expect(t.engine.runs.get(id!)).not.toHaveProperty('retrying');
  }, 180_000);

  it('Cancel on a run whose `sluice sync run` process was killed marks it interrupted and tells the app (its panel had stayed "running")', async () => {
    const { t, progress } = await hungSyncOpenInApp();
    const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', t.dir, 'sync', 'run', 'people-sync'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const syncId = t.engine.catalog.getSync('people-sync').id;
    await vi.waitFor(() => expect(progress.some((p) => p.status === 'running')).toBe(true), { timeout: 30_000, interval: 50 });
    const id = t.engine.runs.activeRun(syncId)!;
    child.kill('SIGKILL');
    await exited;
    expect(t.engine.cancelRun(id)).toBe(true);
    expect(progress.filter((p) => p.id === id && p.status !== 'running')).toMatchObject([{ status: 'failed', error: expect.stringMatching(/^Interrupted/) }]);
  }, 120_000);

  it('a dry run stops at a cancel asked while it renders (it rendered on, never letting the cancel be seen, and ended succeeded)', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    createPeopleDb(t.dir, 300_000).db.close();
    expect((await runSluice(['--workspace', t.dir, 'apply', '-f', config(t.dir, ['people'])])).status).toBe(0);
    const { runId, done } = t.engine.runner.start('people-sync', { dryRun: true });
    await vi.waitFor(() => expect(t.engine.runs.get(runId)?.phase).toBe('sending'), { timeout: 60_000, interval: 10 });
    expect(t.engine.runs.requestCancel(runId)).toBe(true);
    const run = await done;
    expect(run.status).toBe('cancelled');
    expect(run.counts.rendered).toBeLessThan(300_000);
  }, 120_000);

  it('stops with the engine: no timer keeps the process alive, nothing runs on a closed database', async () => {
    const t = await openTestEngine();
    t.engine.close();
    expect(t.engine.catalogWatch.check()).toBe(false);
    await t.close();
  }, 180_000);
});
