// A Produce request's answers per record: offsets, one error for all, and how a request too large is split.
import type { Message, RecordMetadata } from 'kafkajs';
import type { KafkaOutRecord, PublishError, RecordResult } from '../publishers/publisher';

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
export const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

export function recordSize(m: Message): number {
  const size = (v: Message['value'] | Message['key']) => (v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  return size(m.value) + size(m.key);
}

/** Every record of a request fails with the same error. */
export function failAll(batch: KafkaOutRecord[], results: RecordResult[], positions: number[], e: PublishError, message: string): void {
  for (const i of positions)
    results[i] = { seq: batch[i]!.seq, ok: false, code: e.code, message, retryable: e.retryable, ...(e.unreachable ? { unreachable: true } : {}) };
}

/** Each record's offset: kafkajs sends each partition's messages in the order given, so offset = base offset + position. */
export function answerOffsets(
  batch: KafkaOutRecord[],
  results: RecordResult[],
  topic: string,
  messages: (Message & { partition: number })[],
  positions: number[],
  metadata: RecordMetadata[],
): void {
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
}

/** The positions of a batch's records, per topic, in the batch's order. */
export function groupByTopic(batch: KafkaOutRecord[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>();
  batch.forEach((r, i) => {
    const list = byTopic.get(r.kafka.topic);
    if (list) list.push(i);
    else byTopic.set(r.kafka.topic, [i]);
  });
  return byTopic;
}

/** The records of a topic the cluster lacks: refused, naming it (not retried: Sluice never creates topics). */
export function unknownTopic(batch: KafkaOutRecord[], results: RecordResult[], positions: number[], topic: string): void {
  for (const i of positions)
    results[i] = {
      seq: batch[i]!.seq,
      ok: false,
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      message: `The topic "${topic}" does not exist on the cluster (Sluice never creates topics)`,
      retryable: false,
    };
}
