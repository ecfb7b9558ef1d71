import { Kafka, CompressionTypes, type Admin, type ICustomPartitioner, type KafkaConfig, type Message, type PartitionMetadata, type Producer } from 'kafkajs';
import { choosePartition } from './choose-partition';
import { KafkaCallRecorder } from './instrumentation';
import { KafkaPartitionCounts } from './partition-counts';
import type { CallSink } from '../recorder/types';
import { answerOffsets, failAll, groupByTopic, recordSize, splitTooLarge, TOO_LARGE, unknownTopic } from './produce-results';
import { toPublishError } from './publish-errors';
import { CancelRequests, cancelledError, cancelledSendError } from './cancel-requests';
import { PublishError, type KafkaOutRecord, type Publisher, type RecordResult } from '../publishers/publisher';

/**
 * Broker defaults: message.max.bytes is about 1 MB; a produce request stays well under it. Kafka has
 * no per-request record count: small records go up to 10,000 to a request (the bytes cap still
 * holds), which amortises the round trip of the one-request-at-a-time idempotent producer. That only
 * pays because of patches/kafkajs+2.2.4.patch: kafkajs grouped a request's messages per partition in
 * quadratic time and built an encoder object per record; patched, it writes each record batch
 * straight into one buffer (the same bytes; a test holds it to the original's output).
 */
export const KAFKA_LIMITS = { maxBatchRecords: 10_000, maxBatchBytes: 900 * 1024, maxRecordBytes: 1024 * 1024 - 512 };

/** Each message's partition, as `prepare` chose it (kafkajs' default partitioner answered the same, after a filter of the partitions per message). */
const CHOSEN_PARTITION: ICustomPartitioner = () => (args) => args.message.partition!;
/** How long closing waits for the requests still queued or on the wire (a cancelled run's fail at once). */
const CLOSE_WAIT_MS = 5000;

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
  private producerStale = false; // the last request failed: the producer's sequence numbers may be behind the broker's (see above)
  private readonly retired = new Set<Promise<void>>(); // producers retired after a failed request, disconnecting
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;
  private readonly partitions = new Map<string, PartitionMetadata[] | null>();
  private readonly roundRobin = new Map<string, number>();
  private readonly calls: KafkaCallRecorder | undefined;
  /** A run's cancel gives up the requests on the wire (kafkajs waits for them up to 30 s). */
  private readonly cancelRequests = new CancelRequests();
  private placing: KafkaPartitionCounts | undefined; // a dry run's partition counts: an admin of their own, waiting 10 s for an answer, not 30

  constructor(
    private readonly config: KafkaConfig,
    private readonly compression: 'none' | 'gzip',
    recorder?: CallSink,
  ) {
    this.kafka = new Kafka({ ...config, socketFactory: this.cancelRequests.socketFactory });
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
      createPartitioner: CHOSEN_PARTITION,
    });
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
    // (asked for a few times per record: no array of the headers' entries each time)
    let headers = 0;
    for (const name in k.headers) headers += Buffer.byteLength(name) + Buffer.byteLength(k.headers[name]!);
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
      const e = err as Error & { type?: string };
      if (e.type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw toPublishError(err);
    }
    this.partitions.set(topic, found);
    return found;
  }

  /** How many partitions the topic has (a dry run places records with them), or null when it does not exist; kafkajs' error as it is. */
  async partitionCount(topic: string): Promise<number | null> {
    this.placing ??= new KafkaPartitionCounts(this.config, this.calls);
    return (await this.placing.count(topic)) || null;
  }

  /** The idempotent producer takes one request at a time; batches queue here. */
  private queue: Promise<unknown> = Promise.resolve();
  /** `signal` aborted: the requests on the wire are given up, their records failed (`CancelRequests`), and nothing more goes. */
  send(batch: KafkaOutRecord[], signal?: AbortSignal): Promise<RecordResult[]> {
    const prepared = this.prepare(batch); // now, while earlier batches may be on the wire; requests go one at a time, in order
    prepared.catch(() => undefined); // its error surfaces through `next`, in turn
    const turn = this.queue; // the requests before this one
    const next = turn.then(() => prepared).then((p) => this.deliver(batch, p));
    this.queue = next.catch(() => undefined);
    return this.cancelRequests.untilCancelled(next, signal, turn);
  }

  /** Groups a batch per topic and picks each record's partition; records that cannot go are answered here. */
  private async prepare(batch: KafkaOutRecord[]): Promise<PreparedBatch> {
    await this.connect();
    const results = new Array<RecordResult>(batch.length);
    const sends: TopicSend[] = [];
    for (const [topic, indexes] of groupByTopic(batch)) {
      const partitions = await this.topicPartitions(topic);
      if (!partitions) {
        unknownTopic(batch, results, indexes, topic);
        continue;
      }
      const messages: (Message & { partition: number })[] = [];
      const positions: number[] = [];
      const ids = partitions.map((p) => p.partitionId);
      const nextRoundRobin = () => this.roundRobin.set(topic, (this.roundRobin.get(topic) ?? 0) + 1).get(topic)! - 1; // the topic's count before this one
      for (const i of indexes) {
        const r = batch[i]!;
        const k = r.kafka;
        const key = k.key;
        const placed = choosePartition(k, ids, nextRoundRobin);
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
    if (this.cancelRequests.cancelled) throw cancelledError(false);
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
      failAll(batch, results, positions, e, `${topic}: ${e.message}`);
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
      answerOffsets(batch, results, topic, messages, positions, metadata);
    } catch (err) {
      if (recorded) this.calls!.endProduce(recorded, undefined, this.cancelRequests.cancelled ? cancelledSendError(this.cancelRequests.why) : err);
      const e = toPublishError(err);
      // The broker may have written part of the request while kafkajs took its sequence numbers back:
      // the next request goes from a new producer. A request refused as too large is the exception: it
      // goes again at once with exactly the same messages per partition, numbered as before, so a
      // partition the broker did write answers it as the idempotent producer's duplicate.
      if (!TOO_LARGE.has(e.code)) this.producerStale = true;
      if (TOO_LARGE.has(e.code) && messages.length > 1) return this.produceSplit(batch, results, topic, messages, positions);
      if (e.code === 'UNKNOWN_TOPIC_OR_PARTITION') this.partitions.delete(topic);
      const message = TOO_LARGE.has(e.code)
        ? `${topic}: the broker refuses this record as too large (${recordSize(messages[0]!)} bytes; the topic's max.message.bytes or the broker's message.max.bytes is smaller)`
        : `${topic}: ${e.message}`;
      failAll(batch, results, positions, e, message);
    }
  }

  /**
   * A request refused as too large, sent again split (`splitTooLarge`). A partition whose first half
   * failed for another reason (the broker went away) does not send its second half: those records wait
   * behind the first half's, in order.
   */
  private async produceSplit(
    batch: KafkaOutRecord[],
    results: RecordResult[],
    topic: string,
    messages: (Message & { partition: number })[],
    positions: number[],
  ): Promise<void> {
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
  }

  async close(): Promise<void> {
    // A request a cancel gave up fails at once (its socket is gone): its Debugger entry is made before the run ends.
    await Promise.race([this.queue, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), ...this.retired, this.placing?.close()]);
  }
}

export { PRODUCER_STATE_TYPES, toPublishError } from './publish-errors';
