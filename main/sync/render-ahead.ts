import os from 'node:os';
import type { ExplicitHashKey, PartitionKey, Payload } from '../../shared/config/sync';
import type { WorkItem } from './differ';
import { POOL_THRESHOLD, RenderPool, renderThreads, type PoolKafka, type PoolResult } from './render-pool';

interface Chunk {
  items: WorkItem[];
  results: PoolResult[] | undefined;
  done: Promise<void>;
}

/**
 * Renders the work list ahead of the sender on a RenderPool's threads, in work-list order: up to
 * `depth` pages are on the threads while the main thread sends. The runner takes finished pages in
 * order (`take`), and waits (`ready`) only when it has nothing else to do.
 */
export class RenderAhead {
  private readonly chunks: Chunk[] = [];
  private after = 0;
  private exhausted = false;
  private error: Error | undefined;

  constructor(
    private readonly pool: RenderPool,
    private readonly page: (after: number, limit: number) => WorkItem[],
    private readonly pageSize = 2_000,
    private readonly depth = 4,
  ) {
    this.pump();
  }

  private pump(): void {
    while (!this.exhausted && this.chunks.length < this.depth) {
      const items = this.page(this.after, this.pageSize);
      if (items.length === 0) {
        this.exhausted = true;
        break;
      }
      this.after = items[items.length - 1]!.seq;
      const chunk: Chunk = { items, results: undefined, done: Promise.resolve() };
      // The work items as they are (a PoolItem each, and a few numbers more to clone): no copy of each.
      chunk.done = this.pool.render(items).then(
        (results) => {
          chunk.results = results;
        },
        (err: unknown) => {
          this.error ??= err instanceof Error ? err : new Error(String(err));
        },
      );
      this.chunks.push(chunk);
    }
  }

  /** The next page with its results if it is finished; 'done' once the work list is used up. */
  take(): { items: WorkItem[]; results: PoolResult[] } | 'done' | undefined {
    if (this.error) throw this.error;
    const head = this.chunks[0];
    if (!head) return this.exhausted ? 'done' : undefined;
    if (!head.results) return undefined;
    this.chunks.shift();
    this.pump();
    return { items: head.items, results: head.results };
  }

  /** Resolves when the next page is finished (or failed). */
  async ready(): Promise<void> {
    await this.chunks[0]?.done;
  }

  /** Render threads still running. */
  get threads(): number {
    return this.pool.threads;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * A RenderAhead for a run's payload when the work list is long enough to pay for the threads
 * (`threshold` records; default POOL_THRESHOLD), else undefined: the runner renders inline.
 * Kinesis: by default only where the pool gets at least two render threads (three or more cores): on
 * two cores its one thread competed with the SDK's request building and the peer, and a 20k-record
 * run to kinesalite went at 0.77× a bare PutRecords loop with it against 0.97× without (npm run bench).
 * Kafka (`kafka` given): on two cores or more, as its sending costs a few microseconds a record and
 * the main thread is free to keep the ledger while the threads render. An explicit `threshold` (a run
 * option) uses the pool on any machine with two cores or more.
 */
export function renderAheadFor(
  sync: { payload: Payload; partitionKey: PartitionKey; explicitHashKey?: ExplicitHashKey },
  toSend: number,
  threshold: number | undefined,
  run: { id: number; sync: string; startedAt: string; columns?: readonly string[] | undefined; numberColumns?: readonly string[] | undefined },
  page: (after: number, limit: number) => WorkItem[],
  kafka?: PoolKafka,
): RenderAhead | undefined {
  const cores = os.availableParallelism();
  if (toSend < (threshold ?? POOL_THRESHOLD) || cores < (threshold === undefined && !kafka ? 3 : 2)) return undefined;
  const { columns, numberColumns, ...about } = run;
  const pool = new RenderPool(sync.payload, sync.partitionKey, sync.explicitHashKey, about, renderThreads(cores), kafka, columns, numberColumns);
  return new RenderAhead(pool, page);
}
