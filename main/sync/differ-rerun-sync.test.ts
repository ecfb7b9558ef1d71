import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { putSandboxSync, sandboxReader } from '../testing/sandbox-sync';

// Re-runs of a SQLite model, whose rows are compared with the snapshot as they are staged, through a
// real engine to the sandbox Kinesis stream (one shard: records read back in the order sent): what is
// sent, what the snapshot then holds, the counts and the refused rows' numbers.

const closers = closeAfterEach();
const TEMPLATE = '{"event": {{ event | json }}, "key": {{ key | json }}, "name": {{ row.name | json }}, "was": {{ previous.name | json }}}';

interface Setup {
  engine: Engine;
  db: Database;
  read(): Promise<string[]>;
  snapshot(): Record<string, string>;
}

/** A table people(id, name, score) with rows 1…n (score id × 10), a model `query` over it and a sync of every event. */
async function setup(rows: number, query = 'SELECT id, name, score FROM people ORDER BY score DESC, id', table = 'people'): Promise<Setup> {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'model.sqlite');
  const db = new BetterSqlite3(file);
  closers.push(() => void db.close());
  db.exec(`CREATE TABLE ${table} (id INTEGER, name TEXT, score INTEGER)`);
  for (let i = 1; i <= rows; i++) db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?)`).run(i, `person ${i}`, i * 10);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query, primaryKey: ['id'] });
  putSandboxSync(t.engine, { model: 'people', stream: 'rerun', template: TEMPLATE });
  const sent = sandboxReader(t.engine);
  return {
    engine: t.engine,
    db,
    // The records sent since the last read, as "event key name (was)".
    read: async () => {
      return (await sent()).map((text) => {
        const { event, key, name, was } = JSON.parse(text) as Record<string, string | null>;
        return `${event} ${key} ${name}${was === null ? '' : ` (${was})`}`;
      });
    },
    snapshot: () => {
      const id = t.engine.catalog.getSync('out').id;
      const rows = t.engine.db.prepare('SELECT key, row FROM snapshot WHERE sync_id = ? ORDER BY CAST(key AS INTEGER)').all(id) as {
        key: string;
        row: string;
      }[];
      return Object.fromEntries(rows.map((r) => [r.key, (JSON.parse(r.row) as { name: string }).name]));
    },
  };
}

const names = (ids: number[], renamed: Record<number, string> = {}) => Object.fromEntries(ids.map((i) => [String(i), renamed[i] ?? `person ${i}`]));

describe('a re-run of a SQLite model against its snapshot', () => {
  it('sends what changed in the model order (by score, descending), numbers refused rows in that order, and counts the rest unchanged', async () => {
    const s = await setup(10);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 10, acknowledged: 10 });
    expect(await s.read()).toHaveLength(10);
    s.db.exec(`UPDATE people SET name = 'renamed' WHERE id = 4; UPDATE people SET score = 95 WHERE id = 2; DELETE FROM people WHERE id = 6;
      INSERT INTO people VALUES (11, 'new', 55), (NULL, 'nobody', 200), (8, 'eight again', 1);`);
    // In the model's order: nobody, 10, 2, 9, 8, 7, 11, 5, 4, 3, 1, eight again.
    const run = await s.engine.runSync('out');
    expect(run).toMatchObject({ status: 'partial', counts: { read: 12, added: 1, changed: 2, removed: 1, unchanged: 6, rejectedRows: 3, acknowledged: 4 } });
    expect(await s.read()).toEqual(['changed 2 person 2 (person 2)', 'added 11 new', 'changed 4 renamed (person 4)', 'removed 6 person 6 (person 6)']);
    expect(s.engine.runs.rejects(run.id).map((r) => [r.reason, r.key, r.rowNumber])).toEqual([
      ['null-key', null, 1],
      ['duplicate-key', '8', 5],
    ]);
    expect(s.snapshot()).toEqual(names([1, 2, 3, 4, 5, 7, 8, 9, 10, 11], { 4: 'renamed', 11: 'new' }));
    // The copy of key 8 as delivered goes: the other is a change from it.
    s.db.exec(`DELETE FROM people WHERE id IS NULL OR (id = 8 AND name = 'person 8')`);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ changed: 1, unchanged: 9, rejectedRows: 0 });
    expect(await s.read()).toEqual(['changed 8 eight again (person 8)']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 10, acknowledged: 0 });
    expect(await s.read()).toEqual([]);
  });

  it('with only "changed" on, then only "removed", records the other events in the snapshot and never sends them later', async () => {
    const s = await setup(5);
    s.engine.catalog.putSync({ ...s.engine.catalog.getSync('out').definition, triggers: ['changed'] });
    expect(await s.engine.runSync('out')).toMatchObject({ toSend: 0, counts: { added: 5, skippedByTrigger: 5 } });
    s.db.exec(`UPDATE people SET name = 'two' WHERE id = 2; DELETE FROM people WHERE id = 3; INSERT INTO people VALUES (6, 'six', 60);`);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 3, skippedByTrigger: 2, acknowledged: 1 });
    expect(await s.read()).toEqual(['changed 2 two (person 2)']);
    expect(s.snapshot()).toEqual(names([1, 2, 4, 5, 6], { 2: 'two', 6: 'six' }));

    s.engine.catalog.putSync({ ...s.engine.catalog.getSync('out').definition, triggers: ['removed'] });
    s.db.exec(`UPDATE people SET name = 'four' WHERE id = 4; DELETE FROM people WHERE id = 5; INSERT INTO people VALUES (7, 'seven', 70);`);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 3, skippedByTrigger: 2, acknowledged: 1 });
    expect(await s.read()).toEqual(['removed 5 person 5 (person 5)']);
    expect(s.snapshot()).toEqual(names([1, 2, 4, 6, 7], { 2: 'two', 4: 'four', 6: 'six', 7: 'seven' }));
    s.engine.catalog.putSync({ ...s.engine.catalog.getSync('out').definition, triggers: ['added', 'changed', 'removed'] });
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 5 });
    expect(await s.read()).toEqual([]);
  });

  it('a dry run and a run the mass-removal guard stops leave the snapshot; confirmed, the removals go; after a reset every row goes once', async () => {
    const s = await setup(10);
    await s.engine.runSync('out');
    await s.read();
    const delivered = s.snapshot();
    s.db.exec(`DELETE FROM people WHERE id <= 6; UPDATE people SET name = 'seven' WHERE id = 7;`);
    const dry = await s.engine.runSync('out', { dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', toSend: 7, counts: { changed: 1, removed: 6, unchanged: 3, acknowledged: 0 } });
    expect(dry.error).toMatch(/would remove 6 of the 10 rows/);
    const stopped = await s.engine.runSync('out');
    expect(stopped).toMatchObject({ status: 'failed', counts: { changed: 1, removed: 6, unchanged: 3, sent: 0 } });
    expect(await s.read()).toEqual([]);
    expect(s.snapshot()).toEqual(delivered);

    const confirmed = await s.engine.runSync('out', { allowMassRemoval: true });
    expect(confirmed.counts).toMatchObject({ changed: 1, removed: 6, unchanged: 3, acknowledged: 7 });
    expect(await s.read()).toEqual(['changed 7 seven (person 7)', ...[1, 2, 3, 4, 5, 6].map((i) => `removed ${i} person ${i} (person ${i})`)]);
    expect(s.snapshot()).toEqual(names([7, 8, 9, 10], { 7: 'seven' }));

    expect(await callChannel(s.engine, 'resetSyncSnapshot', { name: 'out' })).toMatchObject({ cleared: 4 });
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 4, changed: 0, unchanged: 0, acknowledged: 4 });
    expect(await s.read()).toEqual(['added 10 person 10', 'added 9 person 9', 'added 8 person 8', 'added 7 seven']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 0, changed: 0, unchanged: 4, acknowledged: 0 });
  });

  it('"retry failed only" sends the rows its run could not, numbered in the model order; other changes wait for the next run', async () => {
    const s = await setup(5);
    await s.engine.runSync('out');
    await s.read();
    const def = s.engine.catalog.getSync('out').definition;
    // A row named "bad" does not render.
    s.engine.catalog.putSync({
      ...def,
      payload: {
        mode: 'template',
        template: TEMPLATE.replace('"name": {{ row.name | json }}', '"name": {% if row.name == "bad" %}bad{% else %}{{ row.name | json }}{% endif %}'),
      },
    });
    s.db.exec(`UPDATE people SET name = 'bad' WHERE id = 2; UPDATE people SET name = 'three' WHERE id = 3;`);
    const first = await s.engine.runSync('out');
    expect(first.counts).toMatchObject({ changed: 2, unchanged: 3, acknowledged: 1 });
    expect(s.engine.runs.rejects(first.id).map((r) => r.detail)).toEqual([
      expect.stringMatching(/^Row 4 \(key 2, changed\): The template output is not valid JSON/),
    ]);
    expect(await s.read()).toEqual(['changed 3 three (person 3)']);
    s.db.exec(`UPDATE people SET name = 'two' WHERE id = 2; UPDATE people SET name = 'four' WHERE id = 4;`);
    const retry = await s.engine.runSync('out', { retryFailedOf: first.id });
    expect(retry).toMatchObject({ toSend: 1, counts: { changed: 2, unchanged: 3, acknowledged: 1 } });
    expect(await s.read()).toEqual(['changed 2 two (person 2)']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ changed: 1, unchanged: 4, acknowledged: 1 });
    expect(await s.read()).toEqual(['changed 4 four (person 4)']);
  });

  it('a model whose table and columns bear the differ’s own names (p, key, row, seq, sluice_k, sluice_r)', async () => {
    const query = 'SELECT id AS key, name AS row, score AS seq, id AS sluice_k, name AS sluice_r, p.* FROM p AS p ORDER BY seq DESC';
    const s = await setup(4, query, 'p');
    s.engine.catalog.putModel({ name: 'people', source: 'db', query, primaryKey: ['key'] });
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 4 });
    expect(await s.read()).toEqual(['added 4 person 4', 'added 3 person 3', 'added 2 person 2', 'added 1 person 1']);
    s.db.exec(`UPDATE p SET name = 'renamed' WHERE id = 3; DELETE FROM p WHERE id = 1; INSERT INTO p VALUES (5, 'five', 5);`);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 2 });
    expect(await s.read()).toEqual(['changed 3 renamed (person 3)', 'added 5 five', 'removed 1 person 1 (person 1)']);
    expect((await s.engine.runSync('out')).counts).toMatchObject({ changed: 0, unchanged: 4 });
  });

  it('an NDJSON model (staged from JavaScript) re-runs as before: changes, removals, and its refused lines', async () => {
    const s = await setup(0);
    const file = path.join(path.dirname(s.db.name), 'people.ndjson');
    const lines = (rows: object[]) => fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    lines([1, 2, 3].map((id) => ({ id, name: `person ${id}` })));
    s.engine.catalog.putSource({ kind: 'ndjson', name: 'lines', path: file });
    s.engine.catalog.putModel({ name: 'people', source: 'lines', primaryKey: ['id'] });
    expect((await s.engine.runSync('out')).counts).toMatchObject({ added: 3, acknowledged: 3 });
    lines([{ id: 3, name: 'three' }, { id: 1, name: 'person 1' }, { id: 4, name: 'four' }, { name: 'nobody' }, { id: 4, name: 'four again' }]);
    const run = await s.engine.runSync('out');
    expect(run.counts).toMatchObject({ read: 5, added: 0, changed: 1, removed: 1, unchanged: 1, rejectedRows: 3, acknowledged: 2 });
    expect(s.engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      'Line 4 has no value in id',
      'The key 4 appears on 2 rows; none of them is sent until it is unique',
    ]);
    expect((await s.read()).slice(3)).toEqual(['changed 3 three (person 3)', 'removed 2 person 2 (person 2)']);
    expect(s.snapshot()).toEqual(names([1, 3], { 3: 'three' }));
  });
});
