// `capture`: a destination's stream or topic written into a local SQLite table or NDJSON file, checkpointed.
import fs from 'node:fs';
import path from 'node:path';
import type { CaptureFrom, CaptureMode } from '../../shared/config/capture';
import { SluiceError } from '../../shared/ipc/errors';
import { engineKind } from '../destinations/kinds/registry';
import { inspectorCalls, type InspectorEngine } from '../inspector/inspector-engine';
import type { CallSink } from '../recorder/types';
import type { CaptureProgress } from './capture-progress';
import { openCaptureSink, type CaptureSink } from './capture-sink';

export interface CaptureRequest {
  destination: string;
  file: string;
  from: CaptureFrom;
  mode: CaptureMode;
  /** A Kafka topic to capture, where the destination has none of its own (or another than its own). */
  topic?: string;
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
  const capture = engineKind(d.kind).capture(d, request.topic);
  if (typeof capture === 'string') throw new SluiceError('invalid-input', capture);
  if (!path.isAbsolute(request.file)) throw new SluiceError('invalid-input', `The capture file needs an absolute path (got "${request.file}")`);
  const existed = fs.existsSync(request.file);
  const opened = openCaptureSink(request.file);
  let wrote = false;
  const sink: CaptureSink = {
    file: opened.file,
    format: opened.format,
    checkpoints: (source) => opened.checkpoints(source),
    write: (...args) => {
      wrote = true;
      opened.write(...args);
    },
    close: () => opened.close(),
  };
  const calls = withoutPolls(inspectorCalls(engine, d.name));
  return {
    target: capture.target,
    sink,
    run: async (signal, progress) => {
      let failed = false;
      try {
        await capture.run(engine, calls, { from: request.from, mode: request.mode, signal, sink, progress });
        if (signal.aborted) progress.stopAll();
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        sink.close();
        if (failed && !existed && !wrote) removeUnwritten(request.file);
      }
    },
  };
}

/**
 * A capture that failed before writing anything (its stream not there, its endpoint out of reach) leaves no file it made:
 * it left an empty SQLite file (or NDJSON file) that said nothing but "0 records".
 */
function removeUnwritten(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}
