import type { ApiCallContext } from '../../shared/debugger/api-call';

/** Who is calling: the run (if any), why, and to which destination. Passed down, never global. */
export interface RecordingScope {
  runId: number | null;
  context: ApiCallContext;
  destination: string;
}

/** One call as an instrumentation point reports it (before redaction and storage). */
export interface RecordedCall {
  service: string;
  operation: string;
  target: string;
  status: string;
  httpStatus?: number | null;
  requestId?: string | null;
  startedMs: number;
  durationMs: number;
  attempt?: number;
  requestBytes?: number | null;
  responseBytes?: number | null;
  recordCount?: number | null;
  failedRecords?: number;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** JSON-able summaries (already summarised: no full payloads). */
  request: unknown;
  response: unknown;
  results?: unknown;
  transport?: unknown;
}

/** Where instrumentation points send calls. Cheap and synchronous: the recorder batches writes. */
export interface CallSink {
  record(call: RecordedCall): void;
}

/** A sink that drops everything (code paths without a recorder, e.g. some tests). */
export const NO_RECORDING: CallSink = { record: () => undefined };
