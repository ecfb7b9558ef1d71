import { afterEach, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { FOR_RUN_PAGE } from './api-call-store';

// A run's calls in full (what the NDJSON/HAR exports read), across several pages of rows.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('ApiCallStore.forRun', () => {
  it('yields every call of the run, oldest first, each exactly as getApiCall shows it', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { recorder, apiCalls } = t.engine;
    const run = recorder.scope({ runId: 7, context: 'sync', destination: 'd' });
    const other = recorder.scope({ runId: 8, context: 'sync', destination: 'd' });
    const n = FOR_RUN_PAGE * 2 + 13;
    const t0 = Date.now();
    for (let i = 0; i < n; i++) {
      const call = {
        service: 'kinesis',
        operation: 'PutRecords',
        target: 't',
        status: '200',
        startedMs: t0 + i,
        durationMs: 2,
        request: { i },
        response: { ok: i },
      };
      run.record(call);
      if (i % 3 === 0) other.record(call);
    }
    recorder.flush();
    const all = [...apiCalls.forRun(7)];
    expect(all).toHaveLength(n);
    expect(all.map((c) => (c.request as { i: number }).i)).toEqual([...Array(n).keys()]);
    expect(all.every((c) => c.runId === 7)).toBe(true);
    for (const c of [all[0]!, all[FOR_RUN_PAGE]!, all[n - 1]!]) expect(c).toEqual(apiCalls.get(c.id));
    expect(all[0]!.window).toEqual({ startMs: t0, endMs: t0 + n - 1 + 2 });
    expect(() => [...apiCalls.forRun(99)]).toThrow(/No API calls are recorded for run 99/);
  });
});
