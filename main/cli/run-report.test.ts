import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { formatRunReport, runReport } from './run-report';
import { historyLine } from './runs-command';

const closers = closeAfterEach();

/** A CSV model (`text`) synced to the sandbox as sync "out", with `settings` (its triggers, its first run). */
async function csvSync(text: string, settings: { triggers: ('added' | 'changed' | 'removed')[]; initialSync?: 'backfill' | 'baseline' }) {
  const t = await openTestEngine();
  closers.push(t.close);
  const csv = path.join(t.dir, 'rows.csv');
  fs.writeFileSync(csv, text);
  t.engine.catalog.putSource({ kind: 'csv', name: 'file', path: csv });
  t.engine.catalog.putModel({ name: 'rows', source: 'file', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'report' });
  t.engine.catalog.putSync({
    name: 'out',
    model: 'rows',
    destination: 'sandbox',
    ...settings,
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return { t, csv };
}

it('rows refused for their keys: one line per key, with no "… and N more" when every key is listed (it counted the rows of a duplicated key as more)', async () => {
  const dupKeys = Array.from({ length: 25 }, (_, i) => `${100 + i},x\n${100 + i},y\n`).join('');
  const { t, csv } = await csvSync(`id,v\n1,a\n1,b\n1,c\n2,ok\n${dupKeys}`, { triggers: ['added'] });
  const run = await t.engine.runSync('out');
  expect(run.counts.rejectedRows).toBe(53); // 3 rows of key 1, 2 of each of 25 keys
  const text = formatRunReport(runReport(t.engine, run));
  expect(text).toContain('  53 rows not sent because of their keys:\n    - The key 1 appears on 3 rows');
  // 26 duplicated keys: 20 shown, then the 6 others (keys, not rows), and where to see them.
  expect(text).toContain(`    … and 6 more (sluice runs out --failures --run ${run.id} lists them)\n`);

  fs.writeFileSync(csv, 'id,v\n1,a\n1,b\n2,ok\n');
  const small = await t.engine.runSync('out');
  const smallText = formatRunReport(runReport(t.engine, small));
  expect(smallText).toContain('  2 rows not sent because of their keys:\n    - The key 1 appears on 2 rows');
  expect(smallText).not.toContain('… and');
  // The run history says why the run was partial, as the report does (it said only "sent 1, failed 0").
  expect(small.status).toBe('partial');
  expect(historyLine(small)).toContain('; sent 0, failed 0, 2 rows refused for their keys\n');
});

it('a first run that only records (initialSync: baseline) does not say a trigger is off', async () => {
  const { t } = await csvSync('id,v\n1,a\n2,b\n3,c\n', { triggers: ['added', 'changed', 'removed'], initialSync: 'baseline' });
  const text = formatRunReport(runReport(t.engine, await t.engine.runSync('out')));
  expect(text).toContain('3 recorded without sending (their trigger is off, or a first run that only records)');
});

it('the run history counts records refused before sending apart from those the destination failed, as the report does (it said "failed 1" for a template error)', async () => {
  const { t } = await csvSync('id,v\n1,a\n2,b\n', { triggers: ['added'] });
  t.engine.catalog.putSync({
    ...t.engine.catalog.getSync('out').definition,
    payload: { mode: 'template', template: '{"id": {{ row.id }}{% if row.v == "b" %},{% endif %}}' },
  });
  const run = await t.engine.runSync('out');
  expect(formatRunReport(runReport(t.engine, run))).toContain('delivered 1 of 2; 1 refused before sending');
  expect(historyLine(run, t.engine.ledger.notArrived(run.id))).toContain('; sent 1, failed 0, 1 refused before sending\n');
});

it('a first run of a CSV model with its header alone says the model has no rows (it said "every row is as last delivered", of rows never delivered)', async () => {
  const { t, csv } = await csvSync('id,v\n', { triggers: ['added', 'changed', 'removed'] });
  const first = await t.engine.runSync('out');
  expect(first).toMatchObject({ status: 'succeeded', counts: { read: 0 } });
  expect(formatRunReport(runReport(t.engine, first))).toContain('\n  nothing to send: the model has no rows\n');
  // Rows delivered, then every one the same: as before.
  fs.writeFileSync(csv, 'id,v\n1,a\n');
  await t.engine.runSync('out');
  expect(formatRunReport(runReport(t.engine, await t.engine.runSync('out')))).toContain('\n  nothing to send: every row is as last delivered\n');
});

it("a reason's example key past 100 characters shows its first 100 (a 5,000-character key filled 40 lines of the report, once per reason)", async () => {
  const long = '😀'.repeat(5000); // characters, not UTF-16 units: an emoji is not cut in two
  const { t } = await csvSync(`id,v\n1,a\n${long},b\n`, { triggers: ['added'] });
  const run = await t.engine.runSync('out'); // a partition key past Kinesis' 256 characters is refused before sending
  const text = formatRunReport(runReport(t.engine, run));
  expect(text).toContain(`(e.g. key ${'😀'.repeat(100)}…)\n`);
  expect(text).not.toContain('😀'.repeat(101));
});

it('one row refused for its key is said in the singular (it read "1 row not sent because of their keys")', async () => {
  const { t } = await csvSync('id,v\n,a\n2,b\n', { triggers: ['added'] });
  const run = await t.engine.runSync('out');
  expect(run.counts.rejectedRows).toBe(1);
  expect(formatRunReport(runReport(t.engine, run))).toContain('  1 row not sent because of its key:\n    - Line 2 has no value in id');
  expect(historyLine(run)).toContain(', 1 row refused for its key\n');
});
