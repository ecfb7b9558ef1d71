import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASS_REMOVAL_PREFIX, massRemovalStop } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { closeAfterEach } from '../testing/lifecycle';
import { openTestEngine } from '../testing/engine';
import { putSandboxSync } from '../testing/sandbox-sync';

// The fault suite, the mass-removal guard: a CSV caught mid-rewrite (its header only) would remove
// every row downstream. The run stops before sending or changing anything and says why, unless the
// user confirms.

const closers = closeAfterEach();

const HEADER = 'id,name\n';
const rowsCsv = (ids: number[]) => HEADER + ids.map((i) => `${i},person ${i}\n`).join('');
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function setup(maxRemovalPercent?: number): Promise<{ engine: Engine; csv: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const csv = path.join(t.dir, 'people.csv');
  fs.writeFileSync(csv, rowsCsv(range(10)));
  t.engine.catalog.putSource({ kind: 'csv', name: 'file', path: csv });
  t.engine.catalog.putModel({ name: 'people', source: 'file', primaryKey: ['id'] });
  putSandboxSync(t.engine, {
    model: 'people',
    stream: 'guard',
    sync: 'people-out',
    template: '{"id": {{ row.id }}, "event": {{ event | json }}}',
    more: maxRemovalPercent !== undefined ? { maxRemovalPercent } : {},
  });
  return { engine: t.engine, csv };
}

describe('fault suite: the mass-removal guard', () => {
  it('a header-only CSV stops the run before anything is sent or recorded, saying why; the file restored, nothing is sent', async () => {
    const { engine, csv } = await setup();
    expect((await engine.runSync('people-out')).counts.acknowledged).toBe(10);
    fs.writeFileSync(csv, HEADER); // caught mid-rewrite
    const stopped = await engine.runSync('people-out');
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toMatch(
      new RegExp(`^${MASS_REMOVAL_PREFIX} this run would remove 10 of the 10 rows the sync last delivered \\(100%\\), more than its limit of 50%`),
    );
    expect(stopped.error).toMatch(/--allow-mass-removal/);
    expect(stopped.counts).toMatchObject({ removed: 10, sent: 0, acknowledged: 0 });
    expect(engine.ledger.search({ runId: stopped.id, limit: 10 }).total).toBe(0);
    // The snapshot did not move: with the file back, there is nothing to send.
    fs.writeFileSync(csv, rowsCsv(range(10)));
    const after = await engine.runSync('people-out');
    expect(after).toMatchObject({ status: 'succeeded', counts: { added: 0, changed: 0, removed: 0, sent: 0 } });
  });

  it('confirmed (allowMassRemoval, as --allow-mass-removal sends it), the removals go', async () => {
    const { engine, csv } = await setup();
    await engine.runSync('people-out');
    fs.writeFileSync(csv, HEADER);
    expect((await engine.runSync('people-out')).status).toBe('failed');
    const { runId } = await callChannel(engine, 'startRun', { sync: 'people-out', allowMassRemoval: true });
    await engine.idle();
    expect(engine.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { removed: 10, acknowledged: 10 } });
  });

  it('confirmed as a count (the app’s "Send the removals (N)"), at most that many go: more stops the run again with the new count', async () => {
    const { engine, csv } = await setup();
    await engine.runSync('people-out');
    fs.writeFileSync(csv, rowsCsv([1, 2, 3, 4, 5, 6, 7])); // 3 of 10: within the limit
    expect(await engine.runSync('people-out')).toMatchObject({ status: 'succeeded', counts: { removed: 3 } });
    fs.writeFileSync(csv, HEADER); // 7 of 7: stopped
    const stopped = await engine.runSync('people-out');
    expect({ status: stopped.status, removed: stopped.counts.removed }).toEqual({ status: 'failed', removed: 7 });
    // The model changed again before the user confirmed: all 10 rows came back, then went (an older count confirmed).
    fs.writeFileSync(csv, rowsCsv(range(10)));
    expect(await engine.runSync('people-out')).toMatchObject({ status: 'succeeded', counts: { added: 3 } });
    fs.writeFileSync(csv, HEADER);
    // Before: the app sent allowMassRemoval, and all 10 went on a confirmation of 7.
    const more = await callChannel(engine, 'startRun', { sync: 'people-out', allowRemovalsUpTo: 7 });
    await engine.idle();
    expect(engine.runs.get(more.runId)).toMatchObject({ status: 'failed', counts: { removed: 10, sent: 0 } });
    expect(engine.runs.get(more.runId)?.error).toMatch(/^Mass removal: this run would remove 10 of the 10 rows/);
    // The count it stopped with, confirmed: they go.
    const confirmed = await callChannel(engine, 'startRun', { sync: 'people-out', allowRemovalsUpTo: 10 });
    await engine.idle();
    expect(engine.runs.get(confirmed.runId)).toMatchObject({ status: 'succeeded', counts: { removed: 10, acknowledged: 10 } });
  });

  it('removals within the limit go without asking; the limit is the sync’s (100 turns the guard off); a dry run warns without stopping', async () => {
    const { engine, csv } = await setup();
    await engine.runSync('people-out');
    fs.writeFileSync(csv, rowsCsv(range(5))); // 5 of 10: 50 %, not more than the limit
    expect(await engine.runSync('people-out')).toMatchObject({ status: 'succeeded', counts: { removed: 5 } });
    fs.writeFileSync(csv, rowsCsv([1])); // 4 of 5: 80 %
    const dry = await engine.runSync('people-out', { dryRun: true });
    expect(dry.status).toBe('succeeded');
    expect(dry.error).toMatch(/^A real run would stop here\. Mass removal: this run would remove 4 of the 5 rows/);
    expect((await engine.runSync('people-out')).status).toBe('failed');

    const off = await setup(100);
    await off.engine.runSync('people-out');
    fs.writeFileSync(off.csv, HEADER);
    expect(await off.engine.runSync('people-out')).toMatchObject({ status: 'succeeded', counts: { removed: 10, acknowledged: 10 } });
  });

  it('the verdict: a share strictly over the limit stops; nothing to remove or nothing delivered yet never does', () => {
    expect(massRemovalStop(0, 0)).toBeNull();
    expect(massRemovalStop(0, 100)).toBeNull();
    expect(massRemovalStop(50, 100)).toBeNull();
    expect(massRemovalStop(51, 100)).toMatch(/51 of the 100 rows .*\(51%\)/);
    expect(massRemovalStop(1, 3, 30)).toMatch(/\(33\.3%\), more than its limit of 30%/);
    expect(massRemovalStop(1_000_000, 1_000_000, 99)).toMatch(/1,000,000 of the 1,000,000 rows/);
    // Every row gone and as many new: a changed primary key, and the advice says so (not "check the source").
    const rekeyed = massRemovalStop(100, 100, 50, 100)!;
    expect(rekeyed).toContain('At the same time 100 rows are new: this is what a changed primary key');
    expect(rekeyed).toContain('reset the sync (`sluice sync reset`, or "Resend everything on the next run" in the app)');
    expect(rekeyed).not.toContain('check the model');
    expect(massRemovalStop(100, 100, 50, 10)).toContain("check the model's source");
    expect(massRemovalStop(10, 10, 100)).toBeNull();
    // Rounded to one decimal, the share shown was the limit itself, or 0 beside a limit of 0; and a tiny limit read "1e-7%".
    expect(massRemovalStop(1, 2000, 0)).toMatch(/1 of the 2,000 rows .*\(0\.05%\), more than its limit of 0%/);
    expect(massRemovalStop(1, 2_000_000, 0.00001)).toMatch(/\(0\.00005%\), more than its limit of 0\.00001%/);
    expect(massRemovalStop(2, 1_000_000_000, 0.0000001)).toMatch(/\(0\.0000002%\), more than its limit of 0\.0000001%\./);
    expect(massRemovalStop(1, 3, 33.3)).toMatch(/\(33\.33%\), more than its limit of 33\.3%/);
  });

  it('a share just past a limit with decimals is said with the digits that show it past the limit (0.55% of 0.5%, not 0.5% of 0.5%)', async () => {
    const { engine, csv } = await setup(0.5);
    fs.writeFileSync(csv, rowsCsv(Array.from({ length: 2000 }, (_, i) => i + 1)));
    expect(await engine.runSync('people-out')).toMatchObject({ status: 'succeeded' });
    fs.writeFileSync(csv, rowsCsv(Array.from({ length: 1989 }, (_, i) => i + 12))); // 11 of 2,000 gone: 0.55%
    const stopped = await engine.runSync('people-out');
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toMatch(
      /^Mass removal: this run would remove 11 of the 2,000 rows the sync last delivered \(0\.55%\), more than its limit of 0\.5%\./,
    );
  });
});
