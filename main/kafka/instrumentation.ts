import type { Admin, Consumer, Message, Producer, RecordMetadata, RequestTimeoutEvent } from 'kafkajs';
import type { KafkaSecurity } from '../../shared/debugger/copy-command';
import { claimAnswer, installKafkaAnswerHooks, PROTOCOL_STEP_CODES, type KafkaAnswer } from './answers';
import { failureOf, partitionResults, produceError, sendErrorResponse, type HeldProduce, type RequestPayload, type SendError } from './produce-call';
import { safeHeaders, summarise, summariseBytes, PREVIEW_ITEMS } from '../recorder/summarise';
import type { CallSink, RecordedCall } from '../recorder/types';

function answerResponse(p: RequestPayload, answer: KafkaAnswer | undefined): unknown {
  if (!answer) return { size: p.size };
  return {
    size: p.size,
    ...(answer.errors.length ? { errors: answer.errors, errorCount: answer.errorCount } : {}),
    ...(answer.errors.some((e) => PROTOCOL_STEP_CODES.has(e.code)) ? { note: 'MEMBER_ID_REQUIRED is a step of joining a group (KIP-394), not a failure' } : {}),
    ...(answer.clientError ? { clientError: answer.clientError } : {}),
  };
}

function requestCall(p: RequestPayload, answer: KafkaAnswer | undefined, security: KafkaSecurity | undefined): RecordedCall {
  const failure = failureOf(answer);
  return {
    service: 'kafka',
    operation: p.apiName,
    target: p.broker,
    status: failure ? 'error' : 'ok',
    startedMs: p.sentAt,
    durationMs: p.duration,
    responseBytes: p.size,
    ...(failure ? { errorCode: failure.code, errorMessage: failure.message } : {}),
    request: { apiName: p.apiName, apiKey: p.apiKey, apiVersion: p.apiVersion, correlationId: p.correlationId, clientId: p.clientId },
    response: answerResponse(p, answer),
    transport: {
      kind: 'kafka',
      apiVersion: p.apiVersion,
      broker: p.broker,
      pendingMs: p.pendingDuration,
      createdAt: p.createdAt,
      sentAt: p.sentAt,
      ...(security ? { security } : {}),
    },
  };
}

function timeoutCall(p: RequestTimeoutEvent['payload']) {
  return {
    service: 'kafka',
    operation: p.apiName,
    target: p.broker,
    status: 'timeout',
    startedMs: p.sentAt,
    durationMs: Date.now() - p.sentAt,
    errorCode: 'REQUEST_TIMED_OUT',
    errorMessage: `${p.apiName} to ${p.broker} got no answer in time`,
    request: { apiName: p.apiName, apiKey: p.apiKey, apiVersion: p.apiVersion, correlationId: p.correlationId, clientId: p.clientId },
    response: null,
    transport: { kind: 'kafka', apiVersion: p.apiVersion, broker: p.broker, pendingMs: p.pendingDuration },
  };
}

/** A key's or value's bytes (a function of its own, not one made per message: a request holds thousands). */
function byteSize(v: Message['value'] | Message['key']): number {
  return v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

function messageBytes(m: Message): number {
  return byteSize(m.value) + byteSize(m.key);
}

/** A key or header value as short text: UTF-8 when it decodes cleanly, else `base64:…`; long values truncated. */
function previewText(v: Buffer | string): string {
  const s = summariseBytes(typeof v === 'string' ? Buffer.from(v) : v);
  return s.encoding === 'utf8' ? s.preview : `base64:${s.preview}`;
}

/** Headers as text, credential headers and secret-named headers blanked. */
function previewHeaders(headers: Message['headers']): unknown {
  const text: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) text[k] = v === undefined ? undefined : Array.isArray(v) ? v.map(previewText).join(', ') : previewText(v);
  return summarise(safeHeaders(text));
}

function messagePreview(m: Message) {
  return {
    key: m.key === null || m.key === undefined ? null : previewText(m.key),
    partition: m.partition ?? null,
    headers: previewHeaders(m.headers),
    value: m.value === null || m.value === undefined ? null : summariseBytes(typeof m.value === 'string' ? Buffer.from(m.value) : m.value),
  };
}

interface ProduceAttempt {
  topic: string;
  acks: number;
  compression: string;
  messages: Message[];
  startedMs: number;
  t0: number;
}

/**
 * Records what a kafkajs client says on the wire, from its instrumentation events: every request's API
 * name and version, broker, response size and duration, and what the broker answered (its error codes,
 * through `answers.ts`); request timeouts. A producer's Produce requests are held until its
 * `send` answers, then recorded with the per-partition offsets.
 */
export class KafkaCallRecorder {
  private heldProduce: HeldProduce[] = [];
  /** The client's connection security settings, as its connections report them (no secrets). */
  private security: KafkaSecurity | undefined;

  private readonly sink: CallSink;

  constructor(
    sink: CallSink,
    private readonly brokers: string[],
  ) {
    installKafkaAnswerHooks();
    // These handlers run inside kafkajs's request path: a throwing sink must not break the request.
    this.sink = {
      record: (call) => {
        try {
          sink.record(call);
        } catch {
          /* the recorder logs its own failures */
        }
      },
    };
  }

  private noteAnswer(answer: KafkaAnswer | undefined): void {
    if (answer) this.security = answer.security;
  }

  /** A request's response arrived: recorded once the broker's answer is decoded (at once when there is nothing to wait for). */
  private onRequest(p: RequestPayload): void {
    const claimed = claimAnswer(p, (answer) => {
      this.noteAnswer(answer);
      this.sink.record(requestCall(p, answer, this.security));
    });
    if (!claimed) this.sink.record(requestCall(p, undefined, this.security));
  }

  private onProduceRequest(p: RequestPayload): void {
    const held: HeldProduce = { payload: p };
    this.heldProduce.push(held);
    claimAnswer(p, (answer) => {
      this.noteAnswer(answer);
      if (answer) held.answer = answer;
    });
  }

  watchProducer(producer: Producer): void {
    producer.on(producer.events.REQUEST, (e) => (e.payload.apiName === 'Produce' ? this.onProduceRequest(e.payload) : this.onRequest(e.payload)));
    producer.on(producer.events.REQUEST_TIMEOUT, (e) => this.sink.record(timeoutCall(e.payload)));
  }

  watchAdmin(admin: Admin): void {
    admin.on(admin.events.REQUEST, (e) => this.onRequest(e.payload));
    admin.on(admin.events.REQUEST_TIMEOUT, (e) => this.sink.record(timeoutCall(e.payload)));
  }

  /** A consumer's requests (the inspector's reads): group coordination, ListOffsets, every Fetch. */
  watchConsumer(consumer: Consumer): void {
    consumer.on(consumer.events.REQUEST, (e) => this.onRequest(e.payload));
    consumer.on(consumer.events.REQUEST_TIMEOUT, (e) => this.sink.record(timeoutCall(e.payload)));
  }

  /** A connection that could not be made (no request got as far as an event). */
  connectFailed(startedMs: number, t0: number, err: unknown): void {
    const e = err as Error & { type?: string };
    this.sink.record({
      service: 'kafka',
      operation: 'Connect',
      target: this.brokers.join(', '),
      status: 'error',
      startedMs,
      durationMs: performance.now() - t0,
      errorCode: e.type ?? e.name ?? 'KafkaJSError',
      errorMessage: e.message,
      request: { brokers: this.brokers },
      response: null,
      ...(this.security ? { transport: { kind: 'kafka', security: this.security } } : {}),
    });
  }

  beginProduce(topic: string, acks: number, compression: string, messages: Message[]): ProduceAttempt {
    this.heldProduce = [];
    return { topic, acks, compression, messages, startedMs: Date.now(), t0: performance.now() };
  }

  /** Records one `producer.send` (one Produce request per broker it touched) with its results or error. Never throws. */
  endProduce(attempt: ProduceAttempt, metadata: RecordMetadata[] | undefined, err?: unknown): void {
    try {
      this.recordProduce(attempt, metadata, err);
    } catch {
      // Recording must not turn a send the broker accepted into a failure (and a resend).
      this.heldProduce = [];
    }
  }

  private recordProduce(attempt: ProduceAttempt, metadata: RecordMetadata[] | undefined, err?: unknown): void {
    const held = this.heldProduce;
    this.heldProduce = [];
    const events = held.map((h) => h.payload);
    const { topic, messages } = attempt;
    const e = err as SendError | undefined;
    const partitions = partitionResults(messages, metadata);
    const failedPartitions = partitions?.filter((p) => p.errorCode !== 0) ?? [];
    const failed = e ? messages.length : failedPartitions.reduce((n, p) => n + p.records, 0);
    const { errorCode, errorMessage } = produceError(held, e, failed, messages.length);
    this.sink.record({
      service: 'kafka',
      operation: 'Produce',
      target: events.length ? [...new Set(events.map((p) => p.broker))].join(', ') : this.brokers.join(', '),
      status: e ? 'error' : failed ? 'partial' : 'ok',
      startedMs: attempt.startedMs,
      durationMs: performance.now() - attempt.t0,
      attempt: Math.max(1, events.length),
      requestBytes: messages.reduce((n, m) => n + messageBytes(m), 0),
      responseBytes: events.length ? events.reduce((n, p) => n + p.size, 0) : null,
      recordCount: messages.length,
      failedRecords: failed,
      errorCode,
      errorMessage,
      request: {
        topic,
        acks: attempt.acks,
        compression: attempt.compression,
        messages: { count: messages.length, first: messages.slice(0, PREVIEW_ITEMS).map(messagePreview) },
      },
      response: metadata ?? sendErrorResponse(e),
      results: { records: messages.length, acknowledged: messages.length - failed, failed, partitions: partitions ?? [] },
      transport: {
        kind: 'kafka',
        apiVersion: events[0]?.apiVersion ?? null,
        requests: held.map(({ payload: p, answer }) => ({
          broker: p.broker,
          correlationId: p.correlationId,
          size: p.size,
          durationMs: p.duration,
          pendingMs: p.pendingDuration,
          ...(answer?.errors.length ? { errors: answer.errors } : {}),
        })),
        ...(this.security ? { security: this.security } : {}),
      },
    });
  }
}
