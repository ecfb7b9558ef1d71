import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { runSluice } from '../testing/cli-process';
import { tempWorkspace } from '../testing/temp';
import { openModel } from './open-model';

// A SQL model whose query returns two columns of one name (`SELECT c.id, c.name, o.id …`): each row sent
// "id" with the order's id at the customer's place, without a word. The app's editor, `sluice apply` and a
// run of a model saved before refuse it, naming the model, each repeated name and how to fix it.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const JOIN = 'SELECT c.id, c.name, o.id, o.total FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id';
const REFUSAL =
  'The query of model "orders" returns "id" twice (columns 1 and 3): a row holds one value per name, so only the last would be sent, in the first one\'s place. Give one of them another name with AS (e.g. o.id AS order_id)';

/** A real SQLite file: customers 1 and 2, orders 10, 11 (of customer 1) and 12 (of 2). */
function shopDb(dir: string): string {
  const file = path.join(dir, 'shop.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bo');
    CREATE TABLE orders (id INTEGER, customer_id INTEGER, total REAL); INSERT INTO orders VALUES (10, 1, 5), (11, 1, 7), (12, 2, 9);`);
  db.close();
  return file;
}

it("the model editor's preview, key check and save refuse the query, saying each repeated name and how to fix it; nothing is saved", async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'shop', path: shopDb(t.dir) });
  const model = { name: 'orders', source: 'shop', query: JOIN, primaryKey: ['id'] };

  const preview = await failure(callChannelOrThrowWire(engine, 'previewModelDraft', { source: 'shop', query: JOIN, limit: 10 }));
  expect(preview.message).toBe(REFUSAL.replace('The query of model "orders"', 'The query'));
  expect((await failure(callChannelOrThrowWire(engine, 'checkModelKeys', { model }))).message).toBe(REFUSAL);
  const save = await failure(callChannelOrThrowWire(engine, 'saveModel', { model, mode: 'create' }));
  expect(save).toMatchObject({
    code: 'invalid-input',
    message: REFUSAL,
    issues: [{ path: 'query', message: expect.stringContaining('Columns of one name: id') }],
  });
  expect(engine.catalog.listModels()).toEqual([]);

  // Three times, and a second name: each is said.
  const three = 'SELECT c.id, c.name, o.id, o.total, o.id, c.name FROM customers c JOIN orders o ON o.customer_id = c.id';
  expect((await failure(callChannelOrThrowWire(engine, 'saveModel', { model: { ...model, query: three }, mode: 'create' }))).message).toMatch(
    /^The query of model "orders" returns "id" 3 times \(columns 1, 3 and 5\), "name" twice \(columns 2 and 6\): /,
  );

  // The example names the repeated column.
  const names =
    "SELECT c.name, c.id AS customer_id, o.name FROM customers c JOIN (SELECT id, customer_id, '#' || id AS name FROM orders) o ON o.customer_id = c.id";
  expect((await failure(callChannelOrThrowWire(engine, 'checkModelKeys', { model: { ...model, query: names, primaryKey: ['customer_id'] } }))).message).toMatch(
    /returns "name" twice \(columns 1 and 3\): .*\(e\.g\. o\.name AS order_name\)$/,
  );

  // Given another name with AS, it is saved, and its rows carry both ids.
  const fixed = { ...model, query: JOIN.replace('o.id,', 'o.id AS order_id,'), primaryKey: ['order_id'] };
  await callChannelOrThrowWire(engine, 'saveModel', { model: fixed, mode: 'create' });
  const reader = await openModel(engine.catalog.getSource('shop'), fixed, engine.secretResolver);
  closers.push(() => reader.close());
  expect((await reader.columns()).map((c) => c.name)).toEqual(['id', 'name', 'order_id', 'total']);
});

it('names that differ in case alone are two columns to a row, sent both: not refused', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'shop', path: shopDb(t.dir) });
  const preview = await callChannelOrThrowWire(t.engine, 'previewModelDraft', {
    source: 'shop',
    query: 'SELECT c.id, o.id AS ID FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id',
    limit: 1,
  });
  expect(preview.rows).toEqual([{ id: 1, ID: 10 }]);

  // A run (staged inside SQLite) sends both.
  const { engine } = t;
  engine.catalog.putModel({
    name: 'cased',
    source: 'shop',
    query: 'SELECT c.id, o.id AS ID FROM customers c JOIN orders o ON o.customer_id = c.id',
    primaryKey: ['ID'],
  });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'repeated-columns-cased' });
  engine.catalog.putSync({ name: 'c', model: 'cased', destination: 'sb', triggers: ['added'], payload: { mode: 'template', template: '{{ row | json }}' } });
  expect((await engine.runSync('c')).counts).toMatchObject({ acknowledged: 3 });
  expect(engine.db.prepare('SELECT row FROM snapshot ORDER BY key').all()).toEqual([
    { row: '{"id":1,"ID":10}' },
    { row: '{"id":1,"ID":11}' },
    { row: '{"id":2,"ID":12}' },
  ]);
});

it('a run of a model saved before (by an earlier build) fails before sending anything, with the same words; the snapshot is untouched', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'shop', path: shopDb(t.dir) });
  engine.catalog.putModel({ name: 'orders', source: 'shop', query: 'SELECT id, total FROM orders', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'repeated-columns' });
  engine.catalog.putSync({
    name: 's',
    model: 'orders',
    destination: 'sb',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{{ row | json }}' },
  });
  expect((await engine.runSync('s')).counts).toMatchObject({ acknowledged: 3 });
  const state = () => ({
    snapshot: engine.db.prepare('SELECT key, row FROM snapshot ORDER BY key').all(),
    ledger: engine.db.prepare('SELECT COUNT(*) AS n FROM ledger').get(),
  });
  const before = state();

  // The model as a workspace of an earlier build holds it (the catalog took it then), staged in SQLite or read row by row.
  for (const query of [JOIN, `${JOIN} -- not sqlite_master: read row by row`]) {
    engine.catalog.putModel({ name: 'orders', source: 'shop', query, primaryKey: ['id'] });
    const run = await engine.runSync('s');
    expect({ status: run.status, error: run.error }).toEqual({ status: 'failed', error: REFUSAL });
    expect(run.counts).toMatchObject({ acknowledged: 0, failed: 0 });
    expect(state()).toEqual(before);
    // A dry run says the same.
    expect((await engine.runSync('s', { dryRun: true })).error).toBe(REFUSAL);
  }
});

it('sluice apply refuses the model, saying where it is in the file, and applies nothing', async () => {
  const t = tempWorkspace();
  closers.push(t.cleanup);
  const file = shopDb(t.dir);
  const yaml = path.join(t.dir, 'shop.yaml');
  const apply = (query: string) => {
    fs.writeFileSync(
      yaml,
      `version: 1
sources:
  - { kind: sqlite, name: shop, path: ${JSON.stringify(file)} }
models:
  - { name: customers, source: shop, query: "SELECT id, name FROM customers", primaryKey: [id] }
  - { name: orders, source: shop, query: "${query}", primaryKey: [id] }
`,
    );
    return runSluice(['--workspace', t.dir, 'apply', '-f', yaml]);
  };
  const refused = await apply(JOIN);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain(`${yaml}, models[1] (line 6): ${REFUSAL}`);
  const exported = await runSluice(['--workspace', t.dir, 'export']);
  expect(exported.stdout).not.toContain('name: shop');

  const applied = await apply(JOIN.replace('c.id,', 'c.id AS customer_id,'));
  expect(applied.stderr).toBe('');
  expect(applied.status).toBe(0);
});

it("sluice apply refuses a CSV model whose file's header names a column twice, saying the file, the model and the name, and applies nothing; the app's editor refuses it too", async () => {
  const t = tempWorkspace();
  closers.push(t.cleanup);
  const csv = path.join(t.dir, 'orders.csv');
  fs.writeFileSync(csv, 'id,total,id\n1,5,10\n2,7,11\n');
  const yaml = path.join(t.dir, 'orders.yaml');
  fs.writeFileSync(
    yaml,
    `version: 1
sources:
  - { kind: csv, name: orders-file, path: ${JSON.stringify(csv)} }
models:
  - { name: orders, source: orders-file, primaryKey: [total] }
`,
  );
  const refused = await runSluice(['--workspace', t.dir, 'apply', '-f', yaml]);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain(
    `${yaml}, models[0] (line 5): Model "orders" reads ${csv}, line 1: the header names "id" twice (columns 1 and 3); rename one of them`,
  );
  expect((await runSluice(['--workspace', t.dir, 'export'])).stdout).not.toContain('orders-file');

  fs.writeFileSync(csv, 'id,total,order_id\n1,5,10\n2,7,11\n');
  const applied = await runSluice(['--workspace', t.dir, 'apply', '-f', yaml]);
  expect(applied.stderr).toBe('');
  expect(applied.status).toBe(0);

  // The app's editor: its preview and its save of the model (a file model is the whole file) refuse it, and nothing is saved.
  const e = await openTestEngine({ seedDemo: false });
  closers.push(e.close);
  const file = path.join(e.dir, 'twice.csv');
  fs.writeFileSync(file, 'id,total,id\n1,5,10\n');
  e.engine.catalog.putSource({ kind: 'csv', name: 'f', path: file });
  const words = `${file}, line 1: the header names "id" twice (columns 1 and 3); rename one of them`;
  expect((await failure(callChannelOrThrowWire(e.engine, 'previewModelDraft', { source: 'f', limit: 10 }))).message).toBe(words);
  const save = await failure(callChannelOrThrowWire(e.engine, 'saveModel', { model: { name: 'm', source: 'f', primaryKey: ['total'] }, mode: 'create' }));
  expect(save).toMatchObject({ code: 'invalid-input', message: words });
  expect(e.engine.catalog.listModels()).toEqual([]);
});
