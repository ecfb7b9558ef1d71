import { withColumns } from '../sources/sparse-rows';
import type { Destination } from '../../shared/config/destination';
import type { Row } from '../../shared/config/source';
import { TestRecordRequestSchema, type TestRecord, type TestRecordRequest } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import { codeAndMessage } from '../../shared/config/ledger-reason';
import { publisherFor } from '../destinations/publisher-factory';
import type { EngineServices } from '../engine/services';
import type { StoredSync } from '../catalog/catalog-store';
import { engineKind } from '../destinations/kinds/registry';
import type { OutRecord, Publisher, RecordResult } from '../publishers/publisher';
import { formatBytes } from './run/context';
import { UnmatchedEvent } from './firehose-routing';
import { PayloadRenderer, RenderError, type RenderContext } from './payload-renderer';
import { keyService } from './partition-key-words';
import { rowKey } from './row-identity';
import { pickModelRows } from './row-picker';
import { TestRecordWait } from './test-record-wait';

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
  const destination = engine.catalog.getDestination(sync.definition.destination);
  // Cancellable from the start (`cancelTestRecord`): a cancel while the row is read sends nothing. Bounded once it
  // is sent: a destination that never answers is said in words, not waited on.
  const wait = TestRecordWait.start(engine, request.attempt);
  let key = request.key;
  try {
    const made = await wait.unlessGivenUp(recordOf(engine, request, sync, wait.signal));
    key = made.key;
    wait.sending();
    return await sendAndReadBack(engine, sync.definition.name, destination, made.record, key, wait.signal);
  } catch (err) {
    const givenUp = wait.givenUp(destination);
    if (!givenUp) throw err;
    engine.log.info('sync.test-record.given-up', { sync: sync.definition.name, destination: destination.name, key, reason: givenUp.code });
    throw givenUp;
  } finally {
    wait.done();
  }
}

/** The previewed row's record, as a run would make it: its row read from the model, as delivered for a change or removal. `signal` stops the read (`scanModel`). */
async function recordOf(
  engine: EngineServices,
  request: ReturnType<typeof TestRecordRequestSchema.parse>,
  sync: StoredSync,
  signal: AbortSignal,
): Promise<{ record: OutRecord; key: string }> {
  const model = engine.catalog.getModel(sync.definition.model);
  const destination = engine.catalog.getDestination(sync.definition.destination);
  const { rows, numberColumns } = await pickModelRows(engine, model.name, { mode: 'key', key: request.key }, model.primaryKey, signal);
  const picked = rows[0];
  if (!picked)
    throw new SluiceError('not-found', `The model "${model.name}" has no row with the key ${request.key}`, [{ path: 'key', message: 'No row has this key' }]);
  const key = rowKey(picked.row, model.primaryKey) ?? request.key;
  let previous: Row | null = null;
  if (request.event !== 'added') {
    const delivered = engine.db.prepare('SELECT row FROM snapshot WHERE sync_id = ? AND key = ?').get(sync.id, key) as { row: string } | undefined;
    previous = delivered ? withColumns(JSON.parse(delivered.row) as Row, Object.keys(picked.row)) : picked.row; // the row as delivered, with the model's columns (as the preview's and a run's)
  }
  const ctx: RenderContext = {
    key,
    event: request.event,
    row: request.event === 'removed' && previous ? previous : picked.row,
    previous,
    run: { id: 0, sync: sync.definition.name, startedAt: new Date().toISOString() },
  };
  return { record: render(request, destination, ctx, numberColumns), key };
}

/** Sends the record through the destination's publisher and reads it back where it landed; `signal` gives both up. */
async function sendAndReadBack(
  engine: EngineServices,
  syncName: string,
  destination: Destination,
  record: OutRecord,
  key: string,
  signal: AbortSignal,
): Promise<TestRecord> {
  const calls = engine.recorder.scope({ runId: null, context: 'test-record', destination: destination.name });
  const publisher = await publisherFor(destination, engine.secretResolver, engine.sandbox, calls);
  let result: RecordResult;
  try {
    const bytes = publisher.recordBytes(record);
    if (bytes > publisher.limits.maxRecordBytes) {
      throw new SluiceError(
        'invalid-input',
        `This row's record (${engineKind(destination.kind).sizedAs}) is ${formatBytes(bytes)}; ${destination.name} takes at most ${formatBytes(publisher.limits.maxRecordBytes)}. A run would reject it too: make the payload smaller.`,
      );
    }
    result = await sendOne(publisher, record, destination, signal);
  } finally {
    await publisher.close().catch(() => undefined);
  }
  if (!result.ok) throw new SluiceError('invalid-input', `${destination.name} refused the test record: ${codeAndMessage(result.code, result.message)}`);
  engine.log.info('sync.test-record', { sync: syncName, destination: destination.name, key });
  return {
    destination: destination.name,
    key,
    ...(await engineKind(destination.kind).testRecordLanded(engine, destination, { record, location: result.location, calls, signal })),
  };
}

/** The record as RecordMaker makes it in a run. */
function render(request: ReturnType<typeof TestRecordRequestSchema.parse>, destination: Destination, ctx: RenderContext, numberColumns: string[]): OutRecord {
  // A template that does not parse is a TemplateError (a SluiceError naming the template, line and column).
  const renderer = new PayloadRenderer(request.payload, request.partitionKey, request.explicitHashKey, numberColumns, keyService(destination.kind));
  const target = engineKind(destination.kind).recordTarget(destination, request);
  try {
    return target.record({ seq: 0, key: ctx.key, event: ctx.event }, ctx, renderer);
  } catch (err) {
    if (err instanceof UnmatchedEvent)
      throw new SluiceError('invalid-input', `This row (key ${ctx.key}) goes to no delivery stream, so a run would skip it (not send it): ${err.message}`);
    if (!(err instanceof RenderError)) throw err;
    throw new SluiceError('invalid-input', `This row (key ${ctx.key}) does not render, so a run would reject it too: ${err.message}`);
  }
}

async function sendOne(publisher: Publisher, record: OutRecord, destination: Destination, signal: AbortSignal): Promise<RecordResult> {
  try {
    const [result] = await publisher.send([record], signal);
    if (!result) throw new Error('the publisher gave no answer');
    return result;
  } catch (err) {
    if (err instanceof SluiceError) throw err;
    const e = err as Error & { code?: string };
    throw new SluiceError('invalid-input', `Could not send the test record to ${destination.name}: ${codeAndMessage(e.code, e.message)}`);
  }
}
