import type { Destination } from '../../shared/config/destination';
import type { Row } from '../../shared/config/source';
import { TestRecordRequestSchema, type TestRecord, type TestRecordRequest } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import { publisherFor } from '../destinations/publisher-factory';
import type { EngineServices } from '../engine/services';
import { readKafkaAt, readKinesisAt } from '../inspector/read-back';
import { describeData } from '../inspector/record-data';
import type { OutRecord, Publisher, RecordResult } from '../publishers/publisher';
import type { CallSink } from '../recorder/types';
import { formatBytes } from './run/context';
import { UnmatchedEvent } from './firehose-routing';
import { PayloadRenderer, RenderError, type RenderContext } from './payload-renderer';
import { rowKey } from './row-identity';
import { recordFor, recordTargetFor } from './run/record-maker';
import { pickRows } from './row-picker';

/**
 * "Send this row as a test record" (issue #14): the previewed row becomes the very record a run would
 * send (the same renderers: payload bytes, partition / explicit hash key, Kafka topic, key, partition
 * and headers, Firehose route), goes to the sync's destination through its normal publisher, and is
 * read back where it landed. Nothing is written to the sync's snapshot or to a run's ledger; the calls
 * show in the Debugger under the context `test-record`.
 */
export async function sendTestRecord(engine: EngineServices, input: TestRecordRequest): Promise<TestRecord> {
  const request = TestRecordRequestSchema.parse(input);
  const sync = engine.catalog.getSync(request.sync);
  const model = engine.catalog.getModel(sync.definition.model);
  const destination = engine.catalog.getDestination(sync.definition.destination);

  const [picked] = await pickRows(engine, model.name, { mode: 'key', key: request.key }, model.primaryKey);
  if (!picked)
    throw new SluiceError('not-found', `The model "${model.name}" has no row with the key ${request.key}`, [{ path: 'key', message: 'No row has this key' }]);
  const key = rowKey(picked.row, model.primaryKey) ?? request.key;
  let previous: Row | null = null;
  if (request.event !== 'added') {
    const delivered = engine.db.prepare('SELECT row FROM snapshot WHERE sync_id = ? AND key = ?').get(sync.id, key) as { row: string } | undefined;
    previous = delivered ? (JSON.parse(delivered.row) as Row) : picked.row;
  }
  const ctx: RenderContext = {
    key,
    event: request.event,
    row: request.event === 'removed' && previous ? previous : picked.row,
    previous,
    run: { id: 0, sync: sync.definition.name, startedAt: new Date().toISOString() },
  };

  const record = render(request, destination, ctx);
  const calls = engine.recorder.scope({ runId: null, context: 'test-record', destination: destination.name });
  const publisher = await publisherFor(destination, engine.secretResolver, engine.sandbox, calls);
  let result: RecordResult;
  try {
    const bytes = publisher.recordBytes(record);
    if (bytes > publisher.limits.maxRecordBytes) {
      throw new SluiceError(
        'invalid-input',
        `This row's record (data${destination.kind === 'kafka' ? ' + key' : ' + partition key'}) is ${formatBytes(bytes)}; ${destination.name} takes at most ${formatBytes(publisher.limits.maxRecordBytes)}. A run would reject it too: make the payload smaller.`,
      );
    }
    result = await sendOne(publisher, record, destination);
  } finally {
    await publisher.close().catch(() => undefined);
  }
  if (!result.ok) throw new SluiceError('invalid-input', `${destination.name} refused the test record: ${result.code}: ${result.message}`);
  engine.log.info('sync.test-record', { sync: sync.definition.name, destination: destination.name, key });
  return landed(engine, destination, record, result.location, key, calls);
}

/** The record as RecordMaker makes it in a run. */
function render(request: ReturnType<typeof TestRecordRequestSchema.parse>, destination: Destination, ctx: RenderContext): OutRecord {
  // A template that does not parse is a TemplateError (a SluiceError naming the template, line and column).
  const renderer = new PayloadRenderer(request.payload, request.partitionKey, request.explicitHashKey);
  const target = recordTargetFor(destination, request);
  try {
    return recordFor({ seq: 0, key: ctx.key, event: ctx.event }, ctx, renderer, target);
  } catch (err) {
    if (err instanceof UnmatchedEvent)
      throw new SluiceError('invalid-input', `This row (key ${ctx.key}) goes to no delivery stream, so a run would skip it (not send it): ${err.message}`);
    if (!(err instanceof RenderError)) throw err;
    throw new SluiceError('invalid-input', `This row (key ${ctx.key}) does not render, so a run would reject it too: ${err.message}`);
  }
}

async function sendOne(publisher: Publisher, record: OutRecord, destination: Destination): Promise<RecordResult> {
  try {
    const [result] = await publisher.send([record]);
    if (!result) throw new Error('the publisher gave no answer');
    return result;
  } catch (err) {
    if (err instanceof SluiceError) throw err;
    const e = err as Error & { code?: string };
    throw new SluiceError('invalid-input', `Could not send the test record to ${destination.name}: ${e.code ? `${e.code}: ` : ''}${e.message}`);
  }
}

/** Reads the record back; a refusal that kafkajs or the SDK calls retriable (a coordinator still loading) is tried again. */
async function readBackOf<T>(read: () => Promise<T>): Promise<T | { failed: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const e = err as Error & { retriable?: boolean; $retryable?: unknown };
      if (attempt < 4 && (e.retriable === true || e.$retryable !== undefined)) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      return { failed: e.message };
    }
  }
}

const notRead = (failed: string) => ({ match: null, detail: `Sent, but it could not be read back: ${failed}`, read: null });

async function landed(
  engine: EngineServices,
  d: Destination,
  record: OutRecord,
  location: Extract<RecordResult, { ok: true }>['location'],
  key: string,
  calls: CallSink,
): Promise<TestRecord> {
  const sentBytes = d.kind === 'firehose' && d.appendNewline && record.data ? Buffer.concat([record.data, Buffer.from('\n')]) : record.data;
  const sent = sentBytes === null ? null : describeData(sentBytes);
  const base = { destination: d.name, key, sent };
  if (record.kind === 'kinesis' && (d.kind === 'kinesis' || d.kind === 'sandbox-kinesis') && 'shardId' in location) {
    const back = await readBackOf(() => readKinesisAt(engine, d, location, record.data, record.partitionKey, calls));
    return {
      ...base,
      landed: {
        kind: 'kinesis',
        stream: d.stream,
        shardId: location.shardId,
        sequenceNumber: location.sequenceNumber,
        partitionKey: record.partitionKey,
        explicitHashKey: record.explicitHashKey ?? null,
      },
      readBack: 'failed' in back ? notRead(back.failed) : { match: back.match, detail: back.detail, read: back.read },
    };
  }
  if (record.kind === 'kafka' && d.kind === 'kafka' && 'topic' in location) {
    const back = await readBackOf(() => readKafkaAt(engine, d, location, record.data, calls));
    return {
      ...base,
      landed: {
        kind: 'kafka',
        topic: location.topic,
        partition: location.partition,
        offset: location.offset,
        key: record.kafka.key,
        headers: record.kafka.headers,
      },
      readBack: 'failed' in back ? notRead(back.failed) : { match: back.match, detail: back.detail, read: back.read },
    };
  }
  if (record.kind === 'firehose' && d.kind === 'firehose' && 'recordId' in location) {
    const stream = location.deliveryStream ?? record.deliveryStream ?? d.deliveryStream;
    return {
      ...base,
      landed: { kind: 'firehose', deliveryStream: stream, recordId: location.recordId },
      readBack: {
        match: null,
        detail: 'Kinesis Data Firehose has no read API: the record was accepted (it reaches S3 after the buffering interval); shown is what was sent',
        read: null,
      },
    };
  }
  throw new SluiceError('internal', `The publisher answered a location that does not fit a ${d.kind} destination`);
}
