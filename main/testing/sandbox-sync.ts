import fs from 'node:fs';
import path from 'node:path';
import type { Sync } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { callChannel } from './call-channel';

/**
 * A sandbox Kinesis destination `sandbox` of one shard (records read back in the order sent) on stream
 * `stream`, and sync `sync` (default `out`) of every event of `model` to it as `template`; `more` sets
 * the sync's other fields.
 */
export function putSandboxSync(engine: Engine, o: { model: string; stream: string; template: string; sync?: string; more?: Partial<Sync> }): void {
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: o.stream, shards: 1 });
  engine.catalog.putSync({
    name: o.sync ?? 'out',
    model: o.model,
    destination: 'sandbox',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: o.template },
    ...o.more,
  });
}

/** Reads the sandbox destination's records: each call answers the texts of those sent since the call before. */
export function sandboxReader(engine: Engine): () => Promise<string[]> {
  let seen = 0;
  return async () => {
    const { records } = await callChannel(engine, 'inspectRead', { destination: 'sandbox', from: { at: 'earliest' }, limit: 1000 });
    const texts = records.slice(seen).map((r) => (r.kind === 'kinesis' ? r.data.text! : ''));
    seen = records.length;
    return texts;
  };
}

/**
 * A CSV file `dir/<model>.csv` holding `text`, source `f` over it (with `delimiter`), model `model` keyed
 * by `id`, and a sandbox destination `sb` on stream `stream`. Answers the file's path.
 */
export function putCsvModel(engine: Engine, dir: string, o: { model: string; text: string; stream: string; delimiter?: string }): string {
  const csv = path.join(dir, `${o.model}.csv`);
  fs.writeFileSync(csv, o.text);
  engine.catalog.putSource({ kind: 'csv', name: 'f', path: csv, ...(o.delimiter ? { delimiter: o.delimiter } : {}) });
  engine.catalog.putModel({ name: o.model, source: 'f', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: o.stream });
  return csv;
}
