import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallSummary } from '../../shared/debugger/api-call';
import { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';

// A walkthrough found run ids given twice: the sync whose run was the newest deleted, the next run got its
// id, and the Debugger listed both runs' calls as one ("Run 13 (800 calls)"; `sluice debugger export --run 13`
// wrote both), since a deleted run's API calls stay. A run's id is now never given again in a workspace.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ROWS = 600; // two PutRecords calls a run (500 a call)

async function engineOn(dir: string): Promise<Engine> {
  const engine = await Engine.open({ workspace: dir, runtime: 'browser-host', seedDemo: false });
  closers.push(() => engine.shutdown());
  return engine;
}

const records = (calls: ApiCallSummary[]) => calls.filter((c) => c.operation === 'PutRecords').reduce((n, c) => n + (c.recordCount ?? 0), 0);

describe("run ids after a sync's delete", () => {
  it("the next run, even in a Sluice opened again, gets an id of its own, and the Debugger shows and exports only that run's calls under it", async () => {
    const ws = tempWorkspace();
    closers.push(ws.cleanup);
    const { file, db } = createPeopleDb(ws.dir, ROWS);
    db.close();
    let engine = await engineOn(ws.dir);
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox' });
    const sync = (name: string) => ({
      name,
      model: 'people',
      destination: 'sandbox',
      triggers: ['added' as const],
      payload: { mode: 'template' as const, template: '{"id": {{ row.id }}}' },
    });
    engine.catalog.putSync(sync('kept'));
    engine.catalog.putSync(sync('doomed'));
    await engine.runSync('kept');
    const doomed = await engine.runSync('doomed');
    expect(doomed).toMatchObject({ status: 'succeeded', counts: { acknowledged: ROWS } });
    const doomedCalls = (await callChannel(engine, 'listApiCalls', { runId: doomed.id })).calls;
    expect(records(doomedCalls)).toBe(ROWS);

    await callChannel(engine, 'deleteSync', { name: 'doomed' });
    engine.catalog.putSync(sync('after'));
    const after = await engine.runSync('after');
    expect(after).toMatchObject({ status: 'succeeded', counts: { acknowledged: ROWS } });
    expect(after.id).toBeGreaterThan(doomed.id);

    // The new run's calls are its own: as many records as it sent, not the deleted run's too.
    const page = await callChannel(engine, 'listApiCalls', { runId: after.id });
    expect(records(page.calls)).toBe(ROWS);
    expect(page.calls.every((c) => c.runId === after.id && c.startedMs >= Date.parse(after.startedAt) - 1)).toBe(true);
    const facets = await callChannel(engine, 'listApiCallFacets', {});
    expect(facets.runs).toContainEqual({ runId: after.id, calls: page.total });
    expect(facets.runs).toContainEqual({ runId: doomed.id, calls: doomedCalls.length });
    const exported = await callChannel(engine, 'exportApiCalls', { runId: after.id, format: 'ndjson' });
    expect(exported.calls).toBe(page.total);
    expect(
      exported.content
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: number }).id)
        .sort(),
    ).toEqual(page.calls.map((c) => c.id).sort());

    // Deleting the sync of the newest run again, and opening the workspace in another Sluice: still a new id.
    await callChannel(engine, 'deleteSync', { name: 'after' });
    await engine.shutdown();
    engine = await engineOn(ws.dir);
    engine.catalog.putSync(sync('later'));
    const later = await engine.runSync('later', { dryRun: true });
    expect(later.id).toBeGreaterThan(after.id);
    expect((await callChannel(engine, 'listApiCalls', { runId: later.id })).calls.every((c) => c.context === 'dry-run')).toBe(true);
  }, 120_000);
});
