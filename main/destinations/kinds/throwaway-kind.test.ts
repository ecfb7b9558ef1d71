import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { InspectTargets, KafkaRecord, ReadBack } from '../../../shared/config/inspector';
import { registerDestinationSchemas, type DestinationBase } from '../../../shared/config/destination';
import { NameSchema } from '../../../shared/config/names';
import type { SharedKindFor } from '../../../shared/destinations/kinds/kind';
import { registerSharedKind } from '../../../shared/destinations/kinds/registry';
import type { Channel, ChannelOutput } from '../../../shared/ipc/contract';
import type { WireError } from '../../../shared/ipc/errors';
import { compareBytes, describeData } from '../../inspector/record-data';
import type { OutRecord, Publisher, RecordResult } from '../../publishers/publisher';
import type { Router } from '../../routing/router';
import { PayloadRenderer } from '../../sync/payload-renderer';
import type { RecordTarget } from '../../sync/run/record-target';
import { refuseFirehoseRoutes, refuseKafkaSettings } from '../../sync/sync-settings-fit';
import { openTestEngine, trusted } from '../../testing/engine';
import { createPeopleDb } from '../../testing/model-db';
import type { DestinationKind, EngineKindFor } from './kind';
import { engineKind, registerEngineKind } from './registry';

// ARCHITECTURE.md, "Adding a destination kind", followed once with a throwaway kind: `memory-stream`,
// whose records go to an array in this file. Its schema, shared side and engine side are written here
// and registered only here (steps 1–3; it has no UI, step 4), and the real engine — catalog, channels,
// runs, dry runs, routing preview, connection test, inspector — works with it unchanged. Nothing in the
// generic code names it, so any branch there on a kind's name (or a closed list of kinds) fails this test.

// --- Step 1, the schema: its definition (the wizard's draft is the same).
const MemoryStreamSchema = z
  .object({
    kind: z.literal('memory-stream'),
    name: NameSchema,
    stream: z.string().min(1, 'Name the memory stream'),
    partitions: z.number().int().min(1).max(8, 'A memory stream has at most 8 partitions').default(3),
  })
  .strict();
type MemoryStream = z.infer<typeof MemoryStreamSchema>;

// --- Step 2, the shared side: its noun, no IAM policy, and no credentials (its secrets would go nowhere but this process).
const memoryShared: SharedKindFor<MemoryStream> = {
  kind: 'memory-stream',
  noun: 'stream',
  policy: () => null,
  secretIdentity: () => ({ kind: 'sandbox' }),
  credentials: () => [],
};

// --- Step 3, the engine side. The "broker": each stream's partitions, records in the order they came.
interface Stored {
  key: string;
  data: Buffer;
  at: string;
}
const memory = new Map<string, Stored[][]>();
const partitionsOf = (d: MemoryStream): Stored[][] => {
  const existing = memory.get(d.stream);
  if (existing) return existing;
  const made: Stored[][] = Array.from({ length: d.partitions }, () => []);
  memory.set(d.stream, made);
  return made;
};
/** Where a record goes: a hash of its partition key over the partitions. */
const partitionOf = (key: string, partitions: number): number => [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7) % partitions;
const MAX_RECORD_BYTES = 4096;
/** The size of each batch its publisher was sent. */
const batches: number[] = [];

/** Its publisher: keeps each record in the memory stream and answers its partition and offset. */
class MemoryPublisher implements Publisher {
  readonly limits = { maxBatchRecords: 4, maxBatchBytes: 64 * 1024, maxRecordBytes: MAX_RECORD_BYTES };
  constructor(private readonly d: MemoryStream) {}
  recordBytes(r: OutRecord): number {
    return (r.data?.length ?? 0) + Buffer.byteLength(r.partitionKey);
  }
  send(batch: OutRecord[]): Promise<RecordResult[]> {
    batches.push(batch.length);
    return Promise.resolve(
      batch.map((r) => {
        const partition = partitionOf(r.partitionKey, this.d.partitions);
        const stored = partitionsOf(this.d)[partition]!;
        stored.push({ key: r.partitionKey, data: r.data ?? Buffer.alloc(0), at: new Date().toISOString() });
        return { seq: r.seq, ok: true, location: { topic: this.d.stream, partition, offset: String(stored.length - 1) } };
      }),
    );
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Its records: the payload and its partition key (the data + partition key shape of publisher.ts). */
const memoryRecords: RecordTarget = {
  record(origin, context, renderer) {
    const { data, partitionKey } = renderer.render(context);
    return { kind: 'kinesis', seq: origin.seq, key: origin.key, event: origin.event, data, partitionKey };
  },
  pooled: (origin, result) => ({
    kind: 'kinesis',
    seq: origin.seq,
    key: origin.key,
    event: origin.event,
    data: result.data ?? Buffer.alloc(0),
    partitionKey: result.partitionKey,
  }),
  pool: {},
  preview: () => ({ kafka: null, tombstone: false, partitionKey: true, suffix: '' }),
};

/** A record of the memory stream, in the inspector's Kafka shape (topic, partition, offset), with its bytes; null when there is none there. */
const readAt = (d: MemoryStream, partition: number, offset: number): { read: KafkaRecord; data: Buffer } | null => {
  const stored = partitionsOf(d)[partition]?.[offset];
  if (!stored) return null;
  const { key, at, data } = stored;
  return { read: { kind: 'kafka', topic: d.stream, partition, offset: String(offset), key, headers: [], timestamp: at, value: describeData(data) }, data };
};
const readBackAt = (d: MemoryStream, partition: number, offset: number, sent: Buffer | null) => {
  const found = readAt(d, partition, offset);
  return found ? { read: found.read, ...compareBytes(sent, found.data) } : { read: null, match: false, detail: 'not in the memory stream' };
};

function memoryRouter(d: MemoryStream, renderer: PayloadRenderer): Router {
  const ids = Array.from({ length: d.partitions }, (_, p) => String(p));
  return {
    noun: 'partition',
    unreachable: 'Could not read the memory stream',
    warns: false,
    open: () => Promise.resolve(),
    route(ctx) {
      const { data, partitionKey } = renderer.render(ctx);
      const bucket = String(partitionOf(partitionKey, d.partitions));
      const hotKey = { id: partitionKey, label: partitionKey };
      return Promise.resolve({
        bucket,
        shown: bucket,
        roundRobin: false,
        fairShare: 1 / d.partitions,
        hotKey,
        partitionKey,
        explicitHashKey: null,
        hash: null,
        bytes: data.length,
      });
    },
    buckets: () => ids.map((id) => ({ id, records: 0, bytes: 0, fairShare: 1 / d.partitions })),
    finish: (tally) => [...tally.values()],
    topology: () => [{ id: d.stream, detail: `${d.partitions} partitions in memory` }],
    close: () => Promise.resolve(),
  };
}

const memoryKind: EngineKindFor<MemoryStream> = {
  kind: 'memory-stream',
  label: (d) => `Memory stream ${d.stream}`,
  target: (d) => d.stream,
  sizedAs: 'data + partition key',
  maxRecordBytes: MAX_RECORD_BYTES,
  recordTarget: () => memoryRecords,
  syncSettings: { fields: [], check: (d, { settings }) => [...refuseKafkaSettings(d, settings), ...refuseFirehoseRoutes(d, settings)], apply: () => undefined },
  awsRole: () => null,
  publisher: (d) => Promise.resolve(new MemoryPublisher(d)),
  testConnection: (draft) =>
    Promise.resolve({
      destination: draft.name,
      ok: true,
      steps: [{ step: 'Listing', status: 'ok', detail: `memory stream "${draft.stream}" with ${draft.partitions} partitions`, ms: 0 }],
      listed: [...memory.keys()].sort(),
    }),
  streams: 'A memory stream is made by its first record: there is nothing to create',
  router: (d, { sync }) => memoryRouter(d, new PayloadRenderer(sync.payload, sync.partitionKey)),
  dryRunPlacer: (d) => {
    const counts = new Map(Array.from({ length: d.partitions }, (_, p) => [String(p), 0]));
    return Promise.resolve({
      per: 'partition',
      roundRobin: 0,
      note: null,
      failure: null,
      place(record) {
        const id = String(partitionOf(record.partitionKey, d.partitions));
        counts.set(id, counts.get(id)! + 1);
      },
      targets: () => [...counts].map(([id, records]) => ({ id, records })),
    });
  },
  inspectTargets: (_engine, d) =>
    Promise.resolve({
      kind: 'kafka',
      destination: d.name,
      defaultTopic: d.stream,
      topics: [{ topic: d.stream, partitions: partitionsOf(d).map((_, p) => p) }],
    }),
  inspectRead: (_engine, d) => {
    const records = partitionsOf(d).flatMap((stored, p) => stored.map((_, offset) => readAt(d, p, offset)!.read));
    const readers = partitionsOf(d).map((stored, p) => ({ part: `${d.stream}-${p}`, read: stored.length, stopped: 'caught-up' as const }));
    return Promise.resolve({ kind: 'kafka', target: d.stream, records, readers, note: null });
  },
  readBack: (_engine, d, { found, base }): Promise<ReadBack> =>
    Promise.resolve({ ...base, kind: 'kafka', ...readBackAt(d, found.entry.partition ?? -1, Number(found.entry.offset), found.data) }),
  testRecordLanded: (_engine, d, { record, location }) => {
    if (!('offset' in location)) throw new Error('a memory stream answers partitions and offsets');
    const { topic, partition, offset } = location;
    return Promise.resolve({
      sent: describeData(record.data!),
      landed: { kind: 'kafka', topic, partition, offset, key: record.partitionKey, headers: {} },
      readBack: readBackAt(d, partition, Number(offset), record.data),
    });
  },
  capture: () => 'A memory stream is read in place: there is nothing to capture',
};

// --- Registered here only, and unregistered at the end.
const unregister: (() => void)[] = [];
const registerMemoryStream = () =>
  unregister.push(
    registerDestinationSchemas({ kind: 'memory-stream', definition: MemoryStreamSchema, draft: MemoryStreamSchema }),
    registerSharedKind(memoryShared),
    registerEngineKind(memoryKind),
  );

let t: Awaited<ReturnType<typeof openTestEngine>>;
let people: ReturnType<typeof createPeopleDb>['db'];

/** A channel through the real dispatcher (input and output checked against the contract). The input is data, as the UI or a config file sends it: the types do not know this kind. */
async function call<C extends Channel>(channel: C, input: unknown): Promise<ChannelOutput<C>> {
  const r = await t.engine.dispatcher.dispatch(channel, input, trusted);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { wire: r.error });
  return r.value as ChannelOutput<C>;
}
async function refusal(channel: Channel, input: unknown): Promise<WireError> {
  const r = await t.engine.dispatcher.dispatch(channel, input, trusted);
  if (r.ok) throw new Error(`expected ${channel} to be refused`);
  return r.error;
}

const destination = { kind: 'memory-stream', name: 'memory', stream: 'people' };
const stored = () => partitionsOf(MemoryStreamSchema.parse(destination)).flatMap((p, partition) => p.map((s, offset) => ({ partition, offset, ...s })));
const payloadOf = (s: { data: Buffer }) => JSON.parse(s.data.toString()) as { id: number; name: string };

beforeAll(async () => {
  registerMemoryStream();
  t = await openTestEngine();
  const db = createPeopleDb(t.dir, 10);
  people = db.db;
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: db.file });
  t.engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
});
afterAll(async () => {
  people?.close();
  await t?.close();
  for (const u of unregister.splice(0)) u();
});

// The cases run in order, on one engine: each goes on from where the one before left the workspace.
describe('a destination kind registered only in this test (memory-stream)', () => {
  it('is accepted as configuration: saved, listed, its connection test and its (absent) IAM policy are its own', async () => {
    const { destination: saved } = await call('saveDestination', { destination, mode: 'create' });
    expect(saved).toEqual({ ...destination, partitions: 3 });
    expect(await call('listDestinations', {})).toContainEqual(saved);

    const tested = await call('testDestinationDraft', { draft: { ...destination, partitions: 2 } });
    expect(tested).toMatchObject({
      destination: 'memory',
      ok: true,
      steps: [{ step: 'Listing', status: 'ok', detail: 'memory stream "people" with 2 partitions' }],
    });
    expect(await call('testDestination', { destination: 'memory' })).toMatchObject({
      ok: true,
      steps: [{ detail: 'memory stream "people" with 3 partitions' }],
    });
    expect(await call('destinationPolicy', { destination: 'memory', probe: true })).toEqual({ advice: null, probed: null });
    // Creating its stream from the wizard: the kind's own sentence.
    expect((await refusal('streamStatus', { draft: destination, name: 'people' })).message).toBe(
      'A memory stream is made by its first record: there is nothing to create',
    );

    // A kind registers once, and never under a built-in kind's name.
    expect(() => registerEngineKind(memoryKind)).toThrow('The engine side of the destination kind "memory-stream" is registered already');
    expect(() => registerSharedKind<DestinationBase>({ ...memoryShared, kind: 'kafka', noun: 'topic' })).toThrow(
      '"kafka" is a built-in destination kind: its shared side cannot be registered again',
    );

    // Its own schema's refusals, at their fields.
    const bad = await refusal('saveDestination', { destination: { ...destination, name: 'bad', stream: '', partitions: 9 }, mode: 'create' });
    expect(bad.issues).toEqual([
      { path: 'destination.stream', message: 'Name the memory stream' },
      { path: 'destination.partitions', message: 'A memory stream has at most 8 partitions' },
    ]);
  });

  it('previews where records land and what they weigh, as the kind routes them', async () => {
    await call('createSync', {
      name: 'people-to-memory',
      settings: { model: 'people', destination: 'memory', triggers: ['added', 'changed', 'removed'], initialSync: 'backfill' },
      payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' },
    });
    // Kafka's settings are refused for it, by its own syncSettings.
    const kafkaOnly = await refusal('updateSyncSettings', {
      name: 'people-to-memory',
      settings: { model: 'people', destination: 'memory', triggers: ['added'], initialSync: 'backfill', kafkaTombstones: true },
    });
    expect(kafkaOnly.issues).toEqual([{ path: 'settings.kafkaTombstones', message: 'Tombstones are for Kafka destinations; "memory" is memory-stream' }]);

    const routing = await call('previewRouting', { sync: 'people-to-memory', rows: { mode: 'first', count: 3 } });
    expect(routing).toMatchObject({
      destinationKind: 'memory-stream',
      noun: 'partition',
      topology: [{ id: 'people', detail: '3 partitions in memory' }],
      problem: null,
    });
    expect(routing.items.map((i) => [i.key, i.target])).toEqual(['1', '2', '3'].map((key) => [key, String(partitionOf(key, 3))]));
    expect(routing.sample.buckets.reduce((n, b) => n + b.records, 0)).toBe(10);

    const preview = await call('previewPayload', { model: 'people', destination: 'memory', payload: { mode: 'template', template: '{"id": {{ row.id }}}' } });
    expect(preview.destinationKind).toBe('memory-stream');
    expect(preview.items[0]).toMatchObject({ data: '{"id":1}', partitionKey: '1', limit: MAX_RECORD_BYTES });
  });

  it('a dry run places every row on the partition the real run then puts it in; the run delivers each row once, with ledger entries', async () => {
    const dry = await t.engine.runSync('people-to-memory', { dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, counts: { rendered: 10, acknowledged: 0 } });
    expect(dry.dryRunPlan).toMatchObject({ per: 'partition', roundRobin: 0, note: null, rejected: { total: 0 } });
    expect(stored()).toEqual([]);

    const run = await t.engine.runSync('people-to-memory');
    expect(run).toMatchObject({ status: 'succeeded', error: null, counts: { added: 10, acknowledged: 10, failed: 0 } });
    // Batched within its publisher's limits.
    expect(batches.reduce((n, b) => n + b, 0)).toBe(10);
    expect(Math.max(...batches)).toBeLessThanOrEqual(4);
    expect(
      stored()
        .map(payloadOf)
        .sort((a, b) => a.id - b.id),
    ).toEqual(Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `person ${i + 1}` })));
    const perPartition = (p: string) => stored().filter((s) => String(s.partition) === p).length;
    expect(dry.dryRunPlan!.targets.map((x) => x.id)).toEqual(['0', '1', '2']);
    for (const target of dry.dryRunPlan!.targets) expect(target.records).toBe(perPartition(target.id));

    const { entries, total } = await call('searchLedger', { sync: 'people-to-memory', runId: run.id });
    expect(total).toBe(10);
    for (const e of entries) {
      const at = stored().find((s) => s.key === e.key)!;
      expect(e).toMatchObject({ status: 'acknowledged', event: 'added', topic: 'people', partition: at.partition, offset: String(at.offset) });
    }
    // The inspector opens a ledger entry where the kind says it is.
    const back = await call('inspectLedgerRecord', { ledgerId: entries[0]!.id });
    expect(back).toMatchObject({ destination: 'memory', kind: 'kafka', match: true, read: { topic: 'people', key: entries[0]!.key } });
    expect(await call('inspectTargets', { destination: 'memory' })).toEqual<InspectTargets>({
      kind: 'kafka',
      destination: 'memory',
      defaultTopic: 'people',
      topics: [{ topic: 'people', partitions: [0, 1, 2] }],
    });
  });

  it('a second run after a changed row sends only that row', async () => {
    people.prepare("UPDATE people SET name = 'changed' WHERE id = 4").run();
    const before = stored().length;
    const run = await t.engine.runSync('people-to-memory');
    expect(run).toMatchObject({ status: 'succeeded', counts: { changed: 1, unchanged: 9, acknowledged: 1 } });
    expect(stored().length).toBe(before + 1);
    expect(
      stored()
        .filter((s) => payloadOf(s).name === 'changed')
        .map(payloadOf),
    ).toEqual([{ id: 4, name: 'changed' }]);
    const { entries } = await call('searchLedger', { sync: 'people-to-memory', runId: run.id });
    expect(entries.map((e) => [e.key, e.event, e.status])).toEqual([['4', 'changed', 'acknowledged']]);

    // A test record goes through its publisher too, and lands where the kind says.
    const test = await call('sendTestRecord', { sync: 'people-to-memory', payload: { mode: 'template', template: '{"test": {{ row.id }}}' }, key: '5' });
    expect(test).toMatchObject({ landed: { kind: 'kafka', topic: 'people', partition: partitionOf('5', 3) }, readBack: { match: true } });
  });

  it('once unregistered, the kind is refused with a clear error, where it is named', async () => {
    for (const u of unregister.splice(0)) u();
    const refused = await refusal('saveDestination', { destination: { ...destination, name: 'memory-2' }, mode: 'create' });
    expect(refused.issues).toEqual([
      { path: 'destination.kind', message: "Unknown destination kind \"memory-stream\": expected 'kafka' | 'kinesis' | 'firehose' | 'sandbox-kinesis'" },
    ]);
    expect(() => engineKind('memory-stream' as DestinationKind)).toThrow(
      /The destination kind "memory-stream" has no engine side: it is neither built in nor registered/,
    );
    // The saved one no longer reads: a run of its sync says why.
    const run = await t.engine.runSync('people-to-memory');
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      `The saved destination "memory" cannot be read: kind: Unknown destination kind "memory-stream": expected 'kafka' | 'kinesis' | 'firehose' | 'sandbox-kinesis'`,
    );
  });
});
