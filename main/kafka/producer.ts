import { Kafka, Partitioners, CompressionTypes, type Admin, type KafkaConfig, type Message, type PartitionMetadata, type Producer } from 'kafkajs';
import { kafkaPartitionFor } from '../../shared/routing/murmur2';
import { KafkaCallRecorder } from './instrumentation';
import type { CallSink } from '../recorder/types';
import { kafkaTlsFailure } from './tls-errors';
import { PublishError, type KafkaProperties, type KafkaOutRecord, type Publisher, type RecordResult } from '../publishers/publisher';

/**
 * Broker defaults: message.max.bytes is about 1 MB; a produce request stays well under it. Kafka has
 * no per-request record count: small records go up to 10,000 to a request (the bytes cap still
 * holds), which amortises the round trip of the one-request-at-a-time idempotent producer. That only
 * pays because of patches/kafkajs+2.2.4.patch: kafkajs grouped a request's messages per partition in
 * quadratic time and built an encoder object per record; patched, it writes each record batch
 * straight into one buffer (the same bytes; a test holds it to the original's output).
 */
export const KAFKA_LIMITS = { maxBatchRecords: 10_000, maxBatchBytes: 900 * 1024, maxRecordBytes: 1024 * 1024 - 512 };

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
 * The partition a record goes to in a topic with these partitions, as a run sends it (and a dry run
 * counts it): its explicit partition (INVALID_PARTITION when the topic lacks it), else murmur2 of its
 * key modulo the partition count (Java's and kafkajs' default partitioner), else — no key — the next
 * partition round-robin (`nextRoundRobin` answers the topic's counter: 0, 1, 2, …).
 */
export function choosePartition(
  k: Pick<KafkaProperties, 'topic' | 'key' | 'partition'>,
  partitionIds: readonly number[],
  nextRoundRobin: () => number,
): { partition: number } | { code: 'INVALID_PARTITION'; message: string } {
  if (k.partition !== null) {
    if (partitionIds.includes(k.partition)) return { partition: k.partition };
    return { code: 'INVALID_PARTITION', message: `Partition ${k.partition} does not exist in "${k.topic}" (it has ${partitionIds.length})` };
  }
  if (k.key !== null) return { partition: kafkaPartitionFor(k.key, partitionIds.length) };
  return { partition: partitionIds[nextRoundRobin() % partitionIds.length]! };
}

/**
 * An idempotent kafkajs producer, acks from all in-sync replicas. Records are grouped per topic; each
 * topic's records go in one request, so a topic that does not exist fails only its own records, with
 * an error naming it. Partitions are chosen here with kafkajs' default (Java-compatible, murmur2)
 * partitioner, which is what lets every record's offset be known from the broker's base offset.
 *
 * **A new producer after a failed request.** kafkajs numbers each partition's record batches for the
 * idempotent producer, and when a request fails it moves every partition's number back — also when
 * the broker did append some of it: a partition that was written while another answered an error
 * (kafkajs throws the first partition error and drops the rest of the answer), or a request the broker
 * wrote just before it was killed, its answer lost. Sluice sends its retries in new batches, so the
 * next request to such a partition carries numbers the broker has already used with other records:
 * it answers OUT_OF_ORDER_SEQUENCE_NUMBER (for every later request too: a whole run failed that way
 * after a broker restart), or — worse — takes a batch of the same count as the duplicate of the one it
 * wrote and answers that batch's offsets for records it never stored. So after any failed request
 * (except one refused as too large, which is sent again at once with exactly the same messages per
 * partition), the next request goes from a new producer (a new producer id, numbers from 0). Records
 * the broker had written without Sluice learning it are then written again: **the topic holds them
 * twice**, and the ledger has the offset of the copy that was acknowledged. Only records of a request
 * whose answer was an error can be doubled this way; a clean run writes each record once.
 */
export class KafkaPublisher implements Publisher<KafkaOutRecord> {
  readonly limits = KAFKA_LIMITS;
  private readonly kafka: Kafka;
  private producer: Producer;
  /** The last request failed: the producer's sequence numbers may be behind the broker's (see above). */
  private producerStale = false;
  /** Producers retired after a failed request, disconnecting. */
  private readonly retired = new Set<Promise<void>>();
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
    this.kafka = new Kafka(config);
    if (recorder) this.calls = new KafkaCallRecorder(recorder, Array.isArray(config.brokers) ? config.brokers : []);
    this.producer = this.newProducer();
    this.admin = this.kafka.admin();
    this.calls?.watchAdmin(this.admin);
  }

  private newProducer(): Producer {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    }); // every message carries its partition (chosen in prepare); kafkajs keeps it
    this.calls?.watchProducer(producer);
    return producer;
  }

  /**
   * The producer for the next request: a new one (a new producer id) when the last request failed.
   * Requests go one at a time (`send`), so no request of the old producer is on the wire.
   */
  private async currentProducer(): Promise<Producer> {
    if (this.producerStale) {
      this.producerStale = false;
      const old = this.producer;
      this.producer = this.newProducer();
      this.connected = undefined;
      const retiring = old.disconnect().catch(() => undefined);
      this.retired.add(retiring);
      void retiring.finally(() => this.retired.delete(retiring));
    }
    await this.connect();
    return this.producer;
  }

  recordBytes(record: KafkaOutRecord): number {
    const k = record.kafka;
    const headers = Object.entries(k.headers).reduce((n, [a, b]) => n + a.length + b.length, 0);
    return (record.data?.length ?? 0) + Buffer.byteLength(k.key ?? '') + headers;
  }

  /**
   * Connects the producer (which asks the broker for a producer id) and the admin client, once. The
   * attempt is forgotten only when both have settled: kafkajs counts a producer as connected before
   * its producer id has come, and a second connect started meanwhile asks for another one, which
   * replaces the producer's state under a request on the wire (kafkajs then fails it with "Cannot read
   * properties of undefined (reading 'release')": its broker locks were reset mid-request).
   */
  private connect(): Promise<void> {
    const startedMs = Date.now();
    const t0 = performance.now();
    const connecting: Promise<void> = (this.connected ??= Promise.allSettled([this.producer.connect(), this.admin.connect()]).then((settled) => {
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (!failed) return;
      if (this.connected === connecting) this.connected = undefined;
      this.calls?.connectFailed(startedMs, t0, failed.reason);
      throw toPublishError(failed.reason);
    }));
    return connecting;
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

  send(batch: KafkaOutRecord[]): Promise<RecordResult[]> {
    // A batch is partitioned as soon as it comes, while earlier batches may still be on the wire;
    // the requests themselves go one at a time, in the order the batches came.
    const prepared = this.prepare(batch);
    prepared.catch(() => undefined); // its error surfaces through `next`, in turn
    const next = this.queue.then(() => prepared).then((p) => this.deliver(batch, p));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Groups a batch per topic and picks each record's partition; records that cannot go are answered here. */
  private async prepare(batch: KafkaOutRecord[]): Promise<PreparedBatch> {
    await this.connect();
    const results = new Array<RecordResult>(batch.length);
    const byTopic = new Map<string, number[]>();
    batch.forEach((r, i) => {
      const topic = r.kafka.topic;
      const list = byTopic.get(topic);
      if (list) list.push(i);
      else byTopic.set(topic, [i]);
    });
    const sends: TopicSend[] = [];
    for (const [topic, indexes] of byTopic) {
      const partitions = await this.topicPartitions(topic);
      if (!partitions) {
        for (const i of indexes) {
          results[i] = {
            seq: batch[i]!.seq,
            ok: false,
            code: 'UNKNOWN_TOPIC_OR_PARTITION',
            message: `The topic "${topic}" does not exist on the cluster (Sluice never creates topics)`,
            retryable: false,
          };
        }
        continue;
      }
      const messages: (Message & { partition: number })[] = [];
      const positions: number[] = [];
      for (const i of indexes) {
        const r = batch[i]!;
        const k = r.kafka;
        const key = k.key;
        const placed = choosePartition(
          k,
          partitions.map((p) => p.partitionId),
          () => {
            const next = this.roundRobin.get(topic) ?? 0;
            this.roundRobin.set(topic, next + 1);
            return next;
          },
        );
        if ('code' in placed) {
          results[i] = { seq: r.seq, ok: false, code: placed.code, message: placed.message, retryable: false };
          continue;
        }
        const { partition } = placed;
        messages.push({ key, value: r.data, partition, headers: k.headers });
        positions.push(i);
      }
      if (messages.length > 0) sends.push({ topic, messages, positions });
    }
    return { results, sends };
  }

  /** Sends each topic's records in one request and answers every record with its offset or error. */
  private async deliver(batch: KafkaOutRecord[], { results, sends }: PreparedBatch): Promise<RecordResult[]> {
    for (const { topic, messages, positions } of sends) await this.produce(batch, results, topic, messages, positions);
    return results;
  }

  /**
   * One Produce request for a topic's records. When the broker refuses it as too large
   * (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE: a topic's max.message.bytes below a record's size),
   * the records go again, in order, split (`splitTooLarge`) until the record at fault is alone: only
   * it is refused, and the rest of its request is delivered.
   */
  private async produce(
    batch: KafkaOutRecord[],
    results: RecordResult[],
    topic: string,
    messages: (Message & { partition: number })[],
    positions: number[],
  ): Promise<void> {
    let producer: Producer;
    try {
      producer = await this.currentProducer();
    } catch (err) {
      const e = err instanceof PublishError ? err : toPublishError(err);
      for (const i of positions)
        results[i] = {
          seq: batch[i]!.seq,
          ok: false,
          code: e.code,
          message: `${topic}: ${e.message}`,
          retryable: e.retryable,
          ...(e.unreachable ? { unreachable: true } : {}),
        };
      return;
    }
    const recorded = this.calls?.beginProduce(topic, -1, this.compression, messages);
    try {
      const metadata = await producer.send({
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
      // The broker may have written part of the request while kafkajs took its sequence numbers back:
      // the next request goes from a new producer. A request refused as too large is the exception: it
      // goes again at once with exactly the same messages per partition, numbered as before, so a
      // partition the broker did write answers it as the idempotent producer's duplicate.
      if (!TOO_LARGE.has(e.code)) this.producerStale = true;
      if (TOO_LARGE.has(e.code) && messages.length > 1) {
        // A partition whose first half failed for another reason (the broker went away) does not send
        // its second half: those records wait behind the first half's, in order.
        const stopped = new Map<number, RecordResult>();
        for (const part of splitTooLarge(messages, positions)) {
          const failure = stopped.get(part.messages[0]!.partition);
          if (failure) {
            for (const i of part.positions) results[i] = { ...failure, seq: batch[i]!.seq };
            continue;
          }
          await this.produce(batch, results, topic, part.messages, part.positions);
          part.positions.forEach((i, m) => {
            const r = results[i];
            if (r && !r.ok && r.retryable) stopped.set(part.messages[m]!.partition, r);
          });
        }
        return;
      }
      if (e.code === 'UNKNOWN_TOPIC_OR_PARTITION') this.partitions.delete(topic);
      const message = TOO_LARGE.has(e.code)
        ? `${topic}: the broker refuses this record as too large (${recordSize(messages[0]!)} bytes; the topic's max.message.bytes or the broker's message.max.bytes is smaller)`
        : `${topic}: ${e.message}`;
      for (const i of positions)
        results[i] = { seq: batch[i]!.seq, ok: false, code: e.code, message, retryable: e.retryable, ...(e.unreachable ? { unreachable: true } : {}) };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), ...this.retired]);
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
 * Broker answers that the idempotent producer's own state (producer id, epoch, sequence numbers) no
 * longer matches the broker's: after a request the broker wrote but kafkajs counted as failed, or a
 * broker that lost or expired its producer state. kafkajs marks them non-retriable and never recovers
 * from them on its own; the publisher answers them with a new producer, and the records are retried.
 */
export const PRODUCER_STATE_TYPES = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);

/**
 * A kafkajs error as Sluice's PublishError. kafkajs wraps a refused or dropped connection in errors
 * marked non-retriable once its own few retries are spent (KafkaJSNumberOfRetriesExceeded,
 * KafkaJSNonRetriableError); the whole cause chain is looked at, so a broker that is down or
 * restarting is retried (and marked `unreachable`), while an authentication or authorisation failure
 * is not. A broker that is back but not ready (TRANSIENT_TYPES), or that no longer agrees with the
 * producer's sequence numbers (PRODUCER_STATE_TYPES: the next request goes from a new producer), is
 * part of the same outage: its records get the same time budget, never only a record's few attempts.
 */
export function toPublishError(err: unknown): PublishError {
  // A certificate problem is not an outage: it fails the same way on every attempt (kafkajs wraps it
  // in a connection error, which would otherwise be retried as a broker out of reach).
  const tls = kafkaTlsFailure(err);
  if (tls) return new PublishError(tls.code, `${tls.message}. ${tls.hint}`, false, false);
  const chain: (KafkaJsError & { code?: string; originalError?: unknown })[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 8;) {
    const k = e as KafkaJsError & { code?: string; cause?: unknown; originalError?: unknown };
    if (chain.includes(k)) break;
    chain.push(k);
    e = k.cause ?? k.originalError;
  }
  const top = chain[0] ?? (new Error(String(err)) as KafkaJsError);
  const inner = chain.find((e) => e.type) ?? chain[chain.length - 1] ?? top;
  const unreachable = chain.some((e) => UNREACHABLE_ERRORS.has(e.name) || (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)));
  const authFailure = chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || /AUTHORIZATION_FAILED|SASL_AUTHENTICATION_FAILED/.test(e.type ?? ''));
  const transient = chain.some((e) => e.type !== undefined && (TRANSIENT_TYPES.has(e.type) || PRODUCER_STATE_TYPES.has(e.type)));
  const code =
    inner.type ??
    (unreachable ? (chain.find((e) => UNREACHABLE_ERRORS.has(e.name))?.name ?? 'KafkaJSConnectionError') : (top.type ?? top.name ?? 'KafkaJSError'));
  const message = inner.message || top.message || String(err);
  const retryable = !authFailure && (unreachable || transient || (top.retriable ?? inner.retriable ?? false));
  // A broker that is back but not ready yet (no leader, still loading) is, for the run, still out of
  // reach: it gets the same time budget as a refused connection, not the few quick attempts of a record.
  return new PublishError(code, message, retryable, !authFailure && (unreachable || transient));
}
