// A dry run counts the rows a real run refuses for their keys: a key on three rows refuses three, as the run says.
import { afterEach, expect, it } from 'vitest';
import { formatRunReport, runReport } from '../cli/run-report';
import { openTestEngine } from '../testing/engine';
import { putCsvModel } from '../testing/sandbox-sync';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

it('a dry run says a real run would reject every row of a duplicated key (it counted each such key once: "would reject 2 records" where the run refused 4 rows)', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  putCsvModel(engine, t.dir, { model: 'people', text: 'id,name\n1,a\n1,b\n,c\n1,d\n2,e\n', stream: 'dry-key-rows' });
  engine.catalog.putSync({
    name: 'out',
    model: 'people',
    destination: 'sb',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id | json }}}' },
  });
  const dry = await engine.runSync('out', { dryRun: true });
  expect(dry.counts).toMatchObject({ read: 5, added: 1, rejectedRows: 4 });
  expect(dry.dryRunPlan!.rejected).toMatchObject({ total: 4, perReason: { 'null-key': 1, 'duplicate-key': 3 } });
  expect(dry.dryRunPlan!.rejected.first.map((r) => r.reason)).toEqual(['null-key', 'duplicate-key']);
  const text = formatRunReport(runReport(engine, dry));
  expect(text).toContain('a real run would reject 4 records (1 null-key, 3 duplicate-key):');
  // The real run refuses as many.
  const run = await engine.runSync('out');
  expect(run.counts).toMatchObject({ rejectedRows: 4, acknowledged: 1 });
  expect(formatRunReport(runReport(engine, run))).toContain('4 rows not sent because of their keys');
}, 60_000);
