// Reads of a model asked again while the same read is under way share it. The payload editor asks for a
// preview each time the template rests (200 ms), the routing preview each time a setting does: each
// asked the source for the rows again, so over a model whose query takes seconds the reads piled up
// (a reading process, or a PostgreSQL query, per edit, all at work at once) and the first answer came
// only when they had shared the machine: six edits over a 7-second query answered after a minute.
import type { Model } from '../../shared/config/source';
import type { EngineServices } from '../engine/services';

const underWay = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * `read()`'s answer, shared by every call with the same `key` for the same `owner` (the engine) made
 * while it is under way; a call after it has ended reads again (the rows may have changed since).
 */
export function sharedRead<T>(owner: object, key: string, read: () => Promise<T>): Promise<T> {
  let reads = underWay.get(owner);
  if (!reads) underWay.set(owner, (reads = new Map()));
  const going = reads.get(key) as Promise<T> | undefined;
  if (going) return going;
  const started = read().finally(() => reads.delete(key));
  reads.set(key, started);
  return started;
}

/**
 * `sharedRead` of a model: two reads are the same when they read the same (`what`, with its own
 * `settings`) of the same model from the same source, as both are defined now.
 */
export function sharedModelRead<T>(engine: EngineServices, what: string, model: Model, settings: unknown, read: () => Promise<T>): Promise<T> {
  return sharedRead(engine, JSON.stringify([what, engine.catalog.getSource(model.source), model, settings]), read);
}
