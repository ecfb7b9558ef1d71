import { z } from 'zod';

/** Where a recorded call came from. */
export const API_CALL_CONTEXTS = ['connection-test', 'sync', 'dry-run', 'inspector', 'routing-preview', 'admin', 'test-record'] as const;
export type ApiCallContext = (typeof API_CALL_CONTEXTS)[number];

/** One call Sluice made to a destination, as listed in the Debugger (no request/response bodies). */
export const ApiCallSummarySchema = z.object({
  id: z.number().int(),
  runId: z.number().int().nullable(),
  context: z.enum(API_CALL_CONTEXTS),
  destination: z.string(),
  /** `kinesis`, `firehose`, `sts` or `kafka`. */
  service: z.string(),
  /** AWS operation (`PutRecords`) or Kafka API name (`Produce`). */
  operation: z.string(),
  /** Region and endpoint (AWS) or broker host:port (Kafka). */
  target: z.string(),
  /**
   * HTTP status code as text (AWS), `ok`, `error` (the broker answered an error code) or `timeout` (Kafka),
   * `network-error` when there was no answer; `partial` (some records refused) or `error` (all refused)
   * for a batch answered 200 with failed records (PutRecords, PutRecordBatch), whose HTTP status is in
   * `httpStatus`. Every status but `ok` and 2xx counts as an error (`isError`).
   */
  status: z.string(),
  httpStatus: z.number().int().nullable(),
  requestId: z.string().nullable(),
  startedAt: z.string(),
  startedMs: z.number(),
  durationMs: z.number(),
  /** Which attempt of the SDK call this was (1 = first). */
  attempt: z.number().int(),
  requestBytes: z.number().int().nullable(),
  responseBytes: z.number().int().nullable(),
  /** Records in a batch call (PutRecords, PutRecordBatch, Produce). */
  recordCount: z.number().int().nullable(),
  failedRecords: z.number().int(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  isError: z.boolean(),
});
export type ApiCallSummary = z.infer<typeof ApiCallSummarySchema>;

/** The whole of a recorded call: request and response summaries (JSON), per-record results, timing. */
export const ApiCallDetailSchema = ApiCallSummarySchema.extend({
  /** Request parameters, record data summarised with a decoded preview, secrets redacted. */
  request: z.unknown(),
  response: z.unknown(),
  /** Per-record results of a batch call: counts, errors by code, first results. */
  results: z.unknown().nullable(),
  /** Transport details: HTTP method, URL, headers (AWS) or API version and broker (Kafka). */
  transport: z.unknown().nullable(),
  /** The time span of the call's run (or of the calls around it when it has no run), for the timing bar. */
  window: z.object({ startMs: z.number(), endMs: z.number() }),
});
export type ApiCallDetail = z.infer<typeof ApiCallDetailSchema>;

/** The longest text the Debugger searches for (its search field takes no more). */
export const API_CALL_SEARCH_MAX = 200;

export const ApiCallFilterSchema = z
  .object({
    runId: z.number().int().optional(),
    context: z.enum(API_CALL_CONTEXTS).optional(),
    destination: z.string().max(200).optional(),
    service: z.string().max(50).optional(),
    operation: z.string().max(100).optional(),
    status: z.string().max(30).optional(),
    errorsOnly: z.boolean().optional(),
    text: z.string().max(API_CALL_SEARCH_MAX).optional(),
  })
  .strict();
export type ApiCallFilter = z.infer<typeof ApiCallFilterSchema>;

export const ListApiCallsInputSchema = ApiCallFilterSchema.extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();

export const ApiCallPageSchema = z.object({ calls: z.array(ApiCallSummarySchema), total: z.number().int() });

/** Values present in the store, for the filter menus. */
export const ApiCallFacetsSchema = z.object({
  runs: z.array(z.object({ runId: z.number().int(), calls: z.number().int() })),
  destinations: z.array(z.string()),
  services: z.array(z.string()),
  operations: z.array(z.string()),
  statuses: z.array(z.string()),
  total: z.number().int(),
});
export type ApiCallFacets = z.infer<typeof ApiCallFacetsSchema>;

export const ExportApiCallsInputSchema = z.object({ runId: z.number().int(), format: z.enum(['ndjson', 'har']) }).strict();
export const ApiCallsExportSchema = z.object({ fileName: z.string(), content: z.string(), calls: z.number().int() });
