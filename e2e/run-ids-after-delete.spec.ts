import { spawn } from 'node:child_process';
import path from 'node:path';
import { applyConfig, expect, ready, shot, test } from './fixtures';
import { startSilentServer } from '../main/testing/peers/silent-server';

// A walkthrough: the app ran a sync, then deleted it (its run was the newest); a `sluice sync run` of another
// sync then got the deleted run's id, and the app showed no progress for it, no Cancel, and "Running" after it
// ended. A run's id is now never given twice, so the app shows that run as it goes and can cancel it.

let silent: Awaited<ReturnType<typeof startSilentServer>>;
test.beforeAll(async () => {
  silent = await startSilentServer();
});
test.afterAll(async () => {
  await silent?.close();
});

// "Customers to nowhere" sends the demo's customers to a Kafka "broker" that never answers: its run keeps
// going until it is cancelled.
test.use({
  prepare: {
    run: (workspace) =>
      applyConfig(
        workspace,
        [
          'version: 1',
          `destinations: [{ kind: kafka, name: Nowhere, brokers: ["127.0.0.1:${silent.port}"], topic: customers }]`,
          'syncs: [{ name: Customers to nowhere, model: Customers, destination: Nowhere, triggers: [added], payload: { mode: mapping, fields: [{ column: email, key: email }] } }]',
        ].join('\n'),
      ),
  },
});

test('a `sluice sync run` after the app deleted the sync of the newest run shows its progress in the app, and Cancel stops it', async ({ app, workspace }) => {
  test.setTimeout(120_000);
  await ready(app);
  await app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Syncs' }).click();
  const list = app.getByLabel('Syncs', { exact: true });
  const history = app.getByRole('table', { name: 'Run history' });

  // The app runs the demo's sync and deletes it: its run was the newest.
  await list.getByRole('button', { name: /Customers to sandbox/ }).click();
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 60_000 });
  await app.getByRole('tab', { name: 'Settings' }).click();
  await app.getByRole('button', { name: 'Delete sync…' }).click();
  await app.getByRole('alertdialog', { name: 'Delete the sync “Customers to sandbox”?' }).getByRole('button', { name: 'Delete sync' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Deleted “Customers to sandbox”' })).toBeVisible();

  // Another terminal runs the other sync.
  await list.getByRole('button', { name: /Customers to nowhere/ }).click();
  const cli = spawn(process.execPath, [path.resolve(__dirname, '..', 'bin', 'sluice.cjs'), '--workspace', workspace, 'sync', 'run', 'Customers to nowhere'], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
  try {
    const progress = app.getByRole('status', { name: 'Run progress' });
    await expect(progress).toBeVisible({ timeout: 30_000 });
    await expect(history.getByRole('row').nth(1)).toContainText('Running');
    await shot(app, 'run-ids-after-delete-cli-run');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(history.getByRole('row').nth(1)).toContainText('Cancelled', { timeout: 30_000 });
    await expect(progress).toBeHidden();
    expect(await exited).toBe(130);
  } finally {
    cli.kill('SIGKILL');
  }
});
