import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import type { Page } from '@playwright/test';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { startKinesalite, type KinesisPeer } from '../main/testing/peers/kinesis';
import { createPeopleDb } from '../main/testing/model-db';
import { tempWorkspace } from '../main/testing/temp';

// Issue #17 item 5: the browser host alerts with a Web Notification when a run fails or ends partial
// (never for a dry run or a success), naming the sync and the run's top failure reason; it asks the
// browser's permission on the first real run, not on page load; Settings turns alerts off. Headless
// Chromium cannot show an OS notification, so an init script stands in for `window.Notification` and
// records what Sluice constructs (and how often it asked). The runs are real, against kinesalite.

process.env.SLUICE_E2E_SECRET = 'any-secret-works-locally';

let kinesalite: KinesisPeer;
let modelDir: { dir: string; cleanup(): void };
let modelFile: string;

test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  modelDir = tempWorkspace('sluice-e2e-alerts-');
  const { file, db } = createPeopleDb(modelDir.dir, 40);
  db.close();
  modelFile = file;
  kinesalite = await startKinesalite();
  const client = kinesalite.client();
  await client.send(new CreateStreamCommand({ StreamName: 'alerts', ShardCount: 1 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'alerts' });
  client.destroy();
});
test.afterAll(async () => {
  await kinesalite?.stop();
  modelDir?.cleanup();
});

test.use({
  config: async ({}, use) => {
    const dest = (name: string, stream: string) => `  - kind: kinesis
    name: ${name}
    stream: ${stream}
    region: us-east-1
    endpoint: ${kinesalite.endpoint}
    auth: { kind: access-key, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: { env: SLUICE_E2E_SECRET } }`;
    const sync = (name: string, model: string, destination: string, partitionKey: string) => `  - name: ${name}
    model: ${model}
    destination: ${destination}
    triggers: [added, changed, removed]
    partitionKey: ${partitionKey}
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: name }] }`;
    await use(`version: 1
sources:
  - { kind: sqlite, name: people-db, path: ${JSON.stringify(modelFile)} }
models:
  - { name: People, source: people-db, query: "SELECT * FROM people", primaryKey: [id] }
  - { name: Nicknames, source: people-db, query: "SELECT id, name, CASE WHEN id % 10 = 0 THEN NULL ELSE name END AS nick FROM people", primaryKey: [id] }
destinations:
${dest('alerts-stream', 'alerts')}
${dest('missing-stream', 'no-such-stream')}
syncs:
${sync('fine-sync', 'People', 'alerts-stream', '{ kind: primary-key }')}
${sync('nick-sync', 'Nicknames', 'alerts-stream', '{ kind: column, column: nick }')}
${sync('lost-sync', 'People', 'missing-stream', '{ kind: primary-key }')}
`);
  },
});

/** Stands in for window.Notification: records each one constructed and each permission request. */
function recordNotifications(): void {
  type Shown = { title: string; body: string | undefined; tag: string | undefined };
  const w = window as unknown as { __alerts: Shown[]; __permissionRequests: number };
  w.__alerts = [];
  w.__permissionRequests = 0;
  // A permission once granted stays granted across reloads of the tab, as a browser keeps it.
  let permission: NotificationPermission = sessionStorage.getItem('e2e-notifications') === 'granted' ? 'granted' : 'default';
  class RecordedNotification {
    static get permission(): NotificationPermission {
      return permission;
    }
    static requestPermission(): Promise<NotificationPermission> {
      w.__permissionRequests++;
      permission = 'granted';
      sessionStorage.setItem('e2e-notifications', 'granted');
      return Promise.resolve(permission);
    }
    constructor(title: string, options?: NotificationOptions) {
      w.__alerts.push({ title, body: options?.body, tag: options?.tag });
    }
    close(): void {}
  }
  Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true, writable: true });
}

const alerts = (app: Page) => app.evaluate(() => (window as unknown as { __alerts: { title: string; body?: string; tag?: string }[] }).__alerts);
const permissionRequests = (app: Page) => app.evaluate(() => (window as unknown as { __permissionRequests: number }).__permissionRequests);

async function runAndWait(app: Page, sync: string, button: 'Run now' | 'Dry run', status: string): Promise<void> {
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: new RegExp(sync) })
    .click();
  await app.getByRole('button', { name: button }).click();
  await expect(app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText(status, { timeout: 30_000 });
}

test('a failed or partial run alerts, naming the sync and its top reason; a dry run (its plan shown) and a success do not', async ({ app }) => {
  test.setTimeout(120_000);
  await ready(app);
  const origin = new URL(app.url()).origin;
  await app.context().grantPermissions(['notifications'], { origin });
  await app.context().addInitScript(recordNotifications);
  await app.reload();
  await ready(app);
  // Nothing is asked on page load.
  expect(await permissionRequests(app)).toBe(0);

  await app.getByRole('link', { name: 'Syncs' }).click();
  // A dry run with 4 rows whose partition key is null ends partial, asks nothing and alerts nothing.
  await runAndWait(app, 'nick-sync', 'Dry run', 'Dry run: 4 would be refused');
  expect(await permissionRequests(app)).toBe(0);
  // The dry run's result: where its records would go (the stream's one shard) and what a real run would reject.
  const plan = app.getByRole('region', { name: 'Where the records would go' });
  await expect(plan.getByRole('table', { name: 'Records per shard' }).getByRole('row').nth(1)).toContainText(/shardId-0+\s*36/);
  await expect(plan.getByTestId('dry-run-rejected')).toHaveText('A real run would reject 4 records: 4 no partition key.');
  await expect(app.getByRole('heading', { name: 'Rows not sent: refused before sending (4)' })).toBeVisible();
  await expect(app.getByText('A real run would not send these: their record could not be made (no partition key: it is null or empty).')).toBeVisible();
  await expect(app.getByRole('list', { name: 'Rows not sent' }).getByRole('listitem')).toHaveCount(4);
  await shot(app, 'dry-run-plan');

  // The first real run asks the browser, once; a successful run alerts nothing.
  await runAndWait(app, 'fine-sync', 'Run now', 'Succeeded');
  expect(await permissionRequests(app)).toBe(1);

  // Partial: 36 of 40 sent, 4 rows refused for their null partition key.
  await runAndWait(app, 'nick-sync', 'Run now', 'Partly sent');
  await expect.poll(() => alerts(app)).toHaveLength(1);
  const [partial] = await alerts(app);
  expect(partial!.title).toBe('Sluice: "nick-sync" sent only part of its records');
  expect(partial!.body).toBe('Sent 36 of 40; 4 not sent. The partition-key column "nick" is null (4 records)');

  // Failed: the stream does not exist; the alert says so.
  await runAndWait(app, 'lost-sync', 'Run now', 'Failed');
  await expect.poll(() => alerts(app)).toHaveLength(2);
  const failed = (await alerts(app))[1]!;
  expect(failed.title).toBe('Sluice: "lost-sync" failed');
  expect(failed.body).toMatch(/no-such-stream/);
  expect(await permissionRequests(app)).toBe(1);
  await shot(app, 'run-alerts-failed');

  // Alerts off in Settings: the next failure is quiet.
  await app.getByRole('link', { name: 'Settings' }).click();
  const toggle = app.getByRole('checkbox', { name: 'Alert me when a run fails' });
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(toggle).not.toBeChecked();
  // Saved: it stays off after a reload (which also starts the page's notification recorder afresh).
  await app.reload();
  await ready(app);
  await expect(app.getByRole('checkbox', { name: 'Alert me when a run fails' })).not.toBeChecked();
  await shot(app, 'run-alerts-settings');
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /lost-sync/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  await expect(history.getByRole('row').nth(1)).toContainText('Failed', { timeout: 30_000 });
  // (The reload started a fresh recorder, permission still granted: nothing was constructed since.)
  expect(await app.evaluate(() => Notification.permission)).toBe('granted');
  expect(await alerts(app)).toEqual([]);
});
