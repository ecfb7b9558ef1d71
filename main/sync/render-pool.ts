import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExplicitHashKey, PartitionKey, Payload, SyncEvent } from '../../shared/config/sync';
import { PayloadRenderer } from './payload-renderer';

/** A work item as the differ gives it: the row (and previous) as JSON text, parsed on the thread. */
export interface PoolItem {
  key: string;
  event: SyncEvent;
  row: string;
  previous: string | null;
}

export type PoolResult = { ok: true; data: string; partitionKey: string; explicitHashKey?: string } | { ok: false; error: string };

/** Work lists at least this long are worth handing to threads (below it, starting them costs more). */
export const POOL_THRESHOLD = 20_000;
const CHUNK = 2_000;

/**
 * Renders a large work list on worker threads, one per core beyond the first (the main thread keeps
 * sending). Each thread parses the templates once. Results come back in the work list's order, with
 * per-row errors in place. Templates are checked here first, so a syntax error throws at once.
 */
export class RenderPool {
  private readonly workers: Worker[];
  private next = 0;
  private readonly waiting = new Map<number, { resolve(results: PoolResult[]): void; reject(err: Error): void }>();

  constructor(
    payload: Payload,
    partitionKey: PartitionKey,
    explicitHashKey: ExplicitHashKey | undefined,
    run: { id: number; sync: string; startedAt: string },
    threads = Math.max(2, os.availableParallelism()),
  ) {
    new PayloadRenderer(payload, partitionKey, explicitHashKey); // throws a TemplateError with line and column
    // From sources (tsx: tests, bench) the thread loads the .ts through tsx; bundled, the .cjs beside this file.
    const fromSource = __filename.endsWith('.ts');
    const script = path.join(__dirname, fromSource ? 'render-worker.ts' : 'render-worker.cjs');
    this.workers = Array.from({ length: threads }, () => {
      const data = { workerData: { payload, partitionKey, explicitHashKey, run } };
      const w = fromSource ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { ...data, eval: true }) : new Worker(script, data);
      w.on('message', ({ id, results }: { id: number; results: PoolResult[] }) => {
        this.waiting.get(id)?.resolve(results);
        this.waiting.delete(id);
      });
      w.on('error', (err) => {
        for (const p of this.waiting.values()) p.reject(err);
        this.waiting.clear();
      });
      return w;
    });
  }

  get threads(): number {
    return this.workers.length;
  }

  async render(items: readonly PoolItem[]): Promise<PoolResult[]> {
    const chunks: Promise<PoolResult[]>[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const id = this.next++;
      const worker = this.workers[id % this.workers.length]!;
      chunks.push(new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject })));
      worker.postMessage({ id, items: items.slice(i, i + CHUNK) });
    }
    return (await Promise.all(chunks)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
