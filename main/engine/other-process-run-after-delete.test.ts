import fs from 'node:fs';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/config/sync';
import { callChannel } from '../testing/call-channel';
import { runSluice } from '../testing/cli-process';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { createPeopleDb } from '../testing/model-db';
import { startSilentServer } from '../testing/peers/silent-server';

// A walkthrough found a `sluice sync run` started after the app deleted the sync of its newest run showing no
// progress in the app, no Cancel, and "Running" after it ended: it got the deleted run's id, which the app had
// run itself (so took for its own) and had seen (so looked only above). A run's id is now never given again.
const closers = closeAfterEach();

it('a `sluice sync run` after the app deleted the sync of its newest run reaches the app as it runs, and the app can cancel it', async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  createPeopleDb(t.dir, 3).db.close();
  // `hung` sends to a Kafka "broker" that never answers: its run keeps going until it is cancelled.
  const silent = await startSilentServer();
  closers.push(silent.close);
  const file = path.join(t.dir, 'sluice.yaml');
  const sync = (name: string, destination: string) =>
    `  - { name: ${name}, model: people, destination: ${destination}, triggers: [added], payload: { mode: mapping, fields: [{ column: name, key: name }] } }`;
  fs.writeFileSync(
    file,
    [
      'version: 1',
      `sources: [{ kind: sqlite, name: people-db, path: ${JSON.stringify(path.join(t.dir, 'people.sqlite'))} }]`,
      'models: [{ name: people, source: people-db, query: "SELECT id, name FROM people", primaryKey: [id] }]',
      `destinations: [{ kind: sandbox-kinesis, name: sandbox }, { kind: kafka, name: hung, brokers: ["127.0.0.1:${silent.port}"], topic: t }]`,
      'syncs:',
      sync('doomed', 'sandbox'),
      sync('people-sync', 'hung'),
    ].join('\n'),
  );
  const applied = await runSluice(['--workspace', t.dir, 'apply', '-f', file]);
  expect(applied.status, applied.stderr).toBe(0);
  const progress: RunSummary[] = [];
  t.engine.onEvent((event, payload) => {
    if (event === 'runProgress') progress.push(payload as RunSummary);
  });

  // The app runs a sync, then deletes it: its run was the newest.
  const own = await t.engine.runSync('doomed');
  expect(own.status).toBe('succeeded');
  await callChannel(t.engine, 'deleteSync', { name: 'doomed' });

  const cli = runSluice(['--workspace', t.dir, 'sync', 'run', 'people-sync']);
  await vi.waitFor(() => expect(progress.some((p) => p.sync === 'people-sync' && p.status === 'running')).toBe(true), { timeout: 30_000, interval: 50 });
  const id = progress.find((p) => p.sync === 'people-sync')!.id;
  expect(id).toBeGreaterThan(own.id);
  expect(t.engine.runs.activeRun(t.engine.catalog.getSync('people-sync').id)).toBe(id);

  // Cancel, as the app's button does: the CLI process stops it, and the app is told it ended.
  expect(t.engine.cancelRun(id)).toBe(true);
  const ran = await cli;
  expect(ran.status, ran.stderr).toBe(130);
  expect(ran.stderr).toContain(`Run ${id} was cancelled from another Sluice process`);
  await vi.waitFor(() => expect(progress.find((p) => p.id === id && p.status === 'cancelled')).toMatchObject({ sync: 'people-sync' }), {
    timeout: 10_000,
    interval: 50,
  });
}, 180_000);
