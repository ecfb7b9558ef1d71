import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { runSluice } from '../testing/cli-process';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

// A dry run sends nothing, so it never stands for a sync's status: the sync list (app and CLI) gives the
// last real run's, and a dry run since then only as a note of its own.

const closers = closeAfterEach();

async function setup(rows: string) {
  const t = await openTestEngine();
  closers.push(t.close);
  const csv = path.join(t.dir, 'orders.csv');
  fs.writeFileSync(csv, rows);
  t.engine.catalog.putSource({ kind: 'csv', name: 'file', path: csv });
  t.engine.catalog.putModel({ name: 'orders', source: 'file', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'dry-status' });
  return { ...t, csv };
}

/** The sync as the app's list has it (a CLI run may have seeded the demo's sync beside it). */
const listed = async (engine: Engine) => (await callChannel(engine, 'listSyncs', {})).find((s) => s.sync.name === 'orders-out');

const template = (body: string) => ({ mode: 'template' as const, template: body });

describe('a sync after a dry run', () => {
  it('shows its last real run failed, with the later successful dry run as a note of its own (app and CLI)', async () => {
    const { engine, dir } = await setup('id,amount\n1,10\n2,20\n3,30\n');
    // Every row fails to render: the real run fails, nothing sent.
    engine.catalog.putSync({
      name: 'orders-out',
      model: 'orders',
      destination: 'sandbox',
      triggers: ['added'],
      payload: template('{"id": {{ row.id }}, oops}'),
    });
    const real = await engine.runSync('orders-out', {});
    expect(real.status).toBe('failed');
    // Fixed, and tried with a dry run: it would refuse nothing.
    engine.catalog.putSync({ name: 'orders-out', model: 'orders', destination: 'sandbox', triggers: ['added'], payload: template('{"id": {{ row.id }}}') });
    const dry = await engine.runSync('orders-out', { dryRun: true });
    expect(dry.status).toBe('succeeded');

    const item = await listed(engine);
    expect(item!.lastRun).toMatchObject({ id: real.id, status: 'failed', dryRun: false });
    expect(item!.lastDryRun).toMatchObject({ id: dry.id, status: 'succeeded', dryRun: true });

    const cli = await runSluice(['--workspace', dir, 'sync', 'list']);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain(`last run ${real.id}: failed (`);
    expect(cli.stdout).toContain(`; dry run ${dry.id} since: succeeded (`);

    // A real run after it: the dry run is no longer news.
    const again = await engine.runSync('orders-out', {});
    expect(again.status).toBe('succeeded');
    const after = await listed(engine);
    expect(after!.lastRun).toMatchObject({ id: again.id, status: 'succeeded' });
    expect(after!.lastDryRun).toBeNull();
  });

  it('shows its last real run succeeded when a later dry run would refuse rows, and the CLI says how many, not "partial"', async () => {
    const { engine, dir, csv } = await setup('id,amount\n1,10\n2,20\n');
    engine.catalog.putSync({
      name: 'orders-out',
      model: 'orders',
      destination: 'sandbox',
      triggers: ['added', 'changed'],
      payload: template('{"id": {{ row.id }}, "amount": {{ row.amount }}}'),
    });
    const real = await engine.runSync('orders-out', {});
    expect(real.status).toBe('succeeded');
    // Two rows changed, with an amount that no longer renders as JSON.
    fs.writeFileSync(csv, 'id,amount\n1,\n2,\n');
    const dry = await engine.runSync('orders-out', { dryRun: true });
    expect(dry).toMatchObject({ status: 'partial', counts: { failed: 2 } });

    const item = await listed(engine);
    expect(item!.lastRun).toMatchObject({ id: real.id, status: 'succeeded' });
    expect(item!.lastDryRun).toMatchObject({ id: dry.id, status: 'partial' });
    const cli = await runSluice(['--workspace', dir, 'sync', 'list']);
    expect(cli.stdout).toContain(`last run ${real.id}: succeeded (`);
    expect(cli.stdout).toContain(`; dry run ${dry.id} since: 2 would be refused (`);
  });
});

describe("a dry run's rows not sent", () => {
  it('counts a null or empty partition key as its own reason, not a template error, and keeps the real total past the rows it lists', async () => {
    // 900 rows: every third has no region (null, or empty); row 2 renders invalid JSON.
    const lines = Array.from({ length: 900 }, (_, i) => `${i + 1},${i % 3 === 0 ? (i % 2 ? '' : '""') : `r${i % 5}`}`);
    const { engine } = await setup(`id,region\n${lines.join('\n')}\n`);
    engine.catalog.putSync({
      name: 'orders-out',
      model: 'orders',
      destination: 'sandbox',
      triggers: ['added'],
      payload: template('{"id": {{ row.id }}{% if row.id == 2 or row.id == "2" %}, oops{% endif %}}'),
      partitionKey: { kind: 'column', column: 'region' },
    });
    const dry = await engine.runSync('orders-out', { dryRun: true });
    expect(dry).toMatchObject({ status: 'partial', counts: { failed: 301 } });
    const plan = dry.dryRunPlan!;
    expect(plan.rejected.total).toBe(301);
    expect(plan.rejected.perReason).toEqual({ 'no-partition-key': 300, 'render-error': 1 });
    expect(plan.rejected.first.find((r) => r.key === '1')).toMatchObject({ reason: 'no-partition-key' });
    expect(plan.rejected.first.find((r) => r.key === '1')!.detail).toMatch(/partition/);

    // The run as the app opens it: the rows listed stop short of the total, which its counts keep.
    const { run, rejects } = await callChannel(engine, 'getRun', { runId: dry.id });
    expect(run.counts.failed).toBe(301);
    expect(rejects.length).toBeLessThan(301);
    expect(new Set(rejects.map((r) => r.reason))).toEqual(new Set(['no-partition-key', 'render-error']));

    // A real run refuses the same rows for the same reason.
    const real = await engine.runSync('orders-out', {});
    expect(real.counts).toMatchObject({ acknowledged: 599, failed: 301 });
    const listed = (await callChannel(engine, 'getRun', { runId: real.id })).rejects;
    expect(listed.filter((r) => r.reason === 'no-partition-key').length).toBeGreaterThan(0);
    expect(listed.filter((r) => r.reason === 'render-error').map((r) => r.key)).toEqual(['2']);
  });
});

describe("a dry run's hints about previous", () => {
  it('judges previous.x by the row as last delivered: no "not in this row" for a column since renamed, which the real run sends', async () => {
    const { engine, csv } = await setup('id,amount\n1,134.36\n2,50\n');
    const sync = (body: string) =>
      engine.catalog.putSync({ name: 'orders-out', model: 'orders', destination: 'sandbox', triggers: ['added', 'changed'], payload: template(body) });
    sync('{"id": {{ row.id }}, "amount": {{ row.amount }}}');
    expect((await engine.runSync('orders-out', {})).status).toBe('succeeded');
    // The column is renamed; row 2 has no total, so its record is not JSON.
    fs.writeFileSync(csv, 'id,total\n1,140\n2,\n');
    sync('{"id": {{ row.id }}, "total": {{ row.total }}, "prev_amount": {{ previous.amount }}}');

    const dry = await engine.runSync('orders-out', { dryRun: true });
    const [refused] = dry.dryRunPlan!.rejected.first;
    expect(refused).toMatchObject({ key: '2', reason: 'render-error' });
    expect(refused!.detail).toContain('row.total is null in this row');
    expect(refused!.detail).not.toContain('previous.amount');

    const real = await engine.runSync('orders-out', {});
    expect(real.counts).toMatchObject({ acknowledged: 1, failed: 1 });
    const sent = engine.db.prepare("SELECT data FROM ledger WHERE run_id = ? AND status = 'acknowledged'").get(real.id) as { data: Buffer };
    expect(JSON.parse(sent.data.toString())).toEqual({ id: 1, total: 140, prev_amount: 134.36 });
  });
});
