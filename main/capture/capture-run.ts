import type { CaptureFrom, CaptureMode } from '../../shared/config/capture';
import type { InspectorEngine } from '../inspector/inspector-engine';
import type { CallSink } from '../recorder/types';
import type { CaptureProgress } from './capture-progress';
import type { CaptureSink } from './capture-sink';

/** What a capture reads: a destination kind's stream or topic, and how (main/destinations/kinds/<kind>/). */
export interface CaptureRun {
  /** The stream or topic read. */
  target: string;
  /** Reads into the sink until caught up (or following, until the signal aborts). */
  run(engine: InspectorEngine, calls: CallSink, options: CaptureOptions): Promise<void>;
}

export interface CaptureOptions {
  from: CaptureFrom;
  mode: CaptureMode;
  signal: AbortSignal;
  sink: CaptureSink;
  progress: CaptureProgress;
}
