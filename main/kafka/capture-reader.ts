// Capture from Kafka: every partition of a topic, by a consumer of Sluice's own that never commits offsets.
import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaConfig } from 'kafkajs';
import type { CaptureFrom, CaptureMode } from '../../shared/config/capture';
import { SluiceError } from '../../shared/ipc/errors';
import { textOf } from '../inspector/record-data';
import type { KafkaCallRecorder } from './instrumentation';
import type { CaptureProgress } from '../capture/capture-progress';
import type { CapturedRow, CaptureSink, Checkpoint } from '../capture/capture-sink';
import { capturedData, pause } from '../capture/captured-data';
import { CancelRequests } from './cancel-requests';

export interface KafkaCaptureOptions {
  topic: string;
  from: CaptureFrom;
  mode: CaptureMode;
  signal: AbortSignal;
  sink: CaptureSink;
  progress: CaptureProgress;
  /** Records the admin requests (metadata, offsets) for the Debugger; fetches are not recorded. */
  calls?: KafkaCallRecorder;
}

const partName = (topic: string, p: number) => `${topic}-${p}`;

/**
 * Captures every partition of a topic into the sink: where each partition's checkpoint says (its last
 * offset + 1), else, on the first run, at the beginning or the end (`from`). kafkajs has no manual
 * assignment, so this is a consumer in a fresh, random group that seeks each partition; it never commits
 * (autoCommit off) and its empty group is deleted after. Each batch is written with its checkpoint in one
 * step. `until-caught-up` stops once every partition reaches the end it had when the capture started.
 */
export async function captureKafka(config: KafkaConfig, o: KafkaCaptureOptions): Promise<void> {
  // A stop gives the requests on the wire STOP_GRACE_MS, then gives them up (`CancelRequests`): against a
  // broker that hangs, kafkajs waited for each (joining, leaving the group) and the stop took 15 s, then
  // said the capture failed. What a stop makes fail is no failure: every written batch is checkpointed.
  const cancel = new CancelRequests();
  const onAbort = () => setTimeout(() => cancel.cancel(), STOP_GRACE_MS).unref();
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await captureWith({ ...config, socketFactory: cancel.socketFactory }, o);
  } catch (err) {
    if (!o.signal.aborted) throw err;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
  }
}

/** How long a stopped capture's requests on the wire get to answer (leaving the group, deleting it). */
const STOP_GRACE_MS = 2000;

async function captureWith(config: KafkaConfig, o: KafkaCaptureOptions): Promise<void> {
  const source = `kafka:${o.topic}`;
  const saved = o.sink.checkpoints(source);
  const firstRun = saved.size === 0;
  const admin = new Kafka(config).admin();
  o.calls?.watchAdmin(admin);
  await admin.connect();
  const groupId = `sluice-capture-${randomUUID()}`;
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [o.topic] }).catch((err: Error & { type?: string }) => {
      if (err.type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new SluiceError('not-found', `The topic "${o.topic}" does not exist on the cluster`);
      throw err;
    });
    const partitions = (topics[0]?.partitions ?? []).map((p) => p.partitionId).sort((a, b) => a - b);
    const offsets = await admin.fetchTopicOffsets(o.topic);
    const reads = new Map<number, { next: bigint; end: bigint }>();
    for (const p of partitions) {
      const at = offsets.find((x) => x.partition === p)!;
      const low = BigInt(at.low);
      const high = BigInt(at.high);
      const c = saved.get(String(p));
      let next: bigint;
      if (c?.last) next = BigInt(c.last) + 1n;
      else if (firstRun && o.from === 'latest') {
        next = high;
        const checkpoint: Checkpoint = { last: (high - 1n).toString(), since: null, finished: false };
        o.sink.write(source, String(p), [], checkpoint);
      } else next = low;
      // Records removed by the topic's retention cannot be read any more.
      if (next < low) next = low;
      reads.set(p, { next, end: high });
      o.progress.set(partName(o.topic, p), { state: next >= high ? 'caught-up' : 'reading', position: c?.last ?? null });
    }
    const caughtUp = () => [...reads.values()].every((r) => r.next >= r.end);
    if (o.mode === 'until-caught-up' && caughtUp()) return;
    if (o.signal.aborted) return;

    // A consumer that crashes (a fresh cluster creating its offsets topic, a coordinator moving) starts again
    // from the partitions' checkpoints: every written batch moved them, so nothing is read twice.
    for (let attempt = 1; ; attempt++) {
      try {
        await consume(config, o, groupId, reads, caughtUp);
        return;
      } catch (err) {
        if (o.signal.aborted || attempt >= 5) throw err;
        await pause(500 * attempt, o.signal);
      }
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

type Reads = Map<number, { next: bigint; end: bigint }>;

/** One consumer's life: join, seek each partition to its next offset, write batches until caught up (or stopped). Throws if it crashes. */
async function consume(config: KafkaConfig, o: KafkaCaptureOptions, groupId: string, reads: Reads, caughtUp: () => boolean): Promise<void> {
  const source = `kafka:${o.topic}`;
  const consumer = new Kafka({ ...config, retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 } }).consumer({
    groupId,
    maxWaitTimeInMs: 500,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    allowAutoTopicCreation: false,
    retry: { retries: 6, initialRetryTime: 300, restartOnFailure: () => Promise.resolve(false) },
  });
  let finish!: (err?: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => (finish = (err) => (err === undefined ? resolve() : reject(err))));
  ended.catch(() => undefined);
  consumer.on(consumer.events.CRASH, (event) => finish(event.payload.error));
  const onAbort = () => finish();
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const r = reads.get(batch.partition);
        if (!r || o.signal.aborted) return;
        const now = new Date().toISOString();
        const rows: CapturedRow[] = [];
        for (const m of batch.messages) {
          if (BigInt(m.offset) < r.next) continue;
          rows.push({
            stream: o.topic,
            shard: String(batch.partition),
            sequence: m.offset,
            partitionKey: m.key === null ? null : textOf(m.key),
            ...capturedData(m.value),
            arrivalTimestamp: new Date(Number(m.timestamp)).toISOString(),
            ingestionTimestamp: now,
          });
        }
        const part = partName(o.topic, batch.partition);
        if (rows.length > 0) {
          const last = rows[rows.length - 1]!.sequence;
          o.sink.write(source, String(batch.partition), rows, { last, since: null, finished: false });
          r.next = BigInt(last) + 1n;
          o.progress.add(part, rows.length, last);
        }
        o.progress.set(part, { state: r.next >= BigInt(batch.highWatermark) ? 'caught-up' : 'reading' });
        await heartbeat();
        if (o.mode === 'until-caught-up' && caughtUp()) finish();
      },
    });
    try {
      for (const [partition, r] of reads) consumer.seek({ topic: o.topic, partition, offset: r.next.toString() });
    } catch (err) {
      // The consumer crashed while joining: say why, not that it is not running.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000))]);
      throw err;
    }
    if (o.mode === 'until-caught-up' && caughtUp()) finish();
    await ended;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    await consumer.disconnect();
  }
}
