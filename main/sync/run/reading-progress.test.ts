import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../shared/config/sync';
import { openTestEngine } from '../../testing/engine';
import { closeAfterEach } from '../../testing/lifecycle';

// A run tells its progress from its start, while its model is read: a model slow to give its first row
// showed no run in the app (no row, no progress, no Cancel) until that row came; and a run cancelled
// while reading keeps the rows it had read (its summary said "read": 0 where its progress said 258,048).
const closers = closeAfterEach();

/** Counts to 300M in SQLite: far more than a test waits for. */
const count = (select: string) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) ${select}`;

async function engineWithModel(query: string) {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'model.sqlite');
  new BetterSqlite3(file).close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'slow', source: 'db', query, primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'slow', shards: 1 });
  engine.catalog.putSync({
    name: 'slow',
    model: 'slow',
    destination: 'sandbox',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  const progress: RunSummary[] = [];
  engine.onEvent((event, payload) => {
    if (event === 'runProgress') progress.push(payload as RunSummary);
  });
  return { engine, progress };
}

it('tells a run reading a model slow to give its first row at once, and Cancel ends it there', async () => {
  const { engine, progress } = await engineWithModel(count('SELECT max(x) AS id FROM c'));
  const cancel = new AbortController();
  const run = engine.runner.start('slow', { signal: cancel.signal });
  await vi.waitFor(() => expect(progress.find((p) => p.id === run.runId)).toMatchObject({ status: 'running', phase: 'reading', counts: { read: 0 } }), {
    timeout: 3000,
    interval: 10,
  });
  cancel.abort();
  expect(await run.done).toMatchObject({ status: 'cancelled', counts: { read: 0, acknowledged: 0 } });
}, 60_000);

it('keeps the rows a run cancelled while reading had read in its summary', async () => {
  const { engine, progress } = await engineWithModel(count('SELECT x AS id FROM c'));
  const cancel = new AbortController();
  const run = engine.runner.start('slow', { signal: cancel.signal });
  await vi.waitFor(() => expect(progress.some((p) => p.id === run.runId && p.phase === 'reading' && p.counts.read > 0)).toBe(true), {
    timeout: 30_000,
    interval: 10,
  });
  cancel.abort();
  const summary = await run.done;
  const told = Math.max(...progress.filter((p) => p.id === run.runId && p.status === 'running').map((p) => p.counts.read));
  expect(summary.status).toBe('cancelled');
  expect(summary.counts.read).toBeGreaterThanOrEqual(told);
  expect(summary.counts.read).toBeGreaterThan(0);
  expect(engine.runs.get(run.runId)!.counts.read).toBe(summary.counts.read);
}, 60_000);
