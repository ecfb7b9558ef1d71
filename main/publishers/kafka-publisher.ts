import { Kafka, logLevel, Partitioners, CompressionTypes, type Admin, type KafkaConfig, type Message, type PartitionMetadata, type Producer, type SASLOptions } from 'kafkajs';
import type { Destination } from '../../shared/config/destination';
import { kafkaPartitionFor } from '../../shared/routing/murmur2';
import type { SourceSecretResolver } from '../secrets/types';
import { KafkaCallRecorder } from '../recorder/kafka-instrumentation';
import type { CallSink } from '../recorder/types';
import { PublishError, type OutRecord, type Publisher, type RecordResult } from './publisher';

type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;

/**
 * Broker defaults: message.max.bytes is about 1 MB; a produce request stays well under it. Kafka has
 * no per-request record count: small records go up to 10,000 to a request (the bytes cap still
 * holds), which amortises the round trip of the one-request-at-a-time idempotent producer. That only
 * pays because of patches/kafkajs+2.2.4.patch: kafkajs grouped a request's messages per partition in
 * quadratic time and built an encoder object per record; patched, it writes each record batch
 * straight into one buffer (the same bytes; a test holds it to the original's output).
 */
export const KAFKA_LIMITS = { maxBatchRecords: 10_000, maxBatchBytes: 900 * 1024, maxRecordBytes: 1024 * 1024 - 512 };

/** kafkajs client settings for a destination, secrets resolved now. */
export async function kafkaConfig(destination: KafkaDestination, secrets: SourceSecretResolver): Promise<KafkaConfig> {
  const { auth, tls } = destination;
  let sasl: SASLOptions | undefined;
  if (auth.mechanism === 'plain' || auth.mechanism === 'scram-sha-256' || auth.mechanism === 'scram-sha-512') {
    sasl = { mechanism: auth.mechanism, username: auth.username, password: await secrets.resolve(auth.password) } as SASLOptions;
  } else if (auth.mechanism === 'aws') {
    sasl = {
      mechanism: 'aws',
      authorizationIdentity: auth.authorizationIdentity,
      accessKeyId: auth.accessKeyId,
      secretAccessKey: await secrets.resolve(auth.secretAccessKey),
      ...(auth.sessionToken ? { sessionToken: await secrets.resolve(auth.sessionToken) } : {}),
    };
  }
  const ssl = tls.enabled
    ? {
        ...(tls.caPem ? { ca: [tls.caPem] } : {}),
        ...(tls.clientCertPem ? { cert: tls.clientCertPem } : {}),
        ...(tls.clientKey ? { key: await secrets.resolve(tls.clientKey) } : {}),
      }
    : undefined;
  return {
    clientId: destination.clientId,
    brokers: destination.brokers,
    ...(ssl ? { ssl: Object.keys(ssl).length ? ssl : true } : {}),
    ...(sasl ? { sasl } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 2 },
  };
}

/** One topic's records of a batch, with the partition each goes to. */
interface TopicSend {
  topic: string;
  messages: (Message & { partition: number })[];
  /** Where each message's record is in the batch. */
  positions: number[];
}

/** A batch ready to send: its requests per topic, and the answers of records that cannot go. */
interface PreparedBatch {
  /** Each record's answer, by its position in the batch. */
  results: RecordResult[];
  sends: TopicSend[];
}

interface KafkaJsError extends Error {
  type?: string;
  retriable?: boolean;
}

/**
 * An idempotent kafkajs producer, acks from all in-sync replicas. Records are grouped per topic; each
 * topic's records go in one request, so a topic that does not exist fails only its own records, with
 * an error naming it. Partitions are chosen here with kafkajs' default (Java-compatible, murmur2)
 * partitioner, which is what lets every record's offset be known from the broker's base offset.
 */
export class KafkaPublisher implements Publisher {
  readonly limits = KAFKA_LIMITS;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;
  private readonly partitions = new Map<string, PartitionMetadata[] | null>();
  private readonly roundRobin = new Map<string, number>();
  private readonly calls: KafkaCallRecorder | undefined;

  constructor(
    config: KafkaConfig,
    private readonly compression: 'none' | 'gzip',
    recorder?: CallSink,
  ) {
    const kafka = new Kafka(config);
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner }); // every message carries its partition (chosen in prepare); kafkajs keeps it
    this.admin = kafka.admin();
    if (recorder) {
      this.calls = new KafkaCallRecorder(recorder, Array.isArray(config.brokers) ? config.brokers : []);
      this.calls.watchProducer(this.producer);
      this.calls.watchAdmin(this.admin);
    }
  }

  recordBytes(record: OutRecord): number {
    const k = record.kafka;
    const headers = k ? Object.entries(k.headers).reduce((n, [a, b]) => n + a.length + b.length, 0) : 0;
    return (record.data?.length ?? 0) + Buffer.byteLength(k?.key ?? '') + headers;
  }

  private connect(): Promise<void> {
    const startedMs = Date.now();
    const t0 = performance.now();
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(
      () => undefined,
      (err: unknown) => {
        this.connected = undefined;
        this.calls?.connectFailed(startedMs, t0, err);
        throw toPublishError(err);
      },
    );
    return this.connected;
  }

  /** The topic's partitions, or null when the topic does not exist. */
  private async topicPartitions(topic: string): Promise<PartitionMetadata[] | null> {
    if (this.partitions.has(topic)) return this.partitions.get(topic)!;
    let found: PartitionMetadata[] | null = null;
    try {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
      found = topics[0]?.partitions ?? null;
    } catch (err) {
      const e = err as KafkaJsError;
      if (e.type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw toPublishError(err);
    }
    this.partitions.set(topic, found);
    return found;
  }

  /** How many partitions the topic has (for routing previews), or null when it does not exist. */
  async partitionCount(topic: string): Promise<number | null> {
    await this.connect();
    return (await this.topicPartitions(topic))?.length ?? null;
  }

  /** The idempotent producer takes one request at a time; batches queue here. */
  private queue: Promise<unknown> = Promise.resolve();

  send(batch: OutRecord[]): Promise<RecordResult[]> {
    // A batch is partitioned as soon as it comes, while earlier batches may still be on the wire;
    // the requests themselves go one at a time, in the order the batches came.
    const prepared = this.prepare(batch);
    prepared.catch(() => undefined); // its error surfaces through `next`, in turn
    const next = this.queue.then(() => prepared).then((p) => this.deliver(batch, p));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Groups a batch per topic and picks each record's partition; records that cannot go are answered here. */
  private async prepare(batch: OutRecord[]): Promise<PreparedBatch> {
    await this.connect();
    const results = new Array<RecordResult>(batch.length);
    const byTopic = new Map<string, number[]>();
    batch.forEach((r, i) => {
      const topic = r.kafka!.topic;
      const list = byTopic.get(topic);
      if (list) list.push(i);
      else byTopic.set(topic, [i]);
    });
    const sends: TopicSend[] = [];
    for (const [topic, indexes] of byTopic) {
      const partitions = await this.topicPartitions(topic);
      if (!partitions) {
        for (const i of indexes) {
          results[i] = { seq: batch[i]!.seq, ok: false, code: 'UNKNOWN_TOPIC_OR_PARTITION', message: `The topic "${topic}" does not exist on the cluster (Sluice never creates topics)`, retryable: false };
        }
        continue;
      }
      const messages: (Message & { partition: number })[] = [];
      const positions: number[] = [];
      for (const i of indexes) {
        const r = batch[i]!;
        const k = r.kafka!;
        const key = k.key;
        let partition = k.partition;
        if (partition !== null && !partitions.some((p) => p.partitionId === partition)) {
          results[i] = { seq: r.seq, ok: false, code: 'INVALID_PARTITION', message: `Partition ${partition} does not exist in "${topic}" (it has ${partitions.length})`, retryable: false };
          continue;
        }
        if (partition === null) {
          if (key !== null) partition = kafkaPartitionFor(key, partitions.length); // as Java's and kafkajs' default partitioner
          else {
            const next = this.roundRobin.get(topic) ?? 0;
            this.roundRobin.set(topic, next + 1);
            partition = partitions[next % partitions.length]!.partitionId;
          }
        }
        messages.push({ key, value: r.data, partition, headers: k.headers });
        positions.push(i);
      }
      if (messages.length > 0) sends.push({ topic, messages, positions });
    }
    return { results, sends };
  }

  /** Sends each topic's records in one request and answers every record with its offset or error. */
  private async deliver(batch: OutRecord[], { results, sends }: PreparedBatch): Promise<RecordResult[]> {
    for (const { topic, messages, positions } of sends) await this.produce(batch, results, topic, messages, positions);
    return results;
  }

  /**
   * One Produce request for a topic's records. When the broker refuses it as too large
   * (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE: a topic's max.message.bytes below a record's size),
   * the records go again, in order, split (`splitTooLarge`) until the record at fault is alone: only
   * it is refused, and the rest of its request is delivered.
   */
  private async produce(batch: OutRecord[], results: RecordResult[], topic: string, messages: (Message & { partition: number })[], positions: number[]): Promise<void> {
    const recorded = this.calls?.beginProduce(topic, -1, this.compression, messages);
    try {
      const metadata = await this.producer.send({
        topic,
        acks: -1,
        compression: this.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        messages,
      });
      if (recorded) this.calls!.endProduce(recorded, metadata);
      // kafkajs sends each partition's messages in the order given: offset = base offset + position.
      const next = new Map<number, bigint>();
      for (const m of metadata) {
        const base = m.baseOffset ?? m.offset;
        if (base !== undefined) next.set(m.partition, BigInt(base));
      }
      for (let m = 0; m < positions.length; m++) {
        const i = positions[m]!;
        const seq = batch[i]!.seq;
        const partition = messages[m]!.partition;
        const offset = next.get(partition);
        if (offset === undefined) {
          results[i] = { seq, ok: false, code: 'MissingResult', message: 'The broker returned no offset for this partition', retryable: true };
          continue;
        }
        next.set(partition, offset + 1n);
        results[i] = { seq, ok: true, location: { topic, partition, offset: offset.toString() } };
      }
    } catch (err) {
      if (recorded) this.calls!.endProduce(recorded, undefined, err);
      const e = toPublishError(err);
      if (TOO_LARGE.has(e.code) && messages.length > 1) {
        for (const part of splitTooLarge(messages, positions)) await this.produce(batch, results, topic, part.messages, part.positions);
        return;
      }
      if (e.code === 'UNKNOWN_TOPIC_OR_PARTITION') this.partitions.delete(topic);
      const message = TOO_LARGE.has(e.code)
        ? `${topic}: the broker refuses this record as too large (${recordSize(messages[0]!)} bytes; the topic's max.message.bytes or the broker's message.max.bytes is smaller)`
        : `${topic}: ${e.message}`;
      for (const i of positions) results[i] = { seq: batch[i]!.seq, ok: false, code: e.code, message, retryable: e.retryable, ...(e.unreachable ? { unreachable: true } : {}) };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

/**
 * How a request refused as too large is sent again. A request to several partitions is split per
 * partition first, each with exactly the messages it had: a partition the broker did append answers
 * the repeat as the idempotent producer's duplicate (same sequence numbers, its first offsets), so
 * nothing is written twice. One partition's messages are split in halves: a record batch is appended
 * whole or not at all.
 */
export function splitTooLarge<M extends { partition: number }>(messages: M[], positions: number[]): { messages: M[]; positions: number[] }[] {
  const byPartition = new Map<number, { messages: M[]; positions: number[] }>();
  messages.forEach((m, i) => {
    let part = byPartition.get(m.partition);
    if (!part) byPartition.set(m.partition, (part = { messages: [], positions: [] }));
    part.messages.push(m);
    part.positions.push(positions[i]!);
  });
  if (byPartition.size > 1) return [...byPartition.values()];
  const half = Math.ceil(messages.length / 2);
  return [
    { messages: messages.slice(0, half), positions: positions.slice(0, half) },
    { messages: messages.slice(half), positions: positions.slice(half) },
  ];
}

/** Broker answers that mean one record (or the request) is over the size the topic or broker takes. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

function recordSize(m: Message): number {
  const size = (v: Message['value'] | Message['key']) => (v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  return size(m.value) + size(m.key);
}

/** kafkajs errors whose meaning is "the broker could not be reached or went away", whatever their `retriable` says. */
const UNREACHABLE_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSLockTimeout',
]);
/** Socket errors of a broker that is down, restarting or behind a dropped connection. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Broker answers that pass once leadership or the cluster settles (kafkajs marks most, not all, as retriable). */
const TRANSIENT_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_CONTROLLER',
  'KAFKA_STORAGE_ERROR',
  'BROKER_NOT_AVAILABLE',
  'CONCURRENT_TRANSACTIONS',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/**
 * A kafkajs error as Sluice's PublishError. kafkajs wraps a refused or dropped connection in errors
 * marked non-retriable once its own few retries are spent (KafkaJSNumberOfRetriesExceeded,
 * KafkaJSNonRetriableError); the whole cause chain is looked at, so a broker that is down or
 * restarting is retried (and marked `unreachable`), while an authentication or authorisation failure
 * is not.
 */
export function toPublishError(err: unknown): PublishError {
  const chain: (KafkaJsError & { code?: string; originalError?: unknown })[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 8; ) {
    const k = e as KafkaJsError & { code?: string; cause?: unknown; originalError?: unknown };
    if (chain.includes(k)) break;
    chain.push(k);
    e = k.cause ?? k.originalError;
  }
  const top = chain[0] ?? (new Error(String(err)) as KafkaJsError);
  const inner = chain.find((e) => e.type) ?? chain[chain.length - 1] ?? top;
  const unreachable = chain.some((e) => UNREACHABLE_ERRORS.has(e.name) || (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)));
  const authFailure = chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || /AUTHORIZATION_FAILED|SASL_AUTHENTICATION_FAILED/.test(e.type ?? ''));
  const transient = chain.some((e) => e.type !== undefined && TRANSIENT_TYPES.has(e.type));
  const code = inner.type ?? (unreachable ? (chain.find((e) => UNREACHABLE_ERRORS.has(e.name))?.name ?? 'KafkaJSConnectionError') : (top.type ?? top.name ?? 'KafkaJSError'));
  const message = inner.message || top.message || String(err);
  const retryable = !authFailure && (unreachable || transient || (top.retriable ?? inner.retriable ?? false));
  // A broker that is back but not ready yet (no leader, still loading) is, for the run, still out of
  // reach: it gets the same time budget as a refused connection, not the few quick attempts of a record.
  return new PublishError(code, message, retryable, !authFailure && (unreachable || transient));
}
