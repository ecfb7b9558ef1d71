import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/config/sync';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

// A SQLite model is staged inside SQLite, on a thread of its own: a large model's staging (seconds)
// held the engine's main thread, so the app's calls, the run's progress and Cancel all waited for it.
const closers = closeAfterEach();

/** Rows enough that staging them takes seconds here. */
const ROWS = 1_000_000;

/** The differ's scratch files of this process in the OS temp folder. */
const scratchFiles = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`sluice-diff-${process.pid}-`));

it('stages a large SQLite model off the main thread: the engine keeps answering, and Cancel during staging ends the run at once', async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'big.sqlite');
  const model = new BetterSqlite3(file);
  model.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, score REAL, tags TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO people SELECT i, 'person ' || i, i / 10.0, json_object('n', i) FROM n;`);
  model.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'big', path: file });
  engine.catalog.putModel({ name: 'people', source: 'big', query: 'SELECT id, name, score, tags FROM people ORDER BY id', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'big', shards: 1 });
  const sync = engine.catalog.putSync({
    name: 'big',
    model: 'people',
    destination: 'sandbox',
    triggers: ['added', 'changed', 'removed'],
    initialSync: 'baseline',
    payload: { mode: 'json-column', column: 'tags' },
  });
  const progress: RunSummary[] = [];
  let firstId = -1;
  /** When the first run's reading ended (its phase moved on): told synchronously, before the diff. */
  let readEnd: number | undefined;
  engine.onEvent((event, payload) => {
    if (event !== 'runProgress') return;
    const p = payload as RunSummary;
    progress.push(p);
    if (p.id === firstId && p.phase !== 'reading') readEnd ??= performance.now();
  });

  // A first run (a baseline: its rows are taken as delivered, none sent): a timer on the main thread
  // keeps firing while the model is read and staged (today's gap is the whole staging: seconds).
  const ticks: number[] = [];
  const tick = setInterval(() => ticks.push(performance.now()), 20);
  const started = performance.now();
  const first = engine.runner.start('big');
  firstId = first.runId;
  await vi.waitFor(() => expect(readEnd).toBeDefined(), { timeout: 120_000, interval: 20 });
  clearInterval(tick);
  const times = [started, ...ticks.filter((at) => at > started && at < readEnd!), readEnd!];
  const longestGap = Math.max(...times.slice(1).map((at, i) => at - times[i]!));
  expect(readEnd! - started).toBeGreaterThan(1000);
  expect(longestGap).toBeLessThan(200);
  // The run's progress tells the rows staged as they are staged.
  const read = progress.filter((p) => p.id === first.runId && p.phase === 'reading').map((p) => p.counts.read);
  expect(read.some((n) => n > 0 && n < ROWS)).toBe(true);
  expect((await first.done).counts).toMatchObject({ read: ROWS, added: ROWS, acknowledged: 0 });

  // A change, then a run cancelled while it stages: it ends cancelled within about a second, nothing sent and the snapshot as it was.
  const changed = new BetterSqlite3(file);
  changed.exec("UPDATE people SET tags = json_object('n', id, 'changed', 1) WHERE id % 1000 = 0");
  changed.close();
  const snapshot = () =>
    engine.db.prepare('SELECT COUNT(*) AS n, SUM(length(row)) AS size, MAX(delivered_at) AS at FROM snapshot WHERE sync_id = ?').get(sync.id);
  const before = snapshot();
  const cancel = new AbortController();
  const second = engine.runner.start('big', { signal: cancel.signal });
  let scratch: string[] = [];
  await vi.waitFor(
    () => {
      scratch = scratchFiles();
      expect(progress.some((p) => p.id === second.runId && p.phase === 'reading' && p.counts.read > 0)).toBe(true);
    },
    { timeout: 60_000, interval: 10 },
  );
  expect(scratch.length).toBeGreaterThan(0);
  const asked = performance.now();
  cancel.abort();
  const cancelled = await second.done;
  expect(performance.now() - asked).toBeLessThan(1500);
  expect(cancelled).toMatchObject({ status: 'cancelled', counts: { acknowledged: 0 } });
  expect(snapshot()).toEqual(before);
  await vi.waitFor(() => expect(scratchFiles().filter((f) => scratch.includes(f))).toEqual([]), { timeout: 10_000, interval: 50 });

  // The next run sends the changed rows, and nothing else.
  const third = await engine.runner.start('big').done;
  expect(third).toMatchObject({ status: 'succeeded', counts: { read: ROWS, changed: ROWS / 1000, added: 0, removed: 0, acknowledged: ROWS / 1000 } });
  expect(scratchFiles().filter((f) => scratch.includes(f))).toEqual([]);
}, 600_000);
