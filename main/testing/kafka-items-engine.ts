import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import type { Engine } from '../engine/engine';
import { openTestEngine } from './engine';

/**
 * A fresh engine with a two-row SQLite model `items`, a Kafka destination `kafka` at 127.0.0.1:`port`
 * (topic `items`) and a sync `out` of added rows to it; its close is pushed onto `closers`.
 */
export async function engineToKafkaAt(port: number, closers: (() => unknown)[]): Promise<{ engine: Engine; dir: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'a'), (2, 'b')`);
  db.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, name FROM items', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [`127.0.0.1:${port}`], topic: 'items' });
  engine.catalog.putSync({
    name: 'out',
    model: 'items',
    destination: 'kafka',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return { engine, dir: t.dir };
}
