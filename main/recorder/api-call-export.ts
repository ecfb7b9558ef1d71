import type { ApiCallDetail } from '../../shared/debugger/api-call';
import { SluiceError } from '../../shared/ipc/errors';
import type { ApiCallStore } from './api-call-store';

/** What the AWS instrumentation stores as a call's transport. */
interface HttpTransport {
  kind: 'http';
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
}

function isHttp(t: unknown): t is HttpTransport {
  return typeof t === 'object' && t !== null && (t as { kind?: unknown }).kind === 'http';
}

/** One JSON object per line: every call of the run in full (already redacted when recorded). */
export function exportNdjson(store: ApiCallStore, runId: number): { fileName: string; content: string; calls: number } {
  const lines: string[] = [];
  for (const call of store.forRun(runId)) {
    lines.push(JSON.stringify({ ...call, window: undefined }));
  }
  return { fileName: `sluice-run-${runId}-api-calls.ndjson`, content: lines.join('\n') + '\n', calls: lines.length };
}

const headerList = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));

function harEntry(call: ApiCallDetail, t: HttpTransport) {
  const requestText = JSON.stringify(call.request, null, 2);
  const responseText = JSON.stringify(call.response, null, 2);
  const url = new URL(t.url);
  return {
    startedDateTime: call.startedAt,
    time: call.durationMs,
    request: {
      method: t.method,
      url: t.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(t.requestHeaders),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      // The body as Sluice recorded it: parameters with record data summarised (not the bytes sent).
      postData: { mimeType: 'application/json', text: requestText, comment: 'summary: record data shortened to a preview' },
      headersSize: -1,
      bodySize: call.requestBytes ?? -1,
    },
    response: {
      status: call.httpStatus ?? 0,
      statusText: call.errorCode ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(t.responseHeaders),
      content: { size: call.responseBytes ?? -1, mimeType: 'application/json', text: responseText },
      redirectURL: '',
      headersSize: -1,
      bodySize: call.responseBytes ?? -1,
    },
    cache: {},
    timings: { send: 0, wait: call.durationMs, receive: 0 },
    comment: `${call.service} ${call.operation} (attempt ${call.attempt}) for ${call.destination}`,
  };
}

/** HAR 1.2 of the run's HTTP calls (AWS); Kafka calls are not HTTP and are left out. */
export function exportHar(store: ApiCallStore, runId: number, version: string): { fileName: string; content: string; calls: number } {
  const entries = [];
  for (const call of store.forRun(runId)) if (isHttp(call.transport)) entries.push(harEntry(call, call.transport));
  if (entries.length === 0) throw new SluiceError('not-found', `Run ${runId} made no HTTP calls (Kafka calls are not HTTP): export it as NDJSON instead`);
  const har = { log: { version: '1.2', creator: { name: 'Sluice', version }, pages: [], entries } };
  return { fileName: `sluice-run-${runId}-api-calls.har`, content: JSON.stringify(har, null, 2), calls: entries.length };
}
