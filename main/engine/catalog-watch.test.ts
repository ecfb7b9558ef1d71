import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/config/sync';
import type { EventName } from '../../shared/ipc/contract';
import { runSluice } from '../testing/cli-process';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';

// Issue 14, item 6: what `sluice apply` changes shows in the open app without a restart. The app is an
// engine open in this process; the CLI runs in its own.
const closers = closeAfterEach();

function config(dir: string, models: string[]): string {
  const file = path.join(dir, 'sluice.yaml');
  fs.writeFileSync(
    file,
    [
      'version: 1',
      `sources: [{ kind: sqlite, name: people-db, path: ${JSON.stringify(path.join(dir, 'people.sqlite'))} }]`,
      'models:',
      ...models.map((m) => `  - { name: ${m}, source: people-db, query: "SELECT id, name FROM people", primaryKey: [id] }`),
      'destinations: [{ kind: sandbox-kinesis, name: sandbox }]',
      'syncs:',
      `  - { name: people-sync, model: ${models[0]}, destination: sandbox, triggers: [added], payload: { mode: mapping, fields: [{ column: name, key: name }] } }`,
    ].join('\n'),
  );
  return file;
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
    // Cancelling it here says where it runs, once it is running elsewhere (here it has ended).
    expect(() => t.engine.cancelRun(id)).toThrow(`Run ${id} is not running in this Sluice`);

    const own = await t.engine.runSync('people-sync');
    const told = progress.filter((p) => p.id === own.id).length;
    t.engine.catalogWatch.check();
    expect(progress.filter((p) => p.id === own.id).length).toBe(told);
  }, 180_000);

  it('stops with the engine: no timer keeps the process alive, nothing runs on a closed database', async () => {
    const t = await openTestEngine();
    t.engine.close();
    expect(t.engine.catalogWatch.check()).toBe(false);
    await t.close();
  }, 180_000);
});
