import { randomUUID } from 'node:crypto';
import { Kafka, type Admin, type Batch, type IHeaders, type KafkaConfig, type KafkaMessage } from 'kafkajs';
import type { KafkaRecord, StartPosition } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { topicOrder } from '../../shared/natural-order';
import type { KafkaCallRecorder } from './instrumentation';
import { OldestRecords } from '../inspector/oldest-records';
import { describeData, textOf } from '../inspector/record-data';

export interface PartitionRead {
  partition: number;
  records: KafkaRecord[];
  stopped: 'limit' | 'caught-up' | 'timeout' | 'closed';
}

export interface KafkaReadOptions {
  topic: string;
  /** Partitions to read; all of the topic's when empty or absent. */
  partitions?: number[];
  from: StartPosition;
  /** Most records the whole read takes, across all its partitions. */
  limit: number;
  /** After reaching the end of every partition (from that moment), keep listening this long for new records. */
  waitMs: number;
  timeoutMs?: number;
  /** Records the admin and consumer requests (metadata, offsets, fetches) for the Debugger. */
  calls?: KafkaCallRecorder;
  /** Sees each record's full value (null: a tombstone) as it is read; the record shows at most INSPECT_SHOWN_BYTES. */
  onBytes?: (record: KafkaRecord, value: Uint8Array | null) => void;
}

/** Topics (not internal ones) and their partitions, in natural order (`topicOrder`); `only` restricts to those topics. */
export async function kafkaTopics(config: KafkaConfig, only?: string[], calls?: KafkaCallRecorder): Promise<{ topic: string; partitions: number[] }[]> {
  const admin = new Kafka(config).admin();
  calls?.watchAdmin(admin);
  await admin.connect();
  try {
    const names =
      only ??
      (await admin.listTopics())
        .filter((t) => !t.startsWith('__'))
        .sort(topicOrder)
        .slice(0, 500);
    if (names.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    // The metadata answers in the broker's order: listed as people read names (topic-2 before topic-10, Orders beside orders).
    return topics
      .map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.partitionId).sort((a, b) => a - b) }))
      .sort((a, b) => topicOrder(a.topic, b.topic));
  } finally {
    await admin.disconnect();
  }
}

function headersOf(headers: IHeaders | undefined): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined) continue;
      out.push({ name, value: typeof v === 'string' ? v : textOf(v) });
    }
  }
  return out;
}

export function toKafkaRecord(topic: string, partition: number, m: KafkaMessage): KafkaRecord {
  return {
    kind: 'kafka',
    topic,
    partition,
    offset: m.offset,
    key: m.key === null ? null : textOf(m.key),
    headers: headersOf(m.headers),
    timestamp: new Date(Number(m.timestamp)).toISOString(),
    value: m.value === null ? null : describeData(m.value),
  };
}

/** Each chosen partition's first offset to read and the end (high watermark) when the read starts. */
async function startOffsets(
  admin: Admin,
  topic: string,
  partitions: number[],
  from: StartPosition,
): Promise<Map<number, { start: bigint; low: bigint; high: bigint }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const byTime = from.at === 'timestamp' ? await admin.fetchTopicOffsetsByTimestamp(topic, Date.parse(from.timestamp)) : [];
  const out = new Map<number, { start: bigint; low: bigint; high: bigint }>();
  for (const p of partitions) {
    const o = offsets.find((x) => x.partition === p);
    if (!o) continue;
    const low = BigInt(o.low);
    const high = BigInt(o.high);
    let start: bigint;
    switch (from.at) {
      case 'earliest':
        start = low;
        break;
      case 'latest':
        start = high;
        break;
      case 'timestamp':
        start = BigInt(byTime.find((x) => x.partition === p)?.offset ?? o.high);
        break;
      case 'offset':
        start = BigInt(from.offset);
        if (start < low) start = low;
        if (start > high) start = high;
        break;
      case 'sequence':
        throw new SluiceError('invalid-input', 'A Kafka topic has no sequence numbers: start at the beginning, the end, an offset or a timestamp');
    }
    out.set(p, { start, low, high });
  }
  return out;
}

function byTimestamp(a: KafkaRecord, b: KafkaRecord): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return Number(BigInt(a.offset) - BigInt(b.offset));
}

/**
 * Reads the `limit` oldest records (by timestamp, then partition and offset) from chosen partitions'
 * start offsets, holding no more than `limit` of them (see OldestRecords). kafkajs has no manual
 * assignment, so this is a consumer in a fresh, random group that seeks each partition to its start
 * offset; it never commits offsets (autoCommit off); a partition stops when its next record is newer
 * than the kept ones, or at its end; after every partition's end it listens `waitMs` more (counted from
 * reaching the end); then it disconnects and deletes its empty group.
 */
export async function readKafka(config: KafkaConfig, o: KafkaReadOptions): Promise<{ records: KafkaRecord[]; readers: PartitionRead[] }> {
  const admin = new Kafka(config).admin();
  o.calls?.watchAdmin(admin);
  await admin.connect();
  const groupId = `sluice-inspector-${randomUUID()}`;
  try {
    const { all, chosen } = await choosePartitions(admin, o);
    const offsets = await startOffsets(admin, o.topic, chosen, o.from);
    const read = new PartitionReads(o, chosen, offsets);
    if (!read.finished()) await consume(config, groupId, o, read, all);
    return read.result();
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** The topic's partitions, and those to read (all unless chosen); a topic or partition that does not exist is said so. */
async function choosePartitions(admin: Admin, o: KafkaReadOptions): Promise<{ all: number[]; chosen: number[] }> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [o.topic] }).catch((err: Error & { type?: string }) => {
    if (err.type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new SluiceError('not-found', `The topic "${o.topic}" does not exist on the cluster`);
    throw err;
  });
  const all = (topics[0]?.partitions ?? []).map((p) => p.partitionId).sort((a, b) => a - b);
  const chosen = o.partitions && o.partitions.length > 0 ? o.partitions : all;
  const unknown = chosen.filter((p) => !all.includes(p));
  if (unknown.length)
    throw new SluiceError('invalid-input', `The topic "${o.topic}" has no partition ${unknown.join(', ')} (its partitions: ${all.join(', ')})`);
  return { all, chosen };
}

/** Where each chosen partition's read stands, the oldest records kept, and whether the read is done. */
class PartitionReads {
  /** `full`: a record of the partition was refused by `oldest`, so everything after it is newer than the kept ones. */
  readonly reads = new Map<number, PartitionRead & { next: bigint; end: bigint; full: boolean }>();
  readonly oldest: OldestRecords<KafkaRecord>;
  /** The consumer has joined its group and sought its partitions: only from then on can it see new records. */
  listening = false;
  private caughtUpAt: number | undefined;

  constructor(
    private readonly o: KafkaReadOptions,
    chosen: number[],
    offsets: Map<number, { start: bigint; high: bigint }>,
  ) {
    this.oldest = new OldestRecords<KafkaRecord>(o.limit, byTimestamp);
    for (const p of chosen) {
      const at = offsets.get(p)!;
      this.reads.set(p, { partition: p, records: [], stopped: 'timeout', next: at.start, end: at.high, full: false });
    }
  }

  private atEnd(): boolean {
    return [...this.reads.values()].every((r) => r.full || r.next >= r.end);
  }

  /** Still listening for new records: the wait counts from the moment every partition reached its end. */
  waiting(): boolean {
    return this.o.waitMs > 0 && (this.caughtUpAt === undefined || Date.now() - this.caughtUpAt < this.o.waitMs);
  }

  finished(): boolean {
    if (!this.atEnd()) return false;
    // With the read full, whatever arrives now is newer than every kept record: no use waiting for it.
    if (this.oldest.full) return true;
    if (!this.listening) return this.o.waitMs === 0;
    this.caughtUpAt ??= Date.now();
    return !this.waiting();
  }

  /** One fetched batch of a partition: its records from the partition's next offset, until the kept ones are full. */
  take(batch: Batch): void {
    const r = this.reads.get(batch.partition);
    if (!r) return;
    for (const m of batch.messages) {
      const offset = BigInt(m.offset);
      if (offset < r.next || r.full) continue;
      const record = toKafkaRecord(batch.topic, batch.partition, m);
      if (!this.oldest.offer(record)) {
        r.full = true;
        break;
      }
      this.o.onBytes?.(record, m.value);
      r.next = offset + 1n;
    }
    if (BigInt(batch.highWatermark) > r.end && this.waiting()) r.end = BigInt(batch.highWatermark);
  }

  result(): { records: KafkaRecord[]; readers: PartitionRead[] } {
    const records = this.oldest.records();
    const readers: PartitionRead[] = [...this.reads.values()].map((r) => ({
      partition: r.partition,
      records: records.filter((x) => x.partition === r.partition),
      stopped: r.full ? 'limit' : r.next >= r.end ? 'caught-up' : 'timeout',
    }));
    return { records, readers };
  }
}

/** Consumes the chosen partitions from their start offsets until the read is finished, the consumer crashes, or the time is up. */
async function consume(config: KafkaConfig, groupId: string, o: KafkaReadOptions, read: PartitionReads, all: number[]): Promise<void> {
  // A fresh cluster creates its offsets topic on the first group: retry joining a few times, never restart after a crash.
  const consumer = new Kafka({ ...config, retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 } }).consumer({
    groupId,
    maxWaitTimeInMs: 250,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    allowAutoTopicCreation: false,
    retry: { retries: 6, initialRetryTime: 300, restartOnFailure: () => Promise.resolve(false) },
  });
  let crashed: ((err: Error) => void) | undefined;
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  crash.catch(() => undefined);
  consumer.on(consumer.events.CRASH, (event) => crashed?.(event.payload.error));
  o.calls?.watchConsumer(consumer);
  await consumer.connect();
  try {
    let done!: () => void;
    const allRead = new Promise<void>((resolve) => (done = resolve));
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        read.take(batch);
        if (read.finished()) done();
      },
    });
    try {
      for (const [partition, r] of read.reads) consumer.seek({ topic: o.topic, partition, offset: r.next.toString() });
      // Partitions not chosen are never fetched.
      const others = all.filter((p) => !read.reads.has(p));
      if (others.length) consumer.pause([{ topic: o.topic, partitions: others }]);
      read.listening = true;
    } catch (err) {
      // The consumer crashed while joining: say why, not that it is not running.
      await Promise.race([crash, new Promise((resolve) => setTimeout(resolve, 2000))]);
      throw err;
    }
    const timeoutMs = (o.timeoutMs ?? 20_000) + o.waitMs;
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    await Promise.race([
      allRead,
      crash,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      // Partitions already at their end, and the wait running out, finish without any batch.
      new Promise<void>((resolve) => (poll = setInterval(() => read.finished() && resolve(), 100))),
    ]);
    clearTimeout(timer);
    clearInterval(poll);
  } finally {
    await consumer.disconnect();
  }
}
