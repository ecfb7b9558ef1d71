// Render speed: Sluice's PayloadRenderer (parse once, render, validate JSON, minify, partition key)
// against bare liquidjs (parse once, renderSync) on the same six-field template and rows: once on the
// template as it is (which Sluice compiles, simple-template.ts) and once with a tag in it (which Sluice
// renders with liquidjs); then a worker_threads pool (RenderPool) against one thread on a large work list.
import os from 'node:os';
import { Liquid } from 'liquidjs';
import { PayloadRenderer, type RenderContext } from '../../main/sync/payload-renderer';
import { RenderPool, type PoolItem } from '../../main/sync/render-pool';
import type { Row } from '../../shared/config/source';

/** The same six fields with one of them behind a tag: rendered by liquidjs, not compiled. */
export const BENCH_TEMPLATE_TAGGED =
  '{"id": {{ row.id }}, "email": {{ row.email | json }}, "name": {{ row.name | json }}, "score": {{ row.score }}, "active": {% if row.active %}true{% else %}false{% endif %}, "event": {{ event | json }}}';

export const BENCH_TEMPLATE =
  '{"id": {{ row.id }}, "email": {{ row.email | json }}, "name": {{ row.name | json }}, "score": {{ row.score }}, "active": {{ row.active }}, "event": {{ event | json }}}';

export function benchRows(n: number): RenderContext[] {
  const run = { id: 1, sync: 'bench', startedAt: new Date().toISOString() };
  return Array.from({ length: n }, (_, i) => ({
    key: String(i + 1),
    event: 'added' as const,
    row: { id: i + 1, email: `user${i}@example.com`, name: `User "${i}" Ünïcode`, score: (i % 1000) / 7, active: i % 2 === 0 },
    previous: null,
    run,
  }));
}

function rate(n: number, fn: () => void): number {
  const t = performance.now();
  fn();
  return Math.round(n / ((performance.now() - t) / 1000));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface RenderBench {
  rows: number;
  bareLiquidRowsPerSecond: number;
  sluiceRowsPerSecond: number;
  ratio: number;
  /** The same comparison on BENCH_TEMPLATE_TAGGED, which Sluice renders with liquidjs. */
  liquidPath: { bareLiquidRowsPerSecond: number; sluiceRowsPerSecond: number; ratio: number };
  pool: { records: number; threads: number; singleRowsPerSecond: number; poolRowsPerSecond: number; speedup: number; cores: number };
}

/** Sluice's renderer against bare liquidjs on one template: rows/s each and the median of the rounds' ratios. */
function compare(template: string, ctxs: RenderContext[]): { bareLiquidRowsPerSecond: number; sluiceRowsPerSecond: number; ratio: number } {
  const rows = ctxs.length;
  const liquid = new Liquid({ strictFilters: true, ownPropertyOnly: true, greedy: false });
  const parsed = liquid.parse(template);
  const renderer = new PayloadRenderer({ mode: 'template', template }, { kind: 'primary-key' });
  // Warm up both, then alternate rounds so neither gets the machine's quieter moments.
  for (const c of ctxs.slice(0, 5000)) {
    liquid.renderSync(parsed, c);
    renderer.render(c);
  }
  // Interleaved rounds; the ratio is the median of each round's own ratio, so a busy machine's swings cancel out.
  const bare: number[] = [];
  const sluice: number[] = [];
  const ratios: number[] = [];
  const bareRound = () =>
    rate(rows, () => {
      for (const c of ctxs) liquid.renderSync(parsed, c);
    });
  const sluiceRound = () =>
    rate(rows, () => {
      for (const c of ctxs) renderer.render(c);
    });
  for (let round = 0; round < 10; round++) {
    // Alternate which goes first, so neither always pays the other's garbage collection.
    let b: number;
    let s: number;
    if (round % 2 === 0) {
      b = bareRound();
      s = sluiceRound();
    } else {
      s = sluiceRound();
      b = bareRound();
    }
    bare.push(b);
    sluice.push(s);
    ratios.push(s / b);
  }
  return { bareLiquidRowsPerSecond: median(bare), sluiceRowsPerSecond: median(sluice), ratio: Math.round(median(ratios) * 100) / 100 };
}

export async function benchRender(rows = 50_000, poolRecords = 100_000): Promise<RenderBench> {
  const ctxs = benchRows(rows);
  // The bench template is of the simple kind Sluice compiles; the tagged one goes through liquidjs.
  const { bareLiquidRowsPerSecond, sluiceRowsPerSecond, ratio } = compare(BENCH_TEMPLATE, ctxs);
  const liquidPath = compare(BENCH_TEMPLATE_TAGGED, ctxs);
  const renderer = new PayloadRenderer({ mode: 'template', template: BENCH_TEMPLATE }, { kind: 'primary-key' });

  // A run's work list holds rows as JSON text: one thread parses and renders each; the pool does the same on threads.
  const work: PoolItem[] = benchRows(poolRecords).map((c) => ({ key: c.key, event: c.event, row: JSON.stringify(c.row), previous: null }));
  const run = { id: 1, sync: 'bench', startedAt: new Date().toISOString() };
  const single = rate(poolRecords, () => {
    for (const w of work) renderer.render({ key: w.key, event: w.event, row: JSON.parse(w.row) as Row, previous: null, run });
  });
  const pool = new RenderPool({ mode: 'template', template: BENCH_TEMPLATE }, { kind: 'primary-key' }, undefined, run);
  try {
    await pool.render(work.slice(0, 5000)); // start the threads and warm them up
    const t = performance.now();
    const out = await pool.render(work);
    const poolRate = Math.round(poolRecords / ((performance.now() - t) / 1000));
    const last = out[poolRecords - 1];
    if (out.length !== poolRecords || !last?.ok || last.partitionKey !== String(poolRecords)) throw new Error('The pool lost the order of records');
    return {
      rows,
      bareLiquidRowsPerSecond,
      sluiceRowsPerSecond,
      ratio,
      liquidPath,
      pool: {
        records: poolRecords,
        threads: pool.threads,
        singleRowsPerSecond: single,
        poolRowsPerSecond: poolRate,
        speedup: Math.round((poolRate / single) * 100) / 100,
        cores: os.availableParallelism(),
      },
    };
  } finally {
    await pool.close();
  }
}

if (require.main === module) {
  benchRender(Number(process.argv[2] ?? 50_000), Number(process.argv[3] ?? 100_000)).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
