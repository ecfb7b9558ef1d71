import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ExplicitHashKey, KafkaMessage, PartitionKey, Payload } from '../../shared/config/sync';
import { KafkaMessageRenderer } from './kafka-message';
import { PayloadRenderer } from './payload-renderer';
import { packItems, unpackAnswer, type PoolAnswer, type PoolItem, type PoolResult } from './render-wire';

export type { PoolItem, PoolResult } from './render-wire';
import { startThread } from './thread-script';

/** What a thread needs to render Kafka message properties too. */
export interface PoolKafka {
  message: KafkaMessage;
  defaultTopic: string | undefined;
}

/** Work lists at least this long are worth handing to threads (below it, starting them costs more). */
export const POOL_THRESHOLD = 20_000;
const CHUNK = 2_000;

/** Every render thread has stopped (crashed or exited): the pool cannot render any more. */
export class RenderPoolLostError extends Error {}

/** Threads for a machine: one per core beyond the first (the main thread sends), at least one. */
export function renderThreads(cores = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * Renders a large work list on worker threads, by default one per core beyond the first (the main
 * thread keeps sending; see `renderThreads`). Each thread parses the templates once. Results come
 * back in the work list's order, with per-row errors in place. Templates are checked here first, so a
 * syntax error throws at once. A thread that errors or exits fails the chunks it holds (their promises
 * reject, nothing hangs) and gets no more; once every thread is gone, `render` rejects with
 * RenderPoolLostError.
 */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly live = new Set<Worker>();
  private next = 0;
  private closing = false;
  private readonly waiting = new Map<number, { worker: Worker; resolve(results: PoolResult[]): void; reject(err: Error): void }>();

  constructor(
    payload: Payload,
    partitionKey: PartitionKey,
    explicitHashKey: ExplicitHashKey | undefined,
    run: { id: number; sync: string; startedAt: string },
    threads = renderThreads(),
    kafka?: PoolKafka,
    /** The model's columns a row may leave out (`withColumns`). */
    columns?: readonly string[],
    /** The model's columns that hold numbers (`numberColumns`). */
    numberColumns?: readonly string[],
  ) {
    new PayloadRenderer(payload, partitionKey, explicitHashKey); // throws a TemplateError with line and column
    if (kafka) new KafkaMessageRenderer(kafka.message, kafka.defaultTopic);
    try {
      for (let i = 0; i < threads; i++) {
        const w = startThread(__dirname, 'render-worker', { payload, partitionKey, explicitHashKey, run, kafka, columns, numberColumns });
        this.workers.push(w);
        this.live.add(w);
        w.on('message', (answer: PoolAnswer) => {
          const { id } = answer;
          this.waiting.get(id)?.resolve(unpackAnswer(answer));
          this.waiting.delete(id);
        });
        w.on('error', (err) => this.lost(w, err));
        w.on('exit', (code) => this.lost(w, new RenderPoolLostError(`A render thread stopped (exit code ${code})`)));
      }
    } catch (err) {
      // Do not leave the threads already started running (they would keep the process alive).
      this.closing = true;
      void Promise.allSettled(this.workers.map((w) => w.terminate()));
      throw err;
    }
  }

  get threads(): number {
    return this.live.size;
  }

  /** A thread is gone: what it held fails, and it gets nothing more. */
  private lost(worker: Worker, err: Error): void {
    if (this.closing) return;
    this.live.delete(worker);
    for (const [id, p] of this.waiting) {
      if (p.worker !== worker) continue;
      this.waiting.delete(id);
      p.reject(err);
    }
  }

  async render(items: readonly PoolItem[]): Promise<PoolResult[]> {
    const chunks: Promise<PoolResult[]>[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const live = [...this.live];
      if (live.length === 0) throw new RenderPoolLostError('Every render thread has stopped');
      const id = this.next++;
      const worker = live[id % live.length]!;
      chunks.push(new Promise((resolve, reject) => this.waiting.set(id, { worker, resolve, reject })));
      worker.postMessage({ id, ...packItems(items.slice(i, i + CHUNK)) });
    }
    return (await Promise.all(chunks)).flat();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
