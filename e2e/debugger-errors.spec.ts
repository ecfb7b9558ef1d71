import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, ready, test } from './fixtures';
import { localKinesisYaml, peopleModelYaml, usePeoplePeers } from './peer-setup';

// The Debugger's errors, copied commands and layout (issue 15, item 8), in Chromium: after a run to
// kinesis-local with throttled records, the partial PutRecords shows as an error with its count, its
// AWS CLI command is copied to the clipboard, and the list keeps its rows and its main columns when a
// call's detail opens beside it (1400×900 and 1024×700); a sync to the real Kafka broker with a wrong
// SCRAM password shows the refused SaslAuthenticate, and its kcat command has no password in it; a sync to a
// Kafka port nobody listens on shows its failed Connect calls by their connection error, not kafkajs' class name.

process.env.SLUICE_E2E_WRONG_KAFKA_PASSWORD = 'not-the-scram-password';

const total = (app: Page) => app.getByTestId('api-call-total');
async function callCount(app: Page): Promise<number> {
  // The total has thousands separators ("100,000 calls").
  return Number((/^([\d,]+)/.exec((await total(app).textContent()) ?? '')?.[1] ?? '0').replaceAll(',', ''));
}

/** Rows wholly inside the list's scrolled area and the window. */
async function visibleRows(list: Locator): Promise<number> {
  return list.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight);
    return [...el.querySelectorAll('[data-testid="api-call-row"]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= box.top - 0.5 && b.bottom <= bottom + 0.5;
    }).length;
  });
}

/** The id of the lowest row wholly in view. */
async function lastVisibleRowId(list: Locator): Promise<string> {
  return list.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight);
    const inView = [...el.querySelectorAll<HTMLElement>('[data-testid="api-call-row"]')].filter(
      (r) => r.getBoundingClientRect().top >= box.top && r.getBoundingClientRect().bottom <= bottom + 0.5,
    );
    return inView[inView.length - 1]?.dataset.id ?? '';
  });
}

/** The columns of a row that are shown and not cut off by the list's edge. */
async function readableColumns(list: Locator): Promise<string[]> {
  return list.evaluate((el) => {
    const right = el.getBoundingClientRect().right;
    const row = el.querySelector('[data-testid="api-call-row"]');
    if (!row) return [];
    return [...row.querySelectorAll(':scope > span')]
      .filter((s) => {
        const b = s.getBoundingClientRect();
        return b.width > 0 && b.right <= right + 0.5;
      })
      .map((s) => s.classList[0]!.replace(/^c-/, ''));
  });
}

/** Opens the lowest call in view: the same rows stay in view, the list keeps its height and its main columns. */
async function expectListKeepsItsSize(app: Page, list: Locator, calls: number, size: string): Promise<void> {
  const detail = app.getByTestId('api-call-detail');
  await expect(detail).toHaveCount(0);
  const before = { rows: await visibleRows(list), box: (await list.boundingBox())! };
  expect(before.rows, size).toBeGreaterThan(5);
  expect(before.rows, `${size}: more calls than fit`).toBeLessThan(calls);
  await list.locator(`[data-id="${await lastVisibleRowId(list)}"]`).click();
  await expect(detail.getByRole('heading', { level: 2 })).toContainText('kinesis PutRecords');
  const after = { rows: await visibleRows(list), box: (await list.boundingBox())! };
  expect(after.rows, `visible rows at ${size}`).toBe(before.rows);
  expect(after.box.height, size).toBeCloseTo(before.box.height, 0);
  expect(after.box.y, size).toBeCloseTo(before.box.y, 0);
  // The list gives the detail width, not its main columns.
  expect(await readableColumns(list), `columns at ${size}`).toEqual(expect.arrayContaining(['time', 'op', 'status', 'records', 'error']));
}

async function grantClipboard(app: Page): Promise<void> {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url()).origin });
}

async function runSync(app: Page, sync: string): Promise<void> {
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: new RegExp(sync) })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
}

test.describe('errors, copied commands and the layout after real runs', () => {
  const peers = usePeoplePeers({
    prefix: 'debugger-errors',
    rows: 5000,
    kinesis: { server: 'kinesis-local', streams: [{ name: 'people', shards: 2 }] },
    kafka: { topics: [{ name: 'people', partitions: 3 }] },
  });
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
${peopleModelYaml(peers.modelFile)}
destinations:
${localKinesisYaml('local-kinesis', 'people', peers.proxy.endpoint)}
  - kind: kafka
    name: refused-kafka
    brokers: [${peers.kafka.listeners.saslSsl}]
    topic: people
    auth: { mechanism: scram-sha-512, username: ${peers.kafka.users.scram512.username}, password: { env: SLUICE_E2E_WRONG_KAFKA_PASSWORD } }
    tls: { enabled: true, caPem: ${JSON.stringify(peers.kafka.pki.caPem)} }
  - kind: kafka
    name: no-kafka
    brokers: ["127.0.0.1:1"]
    topic: people
syncs:
  - name: to-no-kafka
    model: People
    destination: no-kafka
    triggers: [added]
    payload: { mode: mapping, fields: [{ column: id, key: id }] }
  - name: to-kinesis
    model: People
    destination: local-kinesis
    triggers: [added]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: name }] }
  - name: to-refused-kafka
    model: People
    destination: refused-kafka
    triggers: [added]
    payload: { mode: mapping, fields: [{ column: id, key: id }] }
`);
    },
  });

  test('a partial PutRecords is an error with its count; Copy as AWS CLI command; the list keeps its rows and columns when a detail opens', async ({
    app,
  }, testInfo) => {
    test.setTimeout(240_000);
    await app.setViewportSize({ width: 1400, height: 900 });
    // Every 25th record of the first batch is throttled, then goes on the retry.
    peers.proxy.reset();
    peers.proxy.failRecords(({ index }) => index % 25 === 0, { times: 1 });
    await ready(app);
    await grantClipboard(app);
    await runSync(app, 'to-kinesis');
    const history = app.getByRole('table', { name: 'Run history' });
    await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 180_000 });
    await app.getByRole('link', { name: 'Debugger' }).click();
    const list = app.getByTestId('api-call-list');
    const rows = list.getByTestId('api-call-row');
    // At least 10 batches (at most 500 records each) and the retry.
    await expect.poll(() => callCount(app)).toBeGreaterThanOrEqual(11);
    const calls = await callCount(app);

    // Errors only: the partial call, with its status and how many records failed.
    await app.getByLabel('Errors only').check();
    await expect(total(app)).toContainText(/^1 call\b/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-status', 'partial');
    const failedText = (await rows.first().getByTestId('api-call-failed').textContent()) ?? '';
    const batch = Number(/\/ (\d+)$/.exec((await rows.first().locator('.c-records').textContent()) ?? '')?.[1]);
    expect(failedText).toBe(`${Math.ceil(batch / 25)} failed`);
    await app.getByLabel('Errors only').uncheck();
    await expect(total(app)).toContainText(`${calls} calls`);

    // In a small window the run's calls do not all fit: opening one keeps the rows in view.
    await app.setViewportSize({ width: 1024, height: 700 });
    await expectListKeepsItsSize(app, list, calls, '1024×700');
    await app.getByTestId('api-call-detail').getByRole('button', { name: 'Close the call' }).click();

    // Copy as AWS CLI command: the clipboard holds the command for this call, with no credentials.
    await app.setViewportSize({ width: 1400, height: 900 });
    await app.getByLabel('Search calls').fill('PartialFailure');
    await expect(total(app)).toContainText(/^1 call\b/);
    await rows.first().click();
    const detail = app.getByTestId('api-call-detail');
    await expect(detail.getByTestId('api-call-error')).toContainText(
      `PartialFailure: ${Math.ceil(batch / 25)} of ${batch} records failed (ProvisionedThroughputExceededException ×${Math.ceil(batch / 25)}: Rate exceeded`,
    );
    await detail.getByRole('button', { name: 'Copy as AWS CLI command' }).click();
    await expect(detail.getByRole('status')).toHaveText('Copied');
    const copied = await app.evaluate(() => navigator.clipboard.readText());
    expect(
      copied.startsWith(
        `aws kinesis put-records --region us-east-1 --endpoint-url ${peers.proxy.endpoint} --cli-input-json '{"StreamName":"people","Records":[{"Data":"`,
      ),
    ).toBe(true);
    expect(copied).not.toContain(process.env.SLUICE_E2E_SECRET!);
    expect(copied).not.toMatch(/authorization|AKIA/i);
    await expect(detail.getByTestId('api-call-copy-notes')).toContainText(`Only the first 3 of the ${batch} items of Records were recorded`);

    // The picture: the run's calls beside the partial call's detail.
    await app.getByLabel('Search calls').fill('');
    await expect(total(app)).toContainText(`${calls} calls`);
    await expect(detail.getByRole('heading', { level: 2 })).toContainText('kinesis PutRecords');
    const shot = testInfo.outputPath('debugger-1400x900-detail.png');
    await app.screenshot({ path: shot });
    await testInfo.attach('debugger-1400x900-detail', { path: shot, contentType: 'image/png' });
  });

  test("a Kafka broker nobody listens on: its failed Connect calls say the connection error, not the Kafka client's class name", async ({ app }) => {
    test.setTimeout(90_000);
    await ready(app);
    await runSync(app, 'to-no-kafka');
    await app.getByRole('link', { name: 'Debugger' }).click();
    await app.getByLabel('Errors only').check();
    const rows = app.getByTestId('api-call-list').getByTestId('api-call-row');
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
    // Its Error column and its detail said KafkaJSNumberOfRetriesExceeded.
    await expect(rows.first().locator('.c-error')).toHaveText(/^Connection error: connect ECONNREFUSED 127\.0\.0\.1:1$/);
    await rows.first().click();
    await expect(app.getByTestId('api-call-detail').getByTestId('api-call-error')).toHaveText(/^Connection error: connect ECONNREFUSED 127\.0\.0\.1:1$/);
    await expect(app.getByTestId('api-call-list')).not.toContainText('KafkaJS');
  });

  test('a refused SCRAM login shows as an error with the broker’s text; Copy as kcat command has no password', async ({ app }) => {
    test.setTimeout(90_000);
    await ready(app);
    await grantClipboard(app);
    await runSync(app, 'to-refused-kafka');
    await app.getByRole('link', { name: 'Debugger' }).click();
    await app.getByLabel('Errors only').check();
    await app.getByLabel('Operation').selectOption('SaslAuthenticate');
    const rows = app.getByTestId('api-call-list').getByTestId('api-call-row');
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
    for (const row of await rows.all()) await expect(row).toHaveAttribute('data-status', 'error');
    await rows.first().click();
    const detail = app.getByTestId('api-call-detail');
    await expect(detail.getByTestId('api-call-error')).toContainText(
      'SASL_AUTHENTICATION_FAILED: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
    await detail.getByRole('button', { name: 'Copy as kcat command' }).click();
    await expect(detail.getByRole('status')).toHaveText('Copied');
    const copied = await app.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      `kcat -L -b ${peers.kafka.listeners.saslSsl} -X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=${peers.kafka.users.scram512.username} -X sasl.password="$KAFKA_PASSWORD" -X ssl.ca.location="$KAFKA_CA_FILE"`,
    );
    expect(copied).not.toContain(process.env.SLUICE_E2E_WRONG_KAFKA_PASSWORD!);
    await expect(detail.getByRole('button', { name: 'Copy as AWS CLI command' })).toHaveCount(0);
  });
});

/** Inserts `n` recorded PutRecords calls into a workspace's database (as the recorder writes them). */
function seedCalls(workspace: string, n: number): void {
  const db = new BetterSqlite3(path.join(workspace, 'sluice.db'));
  const insert = db.prepare(`INSERT INTO api_calls (run_id, context, destination, service, operation, target, status, http_status, request_id, started_at,
    started_ms, duration_ms, attempt, request_bytes, response_bytes, record_count, failed_records, error_code, error_message, is_error, request, response, results, transport)
    VALUES (1, 'sync', 'seeded', 'kinesis', 'PutRecords', 'us-east-1 http://127.0.0.1:4567', ?, 200, ?, ?, ?, 20, 1, 250000, 9000, 500, ?, ?, ?, ?, ?, '{}', NULL, NULL)`);
  const start = Date.now() - n * 5;
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const partial = i % 7 === 0;
      insert.run(
        partial ? 'partial' : '200',
        `req-${i}`,
        new Date(start + i * 5).toISOString(),
        start + i * 5,
        partial ? 20 : 0,
        partial ? 'PartialFailure' : null,
        partial ? '20 of 500 records failed' : null,
        partial ? 1 : 0,
        JSON.stringify({ StreamName: 'seeded', Records: { count: 500, first: [] } }),
      );
    }
  })();
  db.close();
}

test.describe('with 300 recorded calls', () => {
  test.use({ config: 'version: 1\n', prepare: { run: (workspace) => seedCalls(workspace, 300) } });

  test('at 1400×900 and 1024×700 the list keeps its rows, height and main columns when a detail opens; the divider resizes the detail', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Debugger' }).click();
    await expect(total(app)).toContainText('300 calls');
    const list = app.getByTestId('api-call-list');
    for (const [width, height] of [
      [1400, 900],
      [1024, 700],
    ] as const) {
      await app.setViewportSize({ width, height });
      await expectListKeepsItsSize(app, list, 300, `${width}×${height}`);
      const detail = app.getByTestId('api-call-detail');
      if (width === 1400) {
        // Dragging the divider (here with the keyboard) widens the detail; the list keeps its height.
        const listHeight = (await list.boundingBox())!.height;
        const detailWidth = (await detail.boundingBox())!.width;
        await app.getByRole('separator', { name: 'Resize the call detail' }).focus();
        await app.keyboard.press('ArrowLeft');
        await expect.poll(async () => (await detail.boundingBox())!.width).toBeGreaterThan(detailWidth + 10);
        expect((await list.boundingBox())!.height).toBeCloseTo(listHeight, 0);
      }
      // (At 1024×700 the wider detail is held back: the list keeps room for its main columns.)
      await detail.getByRole('button', { name: 'Close the call' }).click();
    }
  });
});
