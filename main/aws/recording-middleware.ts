import type { DeserializeHandlerArguments, DeserializeHandlerOutput, DeserializeMiddleware, HandlerExecutionContext, Pluggable } from '@smithy/types';
import { safeHeaders, summarise } from '../recorder/summarise';
import { normalizeAwsError } from './access-denied';
import type { CallSink, RecordedCall } from '../recorder/types';

interface HttpRequestLike {
  method?: string;
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
  query?: Record<string, string | string[] | null>;
  headers?: Record<string, string>;
  body?: unknown;
}

interface HttpResponseLike {
  statusCode?: number;
  headers?: Record<string, string>;
}

interface AwsErrorLike extends Error {
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: HttpResponseLike;
}

function bodyBytes(body: unknown): number | null {
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (body instanceof Uint8Array) return body.byteLength;
  return null;
}

function header(headers: Record<string, string> | undefined, pattern: RegExp): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (pattern.test(k)) return v;
  return undefined;
}

function urlOf(r: HttpRequestLike): string {
  const port = r.port ? `:${r.port}` : '';
  const query = r.query
    ? Object.entries(r.query).flatMap(([k, v]) =>
        v === null ? [] : (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
      )
    : [];
  return `${r.protocol ?? 'https:'}//${r.hostname ?? ''}${port}${r.path ?? '/'}${query.length ? `?${query.join('&')}` : ''}`;
}

/** Per-record outcome of a batch call (PutRecords, PutRecordBatch): counts, errors by code, shards. */
export function batchResults(output: unknown): { results: unknown; failed: number; errors: Record<string, { count: number; message: string }> } | undefined {
  const o = output as { Records?: unknown; RequestResponses?: unknown; FailedRecordCount?: unknown; FailedPutCount?: unknown } | undefined;
  const list = (Array.isArray(o?.Records) ? o.Records : Array.isArray(o?.RequestResponses) ? o.RequestResponses : undefined) as
    { ErrorCode?: string; ErrorMessage?: string; ShardId?: string; SequenceNumber?: string; RecordId?: string }[] | undefined;
  if (!list) return undefined;
  const errors: Record<string, { count: number; message: string }> = {};
  const shards: Record<string, number> = {};
  let failed = 0;
  list.forEach((r) => {
    if (r.ErrorCode) {
      failed++;
      const e = (errors[r.ErrorCode] ??= { count: 0, message: r.ErrorMessage ?? '' });
      e.count++;
    } else if (r.ShardId) shards[r.ShardId] = (shards[r.ShardId] ?? 0) + 1;
  });
  const first = list.slice(0, 5).map((r, index) => ({ index, ...r }));
  const firstFailures = list.flatMap((r, index) => (r.ErrorCode ? [{ index, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage }] : [])).slice(0, 5);
  // The service's own count (FailedRecordCount, FailedPutCount) when it gives one.
  const declared = typeof o?.FailedRecordCount === 'number' ? o.FailedRecordCount : typeof o?.FailedPutCount === 'number' ? o.FailedPutCount : undefined;
  if (declared !== undefined && declared > failed) failed = declared;
  return {
    results: {
      records: list.length,
      acknowledged: list.length - failed,
      failed,
      errors,
      ...(Object.keys(shards).length ? { perShard: shards } : {}),
      first,
      firstFailures,
    },
    failed,
    errors,
  };
}

/**
 * A batch call AWS answered 200 with records refused: `partial` when some records went, `error` when
 * none did (both count as errors in the Debugger), and a message with the count and the reasons.
 */
export function batchFailure(
  failed: number,
  records: number | null,
  errors: Record<string, { count: number; message: string }>,
): { status: string; errorCode: string; errorMessage: string } {
  const reasons = Object.entries(errors)
    .sort((a, b) => b[1].count - a[1].count)
    .map(([code, e], i) => `${code} ×${e.count}${i === 0 && e.message ? `: ${e.message}` : ''}`);
  return {
    status: records !== null && failed >= records ? 'error' : 'partial',
    errorCode: 'PartialFailure',
    errorMessage: `${failed} of ${records ?? '?'} records failed${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
  };
}

const SERVICE_OF: Record<string, string> = { KinesisClient: 'kinesis', FirehoseClient: 'firehose', STSClient: 'sts' };

/**
 * Records every HTTP attempt of an AWS SDK call: it sits in the deserialize step, inside the SDK's
 * retry loop and after signing, so it sees each attempt's signed request and raw response. The
 * Authorization and security-token headers are blanked; record data is summarised.
 */
export function recordingMiddleware(sink: CallSink, region: string): DeserializeMiddleware<object, object> {
  const attempts = new WeakMap<HandlerExecutionContext, number>();
  return (next, context) =>
    async (args: DeserializeHandlerArguments<object>): Promise<DeserializeHandlerOutput<object>> => {
      const attempt = (attempts.get(context) ?? 0) + 1;
      attempts.set(context, attempt);
      const request = args.request as HttpRequestLike;
      const input = args.input as Record<string, unknown>;
      const records = Array.isArray(input.Records) ? input.Records.length : null;
      const startedMs = Date.now();
      const t0 = performance.now();
      const base = {
        service: SERVICE_OF[context.clientName ?? ''] ?? (context.clientName ?? 'aws').replace(/Client$/, '').toLowerCase(),
        operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
        target: `${region} ${request.protocol ?? 'https:'}//${request.hostname ?? ''}${request.port ? `:${request.port}` : ''}`,
        startedMs,
        attempt,
        requestBytes: bodyBytes(request.body),
        recordCount: records,
      };
      const transport = (response: HttpResponseLike | undefined) => ({
        kind: 'http',
        method: request.method ?? 'POST',
        url: urlOf(request),
        requestHeaders: safeHeaders(request.headers ?? {}),
        responseHeaders: safeHeaders(response?.headers ?? {}),
      });
      // Recording never fails the call it records (AWS may have accepted the batch already).
      const record = (build: () => RecordedCall) => {
        try {
          sink.record(build());
        } catch {
          // The recorder logs its own write failures; a call that cannot be summarised is not recorded.
        }
      };
      let result: DeserializeHandlerOutput<object>;
      try {
        result = await next(args);
      } catch (err) {
        const e = err as AwsErrorLike;
        // An answer that is not AWS's JSON is recorded in the words a run says it in (not "SyntaxError … inspect the hidden field").
        const said = normalizeAwsError(e);
        const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
        record(() => ({
          ...base,
          status: status === undefined ? 'network-error' : String(status),
          httpStatus: status ?? null,
          requestId: e.$metadata?.requestId ?? header(e.$response?.headers, /^x-amzn?-request-?id$/i) ?? null,
          durationMs: performance.now() - t0,
          responseBytes: Number(header(e.$response?.headers, /^content-length$/i) ?? NaN) || null,
          errorCode: said.name && said.name !== 'Error' ? said.name : (e.code ?? 'Error'),
          errorMessage: said.message,
          request: summarise(input),
          response: { error: said.name, message: said.message },
          transport: transport(e.$response),
        }));
        throw err;
      }
      record(() => {
        const response = result.response as HttpResponseLike;
        const batch = batchResults(result.output);
        const failure = batch?.failed ? batchFailure(batch.failed, records, batch.errors) : undefined;
        return {
          ...base,
          status: failure?.status ?? String(response.statusCode ?? 200),
          httpStatus: response.statusCode ?? null,
          requestId: header(response.headers, /^x-amzn?-request-?id$/i) ?? null,
          durationMs: performance.now() - t0,
          responseBytes: Number(header(response.headers, /^content-length$/i) ?? NaN) || null,
          failedRecords: batch?.failed ?? 0,
          ...(failure ? { errorCode: failure.errorCode, errorMessage: failure.errorMessage } : {}),
          request: summarise(input),
          response: summarise(result.output),
          results: batch?.results,
          transport: transport(response),
        };
      });
      return result;
    };
}

/** A client plugin that records the client's calls (for clients made inside SDK helpers, e.g. STS). */
export function recordingPlugin(sink: CallSink, region: string): Pluggable<object, object> {
  return {
    applyToStack: (stack) => {
      stack.add(recordingMiddleware(sink, region), { step: 'deserialize', priority: 'high', name: 'sluiceApiCallRecorder', override: true });
    },
  };
}

/** Records every call a client makes (any AWS SDK v3 client). */
export function recordAwsClient<C extends { middlewareStack: { use(pluggable: never): void } }>(client: C, sink: CallSink | undefined, region: string): C {
  if (sink) {
    const use = client.middlewareStack.use as (pluggable: Pluggable<object, object>) => void;
    use.call(client.middlewareStack, recordingPlugin(sink, region));
  }
  return client;
}
