import type { Database } from 'better-sqlite3';
import type { ApiCallDetail, ApiCallFacets, ApiCallFilter, ApiCallSummary } from '../../shared/debugger/api-call';
import { SluiceError } from '../../shared/ipc/errors';

interface Row {
  id: number;
  run_id: number | null;
  context: ApiCallSummary['context'];
  destination: string;
  service: string;
  operation: string;
  target: string;
  status: string;
  http_status: number | null;
  request_id: string | null;
  started_at: string;
  started_ms: number;
  duration_ms: number;
  attempt: number;
  request_bytes: number | null;
  response_bytes: number | null;
  record_count: number | null;
  failed_records: number;
  error_code: string | null;
  error_message: string | null;
  is_error: number;
}

interface FullRow extends Row {
  request: string;
  response: string;
  results: string | null;
  transport: string | null;
}

const SUMMARY_COLUMNS = `id, run_id, context, destination, service, operation, target, status, http_status, request_id, started_at, started_ms,
  duration_ms, attempt, request_bytes, response_bytes, record_count, failed_records, error_code, error_message, is_error`;

function toSummary(r: Row): ApiCallSummary {
  return {
    id: r.id,
    runId: r.run_id,
    context: r.context,
    destination: r.destination,
    service: r.service,
    operation: r.operation,
    target: r.target,
    status: r.status,
    httpStatus: r.http_status,
    requestId: r.request_id,
    startedAt: r.started_at,
    startedMs: r.started_ms,
    durationMs: r.duration_ms,
    attempt: r.attempt,
    requestBytes: r.request_bytes,
    responseBytes: r.response_bytes,
    recordCount: r.record_count,
    failedRecords: r.failed_records,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    isError: r.is_error === 1,
  };
}

function where(filter: ApiCallFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const eq = (column: string, value: unknown) => {
    if (value === undefined || value === '') return;
    clauses.push(`${column} = ?`);
    params.push(value);
  };
  eq('run_id', filter.runId);
  eq('context', filter.context);
  eq('destination', filter.destination);
  eq('service', filter.service);
  eq('operation', filter.operation);
  eq('status', filter.status);
  if (filter.errorsOnly) clauses.push('is_error = 1');
  const text = filter.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    clauses.push(`(operation LIKE ? ESCAPE '\\' OR destination LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\' OR request_id LIKE ? ESCAPE '\\'
      OR error_code LIKE ? ESCAPE '\\' OR error_message LIKE ? ESCAPE '\\' OR request LIKE ? ESCAPE '\\' OR response LIKE ? ESCAPE '\\')`);
    params.push(like, like, like, like, like, like, like, like);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

/** A call's context in time: the first start and last end of its run (or of its neighbours). */
interface Span {
  a: number;
  b: number;
}

/** Rows per query when a run's calls are read in full (exports). */
export const FOR_RUN_PAGE = 500;

function toDetail(row: FullRow, span: Span): ApiCallDetail {
  return {
    ...toSummary(row),
    request: parse(row.request),
    response: parse(row.response),
    results: parse(row.results),
    transport: parse(row.transport),
    window: { startMs: span.a, endMs: Math.max(span.b, span.a + 1) },
  };
}

/** Reads recorded calls for the Debugger: pages, one call in full, filter values, exports. */
export class ApiCallStore {
  constructor(private readonly db: Database) {}

  list(filter: ApiCallFilter, offset: number, limit: number): { calls: ApiCallSummary[]; total: number } {
    const { sql, params } = where(filter);
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM api_calls ${sql}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM api_calls ${sql} ORDER BY id LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[];
    return { calls: rows.map(toSummary), total };
  }

  get(id: number): ApiCallDetail {
    const row = this.db.prepare('SELECT * FROM api_calls WHERE id = ?').get(id) as FullRow | undefined;
    if (!row) throw new SluiceError('not-found', `There is no recorded API call ${id} (it may have been removed by the retention setting)`);
    const span = (
      row.run_id !== null
        ? this.runSpan(row.run_id)
        : this.db
            .prepare(
              'SELECT MIN(started_ms) AS a, MAX(started_ms + duration_ms) AS b FROM api_calls WHERE run_id IS NULL AND destination = ? AND started_ms BETWEEN ? AND ?',
            )
            .get(row.destination, row.started_ms - 60_000, row.started_ms + 60_000)
    ) as Span;
    return toDetail(row, span);
  }

  private runSpan(runId: number): Span {
    return this.db.prepare('SELECT MIN(started_ms) AS a, MAX(started_ms + duration_ms) AS b FROM api_calls WHERE run_id = ?').get(runId) as Span;
  }

  facets(): ApiCallFacets {
    // One scan of the covering index for every menu.
    const combos = this.db
      .prepare('SELECT operation, status, destination, service, COUNT(*) AS n FROM api_calls GROUP BY operation, status, destination, service')
      .all() as { operation: string; status: string; destination: string; service: string; n: number }[];
    const sorted = (pick: (c: (typeof combos)[number]) => string) => [...new Set(combos.map(pick))].sort();
    return {
      runs: this.db
        .prepare('SELECT run_id AS runId, COUNT(*) AS calls FROM api_calls WHERE run_id IS NOT NULL GROUP BY run_id ORDER BY run_id DESC LIMIT 200')
        .all() as { runId: number; calls: number }[],
      destinations: sorted((c) => c.destination),
      services: sorted((c) => c.service),
      operations: sorted((c) => c.operation),
      statuses: sorted((c) => c.status),
      total: combos.reduce((n, c) => n + c.n, 0),
    };
  }

  /**
   * Every call of a run in full, oldest first: the run's time span once, then the rows in pages of
   * FOR_RUN_PAGE (no statement stays open between pages, so the recorder may write meanwhile).
   */
  *forRun(runId: number): Generator<ApiCallDetail> {
    const span = this.runSpan(runId);
    if (span.a === null) throw new SluiceError('not-found', `No API calls are recorded for run ${runId}`);
    const page = this.db.prepare('SELECT * FROM api_calls WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = page.all(runId, after, FOR_RUN_PAGE) as FullRow[];
      for (const row of rows) yield toDetail(row, span);
      if (rows.length < FOR_RUN_PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}
