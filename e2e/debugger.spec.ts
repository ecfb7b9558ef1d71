import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, ready, test } from './fixtures';
import { localKinesisYaml, peopleModelYaml, usePeoplePeers } from './peer-setup';

// The Debugger in Chromium: it fills live while syncs run against kinesis-local (behind the fault
// proxy, slowed down and throttling some records) and a real Kafka broker; filters and the detail
// view; and the list with 100,000 recorded calls (only visible rows in the DOM, scrolling measured).

const total = (app: Page) => app.getByTestId('api-call-total');
async function callCount(app: Page): Promise<number> {
  // The total has thousands separators ("100,000 calls").
  return Number((/^([\d,]+)/.exec((await total(app).textContent()) ?? '')?.[1] ?? '0').replaceAll(',', ''));
}

test.describe('live calls from syncs', () => {
  const peers = usePeoplePeers({
    prefix: 'debugger',
    rows: 6000,
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
    name: local-kafka
    brokers: [${peers.kafka.listeners.plaintext}]
    topic: people
syncs:
  - name: to-kinesis
    model: People
    destination: local-kinesis
    triggers: [added]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: name }] }
  - name: to-kafka
    model: People
    destination: local-kafka
    triggers: [added]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: name }] }
`);
    },
  });

  async function runSync(app: Page, sync: string): Promise<void> {
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: new RegExp(sync) })
      .click();
    await app.getByRole('button', { name: 'Run now' }).click();
  }

  test('the debugger fills live during a sync to kinesis-local; errors-only and operation filters and the detail view work', async ({ app }) => {
    test.setTimeout(90_000);
    // 12 PutRecords calls, each held 700 ms by the proxy; every 25th record of the first batches throttled.
    peers.proxy.delay(700, 100);
    peers.proxy.failRecords(({ index }) => index % 25 === 0, { times: 2 });
    await ready(app);
    await runSync(app, 'to-kinesis');
    await app.getByRole('link', { name: 'Debugger' }).click();
    const list = app.getByTestId('api-call-list');
    // A call is recorded when its answer arrives (the proxy holds each one 700 ms; the machine may be busy).
    await expect(list.getByTestId('api-call-row').first()).toBeVisible({ timeout: 30_000 });
    const early = await callCount(app);
    // More calls arrive without any reload while the run is still going (how many depends on the retries).
    await expect.poll(() => callCount(app), { timeout: 30_000 }).toBeGreaterThan(early);
    await expect.poll(() => callCount(app), { timeout: 60_000 }).toBeGreaterThanOrEqual(14); // 12 batches + the throttled records' retries

    await app.getByLabel('Errors only').check();
    await expect(total(app)).toContainText(/^2 calls/);
    const errorRows = list.getByTestId('api-call-row');
    await expect(errorRows).toHaveCount(2);
    for (const row of await errorRows.all()) await expect(row).toHaveAttribute('data-error', 'true');
    await errorRows.first().click();
    const detail = app.getByTestId('api-call-detail');
    await expect(detail.getByRole('heading', { level: 2 })).toContainText('kinesis PutRecords');
    await expect(detail.getByTestId('api-call-error')).toContainText('PartialFailure: 20 of 500 records failed');
    await expect(detail.getByTestId('api-call-request')).toContainText('"StreamName": "people"');
    await expect(detail.getByTestId('api-call-results')).toContainText('"ProvisionedThroughputExceededException"');
    await expect(detail.getByTestId('api-call-timing')).toContainText('into the run');

    await app.getByLabel('Errors only').uncheck();
    await app.getByLabel('Operation').selectOption('PutRecords');
    await expect.poll(() => callCount(app)).toBeGreaterThanOrEqual(14);
    for (const row of await list.getByTestId('api-call-row').all()) await expect(row).toHaveAttribute('data-operation', 'PutRecords');
    await app.getByLabel('Search calls').fill('Throughput');
    await expect(total(app)).toContainText(/^2 calls/);

    // Export the run's calls as HAR: every PutRecords with its URL, status and no credentials. The run
    // may still be retrying: wait for it to end (its badge in the list of syncs), then for the list to hold still.
    await app.getByLabel('Search calls').fill('');
    await app.getByLabel('Operation').selectOption('');
    await app.getByRole('link', { name: 'Syncs' }).click();
    await expect(app.getByLabel('Syncs').getByRole('button', { name: /to-kinesis/ })).toContainText('Succeeded', { timeout: 60_000 });
    await app.getByRole('link', { name: 'Debugger' }).click();
    await app.getByLabel('Run').selectOption({ index: 1 });
    await expect.poll(() => callCount(app)).toBeGreaterThanOrEqual(14);
    let count = -1;
    await expect
      .poll(
        async () => {
          const before = await callCount(app);
          await app.waitForTimeout(1500);
          count = await callCount(app);
          return count === before;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const [download] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: 'Export HAR' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^sluice-run-\d+-api-calls\.har$/);
    const har = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
      log: { entries: { request: { url: string; headers: { name: string; value: string }[] }; response: { status: number } }[] };
    };
    expect(har.log.entries).toHaveLength(count);
    expect(har.log.entries[0]!.request.url.startsWith(peers.proxy.endpoint)).toBe(true);
    expect(har.log.entries[0]!.request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value).toBe('[redacted]');
    expect(har.log.entries.filter((e) => e.response.status === 200)).toHaveLength(count);
  });

  test('with a search, the list holds still during a run and offers the calls recorded since', async ({ app }) => {
    test.setTimeout(90_000);
    // 12 PutRecords calls, each held 1.5 s by the proxy: the run outlasts the search being typed.
    peers.proxy.delay(1500, 100);
    await ready(app);
    await runSync(app, 'to-kinesis');
    await app.getByRole('link', { name: 'Debugger' }).click();
    await app.getByLabel('Search calls').fill('PutRecords');
    const newCalls = app.getByTestId('api-call-new');
    // The search is not re-run as calls arrive (it scans every stored call): a notice counts them instead.
    await expect(newCalls).toContainText(/^ · \d+ new calls? recorded since this search/, { timeout: 30_000 });
    const searched = await callCount(app);
    await expect.poll(async () => Number(/(\d+) new/.exec((await newCalls.textContent()) ?? '')?.[1] ?? 0), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await callCount(app)).toBe(searched);
    await newCalls.getByRole('button', { name: 'Refresh' }).click();
    await expect(newCalls).toHaveCount(0);
    await expect.poll(() => callCount(app), { timeout: 30_000 }).toBeGreaterThan(searched);
    peers.proxy.reset();
  });

  test('a sync to Kafka shows its Produce calls with partition offsets and the protocol calls around them', async ({ app }) => {
    test.setTimeout(60_000);
    await ready(app);
    await app.getByRole('link', { name: 'Debugger' }).click();
    await expect(app.getByText('No API calls recorded yet')).toBeVisible();
    await runSync(app, 'to-kafka');
    await app.getByRole('link', { name: 'Debugger' }).click();
    await expect.poll(() => callCount(app), { timeout: 30_000 }).toBeGreaterThan(12);
    await app.getByLabel('Service').selectOption('kafka');
    await app.getByLabel('Operation').selectOption('Produce');
    const rows = app.getByTestId('api-call-list').getByTestId('api-call-row');
    await expect.poll(() => callCount(app), { timeout: 30_000 }).toBe(12); // 6000 records in batches of 500
    await rows.first().click();
    const detail = app.getByTestId('api-call-detail');
    await expect(detail.getByRole('heading', { level: 2 })).toContainText('kafka Produce');
    await expect(detail.getByTestId('api-call-request')).toContainText('"topic": "people"');
    await expect(detail.getByTestId('api-call-results')).toContainText('"baseOffset"');
    await expect(detail.getByTestId('api-call-transport')).toContainText('"apiVersion"');
    await app.getByLabel('Operation').selectOption('Metadata');
    await expect(rows.first()).toHaveAttribute('data-operation', 'Metadata');
  });
});

/** Inserts `n` recorded calls straight into a workspace's database (as the recorder writes them). */
function seedCalls(workspace: string, n: number): void {
  const db = new BetterSqlite3(path.join(workspace, 'sluice.db'));
  const insert = db.prepare(`INSERT INTO api_calls (run_id, context, destination, service, operation, target, status, http_status, request_id, started_at,
    started_ms, duration_ms, attempt, request_bytes, response_bytes, record_count, failed_records, error_code, error_message, is_error, request, response, results, transport)
    VALUES (?, 'sync', 'bench', 'kinesis', 'PutRecords', 'us-east-1 http://127.0.0.1:4567', ?, ?, ?, ?, ?, ?, 1, 250000, 9000, 500, ?, ?, ?, ?, ?, '{}', NULL, NULL)`);
  const start = Date.now() - n * 5;
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const error = i % 1000 === 0;
      insert.run(
        Math.ceil(i / 1000),
        error ? '503' : '200',
        error ? 503 : 200,
        `req-${i}`,
        new Date(start + i * 5).toISOString(),
        start + i * 5,
        20 + (i % 30),
        error ? 500 : 0,
        error ? 'ServiceUnavailableException' : null,
        error ? 'Service Unavailable' : null,
        error ? 1 : 0,
        JSON.stringify({ StreamName: 'bench', Records: { count: 500 }, marker: `call-${i}` }),
      );
    }
  })();
  db.close();
}

test.describe('with 100,000 recorded calls', () => {
  // The database is created at the current schema by applying an empty configuration, then seeded.
  test.use({ config: 'version: 1\n', prepare: { run: (workspace) => seedCalls(workspace, 100_000) } });

  test('the list stays windowed and quick', async ({ app }, testInfo) => {
    test.setTimeout(90_000);
    await ready(app);
    let t0 = Date.now();
    await app.getByRole('link', { name: 'Debugger' }).click();
    await expect(total(app)).toContainText('100,000 calls');
    const firstRender = Date.now() - t0;
    const list = app.getByTestId('api-call-list');
    const rows = list.getByTestId('api-call-row');
    // The list follows new calls: it opens at the newest.
    await expect(list.locator('[data-id="100000"]')).toBeVisible();
    // Scrolling up, away from the newest, stops following.
    await list.evaluate((el) => (el.scrollTop = 0));
    await expect(app.getByLabel('Follow new calls')).not.toBeChecked();
    await expect(rows.first()).toHaveAttribute('data-id', '1');
    const inDom = await rows.count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(80); // only what is visible, plus a few

    // Jump to the middle and to the end: the rows there load and render.
    const jumps: number[] = [];
    for (const [fraction, id] of [
      [0.5, 50_000],
      [1, 100_000],
    ] as const) {
      t0 = Date.now();
      await list.evaluate((el, f) => (el.scrollTop = f * el.scrollHeight), fraction);
      await expect(list.locator(`[data-id="${id}"]`)).toBeVisible();
      jumps.push(Date.now() - t0);
    }
    expect(await rows.count()).toBeLessThan(80);

    // Scrolling frame by frame through 2,000 rows: frames measured in the app.
    // The same loop without scrolling gives this machine's frame time as a baseline.
    const frames = await list.evaluate(async (el) => {
      const loop = async (step: number) => {
        const times: number[] = [];
        let last = performance.now();
        for (let i = 0; i < 120; i++) {
          el.scrollTop += step;
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        times.sort((a, b) => a - b);
        return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]! };
      };
      el.scrollTop = 0;
      const idle = await loop(0);
      return { idle, scrolling: await loop(470) };
    });

    await app.getByLabel('Errors only').check();
    await expect(total(app)).toContainText('100 calls');
    t0 = Date.now();
    await app.getByLabel('Search calls').fill('call-99000');
    await expect(total(app)).toContainText(/^1 call\b/);
    const search = Date.now() - t0;
    const figures = `first render ${firstRender} ms; jump to middle ${jumps[0]} ms, to end ${jumps[1]} ms; scroll frames median ${frames.scrolling.median.toFixed(1)} ms, p95 ${frames.scrolling.p95.toFixed(1)} ms (idle frames on this machine: median ${frames.idle.median.toFixed(1)} ms, p95 ${frames.idle.p95.toFixed(1)} ms); search (incl. 250 ms debounce) ${search} ms; ${inDom} rows in the DOM`;
    testInfo.annotations.push({ type: 'debugger-100k', description: figures });
    console.log(`Debugger with 100,000 calls: ${figures}`);
  });
});

test.describe('a long text pasted into the search', () => {
  test.use({ config: 'version: 1\n', prepare: { run: (workspace) => seedCalls(workspace, 20) } });

  test('is searched for its first 200 characters, the list never refused', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Debugger' }).click();
    await expect(total(app)).toContainText('20 calls');
    // A record's data pasted whole: longer than a search may be.
    await app.getByLabel('Search calls').fill(`call-7${' '.repeat(40)}${'x'.repeat(400)}`);
    await expect(app.getByLabel('Search calls')).toHaveValue(/^call-7 {40}x{154}$/);
    await expect(total(app)).toContainText(/^0 calls\b/);
    await expect(app.getByRole('alert')).toHaveCount(0);
    await app.getByLabel('Search calls').fill('call-7');
    await expect(total(app)).toContainText(/^1 call\b/);
    await expect(app.getByRole('alert')).toHaveCount(0);
  });
});
