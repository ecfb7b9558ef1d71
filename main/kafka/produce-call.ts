// The parts of the Debugger's Produce record: each partition's offsets, the error in the broker's words.
import type { Message, RecordMetadata, RequestEvent } from 'kafkajs';
import { PROTOCOL_STEP_CODES, type KafkaAnswer } from './answers';

export type RequestPayload = RequestEvent['payload'];

/** A Produce request seen on the wire, and the broker's answer to it once decoded. */
export interface HeldProduce {
  payload: RequestPayload;
  answer?: KafkaAnswer;
}

/** The errors of an answer that are failures (not a step of the protocol), and what to call them. */
export function failureOf(answer: KafkaAnswer | undefined): { code: string; message: string } | null {
  if (!answer) return null;
  const failures = answer.errors.filter((e) => !PROTOCOL_STEP_CODES.has(e.code));
  const first = failures[0];
  if (first) {
    const where =
      first.topic !== undefined
        ? ` (topic ${first.topic}${first.partition !== undefined ? `, partition ${first.partition}` : ''})`
        : first.group !== undefined
          ? ` (group ${first.group})`
          : '';
    const more = answer.errorCount > 1 ? ` (and ${answer.errorCount - 1} more error${answer.errorCount > 2 ? 's' : ''} in the answer)` : '';
    return { code: first.type, message: `${first.message}${where}${more}` };
  }
  if (answer.clientError) return { code: answer.clientError.type ?? answer.clientError.name, message: answer.clientError.message };
  return null;
}

export type SendError = Error & { type?: string; cause?: Error & { type?: string } };

/** Each partition the send wrote to: its error code, and the offsets of its records. */
export function partitionResults(messages: Message[], metadata: RecordMetadata[] | undefined) {
  const perPartition = new Map<number, number>();
  for (const m of messages) perPartition.set(m.partition ?? -1, (perPartition.get(m.partition ?? -1) ?? 0) + 1);
  return metadata?.map((m) => {
    const count = perPartition.get(m.partition) ?? 0;
    const base = m.baseOffset ?? m.offset;
    return {
      partition: m.partition,
      errorCode: m.errorCode,
      baseOffset: base ?? null,
      lastOffset: base !== undefined && count > 0 ? (BigInt(base) + BigInt(count - 1)).toString() : null,
      records: count,
    };
  });
}

/** The send's error in the Debugger's words: the broker's own answer (e.g. MESSAGE_TOO_LARGE for a partition) names it better than the send's wrapper. */
export function produceError(
  held: HeldProduce[],
  e: SendError | undefined,
  failed: number,
  total: number,
): { errorCode: string | null; errorMessage: string | null } {
  if (!e) return failed ? { errorCode: 'PartialFailure', errorMessage: `${failed} of ${total} records failed` } : { errorCode: null, errorMessage: null };
  const answered = [...held]
    .reverse()
    .map((h) => failureOf(h.answer))
    .find((f) => f !== null);
  return { errorCode: answered?.code ?? e.cause?.type ?? e.type ?? e.name, errorMessage: answered?.message ?? e.cause?.message ?? e.message };
}

export function sendErrorResponse(e: SendError | undefined) {
  return { error: e?.name ?? 'Error', type: e?.cause?.type ?? e?.type ?? null, message: e?.cause?.message ?? e?.message ?? '' };
}
