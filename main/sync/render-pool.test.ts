import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Row } from '../../shared/config/source';
import { PayloadRenderer } from './payload-renderer';
import { outsideAsar } from './thread-script';
import { RenderPool, RenderPoolLostError, renderThreads, type PoolItem } from './render-pool';

// The worker_threads render pool: same bytes as one thread, in work-list order, per-row errors in place.

const pools: RenderPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});
const run = { id: 7, sync: 's', startedAt: '2026-01-01T00:00:00Z' };
const TEMPLATE = '{"id": {{ row.id }}, "name": {{ row.name | json }}, "n": {{ row.n }}}';

describe('render pool', () => {
  it('renders 25k rows on threads exactly as one thread does, in order, with each bad row’s error at its place', async () => {
    const items: PoolItem[] = Array.from({ length: 25_000 }, (_, i) => ({
      key: String(i),
      event: 'added',
      row: JSON.stringify({ id: i, name: `n${i}`, n: i % 997 === 0 ? null : i }),
      previous: null,
    }));
    const pool = new RenderPool({ mode: 'template', template: TEMPLATE }, { kind: 'message-id' }, undefined, run, 2);
    pools.push(pool);
    const out = await pool.render(items);
    const single = new PayloadRenderer({ mode: 'template', template: TEMPLATE }, { kind: 'message-id' });
    expect(out).toHaveLength(items.length);
    for (const i of [0, 1, 996, 997, 1994, 12_345, 24_999]) {
      const r = out[i]!;
      if (i % 997 === 0) {
        expect(r).toMatchObject({ ok: false, error: expect.stringContaining('The template output is not valid JSON') });
      } else {
        const s = single.render({ key: items[i]!.key, event: items[i]!.event, row: JSON.parse(items[i]!.row) as Row, previous: null, run });
        expect(r).toEqual({ ok: true, data: s.data, partitionKey: s.partitionKey });
      }
    }
    expect(out.filter((r) => !r.ok)).toHaveLength(Math.ceil(25_000 / 997));
  });

  it('a template that does not parse is refused before any thread starts, with its line and column', () => {
    expect(() => new RenderPool({ mode: 'template', template: '{\n"a": {% if %}' }, { kind: 'primary-key' }, undefined, run)).toThrow(
      /payload template has an error at line 2/,
    );
  });

  it('a thread that exits without an error fails the chunks it held instead of hanging, and gets no more', async () => {
    process.env.SLUICE_TEST_RENDER_THREAD_EXIT_AFTER = '0';
    try {
      const pool = new RenderPool({ mode: 'template', template: TEMPLATE }, { kind: 'message-id' }, undefined, run, 2);
      pools.push(pool);
      const items: PoolItem[] = Array.from({ length: 5_000 }, (_, i) => ({
        key: String(i),
        event: 'added',
        row: JSON.stringify({ id: i, name: 'x', n: 1 }),
        previous: null,
      }));
      await expect(pool.render(items)).rejects.toThrow(/render thread stopped \(exit code 0\)/);
      await vi.waitFor(() => expect(pool.threads).toBe(0));
      await expect(pool.render(items)).rejects.toThrow(RenderPoolLostError);
    } finally {
      delete process.env.SLUICE_TEST_RENDER_THREAD_EXIT_AFTER;
    }
  });

  it('uses one thread per core beyond the first, at least one', () => {
    expect([1, 2, 4].map((cores) => renderThreads(cores))).toEqual([1, 1, 3]);
  });

  it('in the packaged app, the thread script is loaded from the unpacked copy beside the asar', () => {
    expect(outsideAsar('/opt/Sluice/resources/app.asar/dist/main/render-worker.cjs')).toBe(
      '/opt/Sluice/resources/app.asar.unpacked/dist/main/render-worker.cjs',
    );
    expect(outsideAsar('C:\\Sluice\\resources\\app.asar\\dist\\main\\render-worker.cjs')).toBe(
      'C:\\Sluice\\resources\\app.asar.unpacked\\dist\\main\\render-worker.cjs',
    );
    expect(outsideAsar('/work/main/dist/main/render-worker.cjs')).toBe('/work/main/dist/main/render-worker.cjs');
  });
});
