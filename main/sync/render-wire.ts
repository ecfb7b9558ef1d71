// What goes between the run's main thread and a render thread (`render-pool.ts`, `render-worker.ts`),
// in forms that clone cheaply: text as one string with lengths, payloads as one transferred buffer.
import type { SyncEvent } from '../../shared/config/sync';
import type { KafkaProperties } from '../publishers/publisher';

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

/** Strings (or nulls) as one text and each one's length (-1: null): cloned as two copies, not one each. */
interface TextColumn {
  text: string;
  lengths: Int32Array;
}

function packText(values: readonly (string | null)[]): TextColumn {
  const lengths = new Int32Array(values.length);
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    lengths[i] = v === null ? -1 : v.length;
    if (v !== null) parts.push(v);
  }
  return { text: parts.join(''), lengths };
}

function unpackText({ text, lengths }: TextColumn): (string | null)[] {
  const out = new Array<string | null>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i]!;
    out[i] = n < 0 ? null : text.slice(at, (at += n));
  }
  return out;
}

const EVENTS: readonly SyncEvent[] = ['added', 'changed', 'removed'];

/**
 * A chunk of work items as it goes to a thread: keys, rows and previous rows as text columns, events
 * as one index each. Cloned as objects, every item wrote its field names again: twice the main
 * thread's time for the same items.
 */
export interface PackedItems {
  keys: TextColumn;
  rows: TextColumn;
  previous: TextColumn;
  events: Uint8Array;
}

export function packItems(items: readonly PoolItem[]): PackedItems {
  return {
    keys: packText(items.map((i) => i.key)),
    rows: packText(items.map((i) => i.row)),
    previous: packText(items.map((i) => i.previous)),
    events: Uint8Array.from(items, (i) => EVENTS.indexOf(i.event)),
  };
}

export function unpackItems(packed: PackedItems): PoolItem[] {
  const keys = unpackText(packed.keys);
  const rows = unpackText(packed.rows);
  const previous = unpackText(packed.previous);
  return keys.map((key, i) => ({ key: key!, event: EVENTS[packed.events[i]!]!, row: rows[i]!, previous: previous[i]! }));
}

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
