// What goes between the run's main thread and a render thread (`render-pool.ts`, `render-worker.ts`),
// in forms that clone cheaply: text as a few strings with lengths (text-chunks.ts), payloads as one transferred buffer.
import type { SyncEvent } from '../../shared/config/sync';
import type { KafkaProperties } from '../publishers/publisher';
import { TextChunks, TextReader } from './text-chunks';

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

/**
 * Strings (or nulls) as a few texts (`text-chunks.ts`) and each one's length (-1: null, -2: the same as
 * the one before, as a topic or a header's name is on every record): cloned as a few copies, not one each.
 */
interface TextColumn {
  texts: string[];
  lengths: Int32Array;
}

function packText(values: readonly (string | null)[]): TextColumn {
  const lengths = new Int32Array(values.length);
  const texts = new TextChunks();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null) lengths[i] = -1;
    else if (i > 0 && v === values[i - 1]) lengths[i] = -2;
    else {
      lengths[i] = v.length;
      texts.add(v);
    }
  }
  return { texts: texts.finish(), lengths };
}

function unpackText({ texts, lengths }: TextColumn): (string | null)[] {
  const out = new Array<string | null>(lengths.length);
  const reader = new TextReader(texts);
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i]!;
    out[i] = n === -2 ? out[i - 1]! : n < 0 ? null : reader.next(n);
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

/**
 * A chunk's results as a thread sends them, in columns (cloned as objects, each result and its Kafka
 * properties wrote their field names again, and reading them back cost the main thread about a
 * microsecond a record, more than any other part of taking a page): every payload's bytes in one
 * `blob` (transferred, not copied), `lengths[i]` bytes for result i (-1: no data); partition keys
 * and explicit hash keys as text columns; Kafka's properties as columns (present when the thread
 * renders them); a failed row's error beside its place.
 */
export interface PoolAnswer {
  id: number;
  count: number;
  blob: ArrayBuffer;
  lengths: Int32Array;
  partitionKeys: TextColumn;
  explicitHashKeys: TextColumn;
  kafka?: PackedKafka;
  errors: { at: number; error: string }[];
}

/** Kafka's message properties in columns: a partition of -1 is none; `headers[i]` names and values for result i. */
interface PackedKafka {
  topics: TextColumn;
  keys: TextColumn;
  partitions: Int32Array;
  headerCounts: Int32Array;
  headerNames: TextColumn;
  headerValues: TextColumn;
}

function packKafka(results: readonly PoolResult[]): PackedKafka | undefined {
  if (!results.some((r) => r.ok && r.kafka)) return undefined;
  const topics: (string | null)[] = [];
  const keys: (string | null)[] = [];
  const partitions = new Int32Array(results.length).fill(-1);
  const headerCounts = new Int32Array(results.length);
  const names: string[] = [];
  const values: string[] = [];
  results.forEach((r, i) => {
    const k = r.ok ? r.kafka : undefined;
    topics.push(k ? k.topic : null);
    keys.push(k ? k.key : null);
    if (k?.partition != null) partitions[i] = k.partition;
    if (!k) return;
    for (const name in k.headers) {
      names.push(name);
      values.push(k.headers[name]!);
      headerCounts[i]!++;
    }
  });
  return { topics: packText(topics), keys: packText(keys), partitions, headerCounts, headerNames: packText(names), headerValues: packText(values) };
}

function unpackKafka(packed: PackedKafka): (KafkaProperties | undefined)[] {
  const topics = unpackText(packed.topics);
  const keys = unpackText(packed.keys);
  const names = unpackText(packed.headerNames);
  const values = unpackText(packed.headerValues);
  let h = 0;
  return topics.map((topic, i) => {
    if (topic === null) return undefined;
    const headers: Record<string, string> = {};
    for (let n = packed.headerCounts[i]!; n > 0; n--, h++) headers[names[h]!] = values[h]!;
    const partition = packed.partitions[i]!;
    return { topic, key: keys[i]!, partition: partition < 0 ? null : partition, headers };
  });
}

/** A thread's answer as results, each payload a view of the transferred blob. */
export function unpackAnswer(answer: Omit<PoolAnswer, 'id'>): PoolResult[] {
  const { blob, lengths } = answer;
  const partitionKeys = unpackText(answer.partitionKeys);
  const explicitHashKeys = unpackText(answer.explicitHashKeys);
  const kafka = answer.kafka ? unpackKafka(answer.kafka) : undefined;
  const out = new Array<PoolResult>(answer.count);
  let at = 0;
  for (let i = 0; i < answer.count; i++) {
    const n = lengths[i]!;
    const data = n < 0 ? null : Buffer.from(blob, at, n);
    if (n > 0) at += n;
    const r: Extract<PoolResult, { ok: true }> = { ok: true, data, partitionKey: partitionKeys[i] ?? '' };
    const hashKey = explicitHashKeys[i];
    if (hashKey != null) r.explicitHashKey = hashKey;
    const props = kafka?.[i];
    if (props) r.kafka = props;
    out[i] = r;
  }
  for (const { at: i, error } of answer.errors) out[i] = { ok: false, error };
  return out;
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
  const errors: PoolAnswer['errors'] = [];
  results.forEach((r, i) => {
    if (!r.ok) errors.push({ at: i, error: r.error });
    else if (r.data) {
      into.set(r.data, at);
      at += r.data.length;
    }
  });
  const kafka = packKafka(results);
  return {
    count: results.length,
    blob,
    lengths,
    partitionKeys: packText(results.map((r) => (r.ok ? r.partitionKey : null))),
    explicitHashKeys: packText(results.map((r) => (r.ok ? (r.explicitHashKey ?? null) : null))),
    ...(kafka ? { kafka } : {}),
    errors,
  };
}
