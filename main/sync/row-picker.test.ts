import { afterEach, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { pickRows } from './row-picker';

// The rows the payload preview, routing preview and template tests pick from a real SQLite model.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function people(n: number) {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, n);
  db.close();
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  return t.engine;
}

describe('picking rows from a model', () => {
  it('first N in model order, one row by key (or none), and a random sample of distinct rows from the whole model', async () => {
    const engine = await people(500);
    expect((await pickRows(engine, 'people', { mode: 'first', count: 3 }, ['id'])).map((p) => p.row.id)).toEqual([1, 2, 3]);
    expect((await pickRows(engine, 'people', { mode: 'key', key: '321' }, ['id'])).map((p) => p.row)).toEqual([{ id: 321, name: 'person 321' }]);
    expect(await pickRows(engine, 'people', { mode: 'key', key: '9999' }, ['id'])).toEqual([]);
    // A key pasted with spaces around it finds the same row.
    expect((await pickRows(engine, 'people', { mode: 'key', key: ' 321 ' }, ['id'])).map((p) => p.row.id)).toEqual([321]);
    expect((await pickRows(engine, 'people', { mode: 'key', key: '\t321\n' }, ['id'])).map((p) => p.row.id)).toEqual([321]);

    const ids = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const sample = await pickRows(engine, 'people', { mode: 'random', count: 10 }, ['id']);
      expect(sample).toHaveLength(10);
      expect(new Set(sample.map((p) => p.row.id)).size).toBe(10);
      for (const p of sample) ids.add(p.row.id as number);
    }
    // A reservoir over every row: the samples reach past the first rows.
    expect(Math.max(...ids)).toBeGreaterThan(100);
  });
});
