import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ExplicitHashKey, KafkaMessage, PartitionKey, Payload, SyncEvent } from '../../shared/config/sync';
import type { KafkaProperties } from '../publishers/publisher';
import { KafkaMessageRenderer } from './kafka-message';
import { PayloadRenderer } from './payload-renderer';
import { startThread } from './thread-script';

/** A work item as the differ gives it: the row (and previous) as JSON text, parsed on the thread. */
export interface PoolItem {
  key: string;
  event: SyncEvent;
  row: string;
  previous: string | null;
}

/**
 * A record rendered on a thread. For Kafka, `kafka` holds its message properties and `data` is null
 * for a tombstone.
 */
export type PoolResult =
  { ok: true; data: Buffer | null; partitionKey: string; explicitHashKey?: string; kafka?: KafkaProperties } | { ok: false; error: string };

/** A result as a thread sends it: a rendered record without its payload, which travels in the answer's blob. */
export type WireResult = Omit<Extract<PoolResult, { ok: true }>, 'data'> | Extract<PoolResult, { ok: false }>;

/**
 * A chunk's results as a thread sends them: every payload's bytes in one `blob` (transferred, not
 * copied), `lengths[i]` bytes for result i (-1: no data), in order. Sent as a string per record, a
 * payload was decoded on the thread, cloned on its own and encoded again on the main thread.
 */
export interface PoolAnswer {
  id: number;
  results: WireResult[];
  blob: ArrayBuffer;
  lengths: Int32Array;
}

/** A thread's answer as results (in place), each payload a view of the transferred blob. */
export function unpackAnswer({ results, blob, lengths }: Omit<PoolAnswer, 'id'>): PoolResult[] {
  let at = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const n = lengths[i]!;
    if (!r.ok) continue;
    (r as PoolResult & { ok: true }).data = n < 0 ? null : Buffer.from(blob, at, n);
    if (n > 0) at += n;
  }
  return results as PoolResult[];
}

/** Results with their payloads as a thread answers them (`PoolAnswer`, less its id). */
export function packAnswer(results: PoolResult[]): Omit<PoolAnswer, 'id'> {
  const lengths = new Int32Array(results.length);
  let total = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    lengths[i] = r.ok && r.data ? r.data.length : -1;
    if (lengths[i]! > 0) total += lengths[i]!;
  }
  const blob = new ArrayBuffer(total);
  const into = new Uint8Array(blob);
  let at = 0;
  const wire = results.map((r): WireResult => {
    if (!r.ok) return r;
    const { data, ...rest } = r;
    if (data) {
      into.set(data, at);
      at += data.length;
    }
    return rest;
  });
  return { results: wire, blob, lengths };
}

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
  ) {
    new PayloadRenderer(payload, partitionKey, explicitHashKey); // throws a TemplateError with line and column
    if (kafka) new KafkaMessageRenderer(kafka.message, kafka.defaultTopic);
    try {
      for (let i = 0; i < threads; i++) {
        const w = startThread(__dirname, 'render-worker', { payload, partitionKey, explicitHashKey, run, kafka });
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
      worker.postMessage({ id, items: items.slice(i, i + CHUNK) });
    }
    return (await Promise.all(chunks)).flat();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
