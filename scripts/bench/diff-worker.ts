// One diff measurement in its own process, so peak RSS is this measurement's alone.
// Usage: tsx scripts/bench/diff-worker.ts ROWS  → prints one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CatalogStore } from '../../main/catalog/catalog-store';
import { openDatabase } from '../../main/state/database';
import { SqliteReader } from '../../main/sources/sqlite-reader';
import { Differ } from '../../main/sync/differ';

const rows = Number(process.argv[2] ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-diff-'));
const QUERY = 'SELECT * FROM customers';
const ALL = new Set(['added', 'changed', 'removed'] as const);

function makeModel(file: string): void {
  const db = new BetterSqlite3(file);
  db.exec(
    'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT, city TEXT, plan TEXT, score REAL, updated_at TEXT)',
  );
  const insert = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++)
      insert.run(i, `user${i}@example.com`, `Customer ${i}`, ['Berlin', 'Zürich', 'Lagos'][i % 3], ['free', 'team'][i % 2], i / 7, '2026-11-22T00:00:00Z');
  })();
  db.close();
}

async function main(): Promise<void> {
  const modelFile = path.join(dir, 'model.sqlite');
  makeModel(modelFile);
  const state = openDatabase(path.join(dir, 'state'));
  const catalog = new CatalogStore(state);
  catalog.putSource({ kind: 'sqlite', name: 'm', path: modelFile });
  catalog.putModel({ name: 'm', source: 'm', query: QUERY, primaryKey: ['id'] });
  catalog.putDestination({ kind: 'sandbox-kinesis', name: 'd', stream: 's', shards: 1 });
  const sync = catalog.putSync({
    name: 's',
    model: 'm',
    destination: 'd',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'json-column', column: 'email' },
  });
  const reader = new SqliteReader(modelFile, QUERY);
  const columns = await reader.columns();
  await reader.close();

  /** Read the whole model, stage it, classify every row into added/changed/removed/unchanged. */
  const classifyAll = async (label: string) => {
    const started = process.hrtime.bigint();
    const differ = new Differ(state.name, sync.id);
    const { read } = await differ.stageSqlite(modelFile, QUERY, columns, ['id'], () => undefined);
    const counts = differ.classify(ALL, false, read);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    differ.dispose();
    return { label, seconds: Math.round(seconds * 1000) / 1000, rowsPerSecond: Math.round(read / seconds), counts };
  };

  const first = await classifyAll('empty snapshot: every row added');
  // Deliver everything (as acknowledgements would), then change 1 % of the model.
  const record = new Differ(state.name, sync.id);
  const { read } = await record.stageSqlite(modelFile, QUERY, columns, ['id'], () => undefined);
  record.classify(new Set(), true, read);
  record.dispose();
  const model = new BetterSqlite3(modelFile);
  model.prepare("UPDATE customers SET plan = 'business' WHERE id % 100 = 0").run();
  model.prepare('DELETE FROM customers WHERE id % 1000 = 1').run();
  model.close();
  const second = await classifyAll('full snapshot: 1 % changed, 0.1 % removed');

  state.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ rows, passes: [first, second], peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
}

void main();
