// `capture`: a destination's stream or topic written into a local SQLite table or NDJSON file, checkpointed.
import path from 'node:path';
import type { CaptureFrom, CaptureMode } from '../../shared/config/capture';
import { SluiceError } from '../../shared/ipc/errors';
import { inspectorCalls, kafkaConfigFor, kinesisClientFor, type InspectorEngine } from '../inspector/inspector';
import type { CallSink } from '../recorder/types';
import { CaptureProgress } from './capture-progress';
import { openCaptureSink, type CaptureSink } from './capture-sink';
import { captureKafka } from '../kafka/capture-reader';
import { captureKinesis } from './kinesis-capture';

export interface CaptureRequest {
  destination: string;
  file: string;
  from: CaptureFrom;
  mode: CaptureMode;
}

export interface CaptureHandle {
  /** Stream or topic. */
  target: string;
  sink: CaptureSink;
  /** Runs the capture to its end (caught up, or the signal aborted); closes the sink. */
  run(signal: AbortSignal, progress: CaptureProgress): Promise<void>;
}

/** The Debugger gets the capture's setup calls and failures, not every GetRecords poll of a long capture. */
function withoutPolls(sink: CallSink): CallSink {
  return { record: (call) => (call.operation === 'GetRecords' && !call.errorCode ? undefined : sink.record(call)) };
}

/**
 * Checks the request and opens the file (a clear error for Firehose, a relative path or an unusable file),
 * before anything is read. `run` then reads until caught up or stopped.
 */
export async function openCapture(engine: InspectorEngine, request: CaptureRequest): Promise<CaptureHandle> {
  const d = engine.catalog.getDestination(request.destination);
  if (d.kind === 'firehose') {
    throw new SluiceError(
      'invalid-input',
      `"${d.name}" is a Kinesis Data Firehose delivery stream, which cannot be read back: Firehose delivers to S3, Redshift or another store, so capture from there, or from a Kinesis stream or Kafka topic`,
    );
  }
  if (!path.isAbsolute(request.file)) throw new SluiceError('invalid-input', `The capture file needs an absolute path (got "${request.file}")`);
  if (d.kind === 'kafka' && !d.topic)
    throw new SluiceError('invalid-input', `"${d.name}" has no topic of its own (its syncs choose one per row): capture needs a destination with a topic`);
  const target = d.kind === 'kafka' ? d.topic! : d.stream;
  const sink = openCaptureSink(request.file);
  const calls = withoutPolls(inspectorCalls(engine, d.name));
  return {
    target,
    sink,
    run: async (signal, progress) => {
      try {
        if (d.kind === 'kafka') {
          const { config, calls: kafkaCalls } = await kafkaConfigFor(engine, d, calls);
          await captureKafka(config, { topic: target, from: request.from, mode: request.mode, signal, sink, progress, calls: kafkaCalls });
        } else {
          const client = await kinesisClientFor(engine, d, calls);
          try {
            await captureKinesis(client, { stream: target, from: request.from, mode: request.mode, signal, sink, progress });
          } finally {
            client.destroy();
          }
        }
        if (signal.aborted) progress.stopAll();
      } finally {
        sink.close();
      }
    },
  };
}
