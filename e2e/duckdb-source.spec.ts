import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { tempWorkspace } from '../main/testing/temp';

// A DuckDB source made in the app (issue #16): in memory it reads files by path; with a .duckdb file its tables are listed.

let files: { dir: string; cleanup(): void };
test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  files = tempWorkspace('sluice-e2e-duckdb-');
  const instance = await DuckDBInstance.create(path.join(files.dir, 'mart.duckdb'));
  const c = await instance.connect();
  await c.run('CREATE TABLE orders AS SELECT range AS id, 1.5::DECIMAL(4,2) AS amount FROM range(3)');
  c.closeSync();
  instance.closeSync();
});
test.afterAll(() => files?.cleanup());

test('a DuckDB source: a relative database path is refused, a .duckdb file lists its tables, and it saves', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Sources' }).click();
  await app.getByRole('button', { name: 'Add a source' }).first().click();
  const form = app.getByRole('region', { name: 'New source' });
  await form.getByRole('radio', { name: /DuckDB/ }).click();
  await form.getByLabel('Name', { exact: true }).fill('mart');
  await form.getByLabel('Path').fill('mart.duckdb');
  await form.getByRole('button', { name: 'Test', exact: true }).click();
  const result = form.getByRole('region', { name: 'Source test' });
  await expect(result).toContainText('is relative');
  await form.getByLabel('Path').fill(path.join(files.dir, 'mart.duckdb'));
  await form.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(result.getByRole('list', { name: 'Tables' })).toContainText('orders');
  await shot(app, 'duckdb-source-tested');
  await form.getByRole('button', { name: 'Save source' }).click();
  await expect(app.getByRole('table', { name: 'Sources' }).getByRole('row', { name: /mart/ })).toContainText('DuckDB');
});
