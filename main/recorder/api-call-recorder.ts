import type { Database, Statement } from 'better-sqlite3';
import type { ApiCallSummary } from '../../shared/debugger/api-call';
import type { Logger } from '../log/logger';
import type { Redactor } from '../secrets/redactor';
import type { CallSink, RecordedCall, RecordingScope } from './types';

/** Calls are written at most this often (and when this many are waiting), in one transaction. */
export const FLUSH_INTERVAL_MS = 250;
const FLUSH_AT = 500;
/** Calls kept for another try while writing fails (e.g. SQLITE_BUSY); beyond this the oldest are dropped. */
export const MAX_PENDING = 5000;
/**
 * Flushes of the timer (and of a full batch) that found the workspace locked by another writer (a run's
 * ledger thread) and left their calls for the next, without waiting: past this many in a row, or this many
 * calls waiting, the next flush waits for the lock as an explicit one does.
 */
const MAX_SKIPPED_FLUSHES = 8;
const WAIT_AT = 2000;
/** Renames remembered for the calls of what began before them (a capture may record for hours): the last this many. */
const MAX_RENAMES = 100;

type Pending = RecordingScope & RecordedCall;

/**
 * Appends recorded calls to `api_calls`. Instrumentation points call `record` synchronously; rows
 * are redacted and written in batches off the hot path, and each written batch is announced (for
 * the Debugger's live view) through `onRecorded`. Recording never throws into the call it records:
 * a failed write is logged and retried on the next flush (a failed announcement is logged).
 */
export class ApiCallRecorder {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly insert: Statement;
  private closed = false;
  /** The last write failed: wait for the timer rather than retrying on every call. */
  private failing = false;
  /** Flushes in a row that found the database locked and left their calls waiting (`MAX_SKIPPED_FLUSHES`). */
  private skipped = 0;
  /** Destinations renamed by this process, in order, numbered (`seq`): a call recorded through a scope made before a rename, to its old name, is recorded under the new one. */
  private renames: { from: string; to: string; seq: number }[] = [];
  private renameSeq = 0;

  constructor(
    private readonly db: Database,
    private readonly redactor: Redactor,
    private readonly onRecorded: (calls: ApiCallSummary[]) => void = () => undefined,
    private readonly log?: Logger,
  ) {
    this.insert = db.prepare(`INSERT INTO api_calls (run_id, context, destination, service, operation, target, status, http_status, request_id,
        started_at, started_ms, duration_ms, attempt, request_bytes, response_bytes, record_count, failed_records, error_code, error_message,
        is_error, request, response, results, transport)
      VALUES (@runId, @context, @destination, @service, @operation, @target, @status, @httpStatus, @requestId, @startedAt, @startedMs,
        @durationMs, @attempt, @requestBytes, @responseBytes, @recordCount, @failedRecords, @errorCode, @errorMessage, @isError,
        @request, @response, @results, @transport)`);
  }

  /** A sink that records every call under this scope. */
  scope(scope: RecordingScope): CallSink {
    // Renames after this one apply to its calls: what it records (a test, a run) began under the old name,
    // even a call it makes after the rename (a test's next step, a retry). Not by each call's start time.
    const since = this.renameSeq;
    return {
      record: (call) => {
        try {
          this.add({ ...scope, ...call }, since);
        } catch (err) {
          this.log?.warn('api-calls.record-failed', { error: this.redactor.redact(err instanceof Error ? err.message : String(err)), calls: 1, dropped: 1 });
        }
      },
    };
  }

  private add(call: Pending, since: number): void {
    if (this.closed) return;
    for (const r of this.renames) if (r.seq > since && call.destination === r.from) call.destination = r.to;
    this.pending.push(call);
    // After a failed or skipped flush the timer tries again, not every call.
    if (this.pending.length >= FLUSH_AT && !this.failing && this.skipped === 0) this.flushNow(false);
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flushNow(false), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * The destination `from` is now `to`: its calls waiting to be written, and those recorded later through
   * a scope made before now (a call still on the wire, a test's next step), are written under its new
   * name. A scope made after it names a destination made since under the old name.
   */
  renameDestination(from: string, to: string): void {
    for (const call of this.pending) if (call.destination === from) call.destination = to;
    this.renames = [...this.renames.slice(1 - MAX_RENAMES), { from, to, seq: ++this.renameSeq }];
  }

  /** Writes everything waiting now, waiting for the database's lock if another writer holds it. Never throws: a batch that cannot be written is kept for the next try. */
  flush(): void {
    this.flushNow(true);
  }

  /**
   * Writes what waits. Unless `wait`, a database locked by another writer (a run's ledger thread commits
   * every few milliseconds) leaves the calls for the next flush at once: waiting for the lock held the
   * thread that sends a run's records (4 s of a 1M-row Kafka run). Past a few such flushes it waits.
   */
  private flushNow(wait: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    const waits = wait || this.skipped >= MAX_SKIPPED_FLUSHES || batch.length >= WAIT_AT;
    let written: ApiCallSummary[];
    try {
      written = waits ? this.write(batch) : this.withoutWaiting(() => this.write(batch));
      this.skipped = 0;
    } catch (err) {
      if (!waits && /^SQLITE_BUSY/.test((err as { code?: string }).code ?? '')) {
        this.skipped++;
        this.pending = [...batch, ...this.pending];
        this.schedule();
        return;
      }
      this.failing = true;
      const kept = [...batch, ...this.pending];
      const dropped = Math.max(0, kept.length - MAX_PENDING);
      this.pending = kept.slice(dropped);
      this.log?.warn('api-calls.record-failed', {
        error: this.redactor.redact(err instanceof Error ? err.message : String(err)),
        calls: batch.length,
        dropped,
      });
      this.schedule();
      return;
    }
    this.failing = false;
    try {
      this.onRecorded(written);
    } catch (err) {
      this.log?.warn('api-calls.announce-failed', { error: this.redactor.redact(err instanceof Error ? err.message : String(err)), calls: written.length });
    }
  }

  /** Runs `write` with the connection's busy timeout at 0 (a locked database throws SQLITE_BUSY at once), then puts it back. */
  private withoutWaiting<T>(write: () => T): T {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      return write();
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  private write(batch: Pending[]): ApiCallSummary[] {
    const json = (v: unknown) => this.redactor.redactJson(v);
    const text = (v: string | null | undefined) => (v === null || v === undefined ? null : this.redactor.redact(v));
    const written: ApiCallSummary[] = [];
    this.db.transaction(() => {
      for (const c of batch) {
        const row = {
          runId: c.runId,
          context: c.context,
          destination: c.destination,
          service: c.service,
          operation: c.operation,
          target: text(c.target)!,
          status: c.status,
          httpStatus: c.httpStatus ?? null,
          requestId: c.requestId ?? null,
          startedAt: new Date(c.startedMs).toISOString(),
          startedMs: Math.round(c.startedMs),
          durationMs: Math.round(c.durationMs * 10) / 10,
          attempt: c.attempt ?? 1,
          requestBytes: c.requestBytes ?? null,
          responseBytes: c.responseBytes ?? null,
          recordCount: c.recordCount ?? null,
          failedRecords: c.failedRecords ?? 0,
          errorCode: c.errorCode ?? null,
          errorMessage: text(c.errorMessage),
          isError: c.errorCode || (c.failedRecords ?? 0) > 0 ? 1 : 0,
          request: json(c.request),
          response: json(c.response),
          results: c.results === undefined ? null : json(c.results),
          transport: c.transport === undefined ? null : json(c.transport),
        };
        const id = Number(this.insert.run(row).lastInsertRowid);
        written.push({
          id,
          runId: row.runId,
          context: row.context,
          destination: row.destination,
          service: row.service,
          operation: row.operation,
          target: row.target,
          status: row.status,
          httpStatus: row.httpStatus,
          requestId: row.requestId,
          startedAt: row.startedAt,
          startedMs: row.startedMs,
          durationMs: row.durationMs,
          attempt: row.attempt,
          requestBytes: row.requestBytes,
          responseBytes: row.responseBytes,
          recordCount: row.recordCount,
          failedRecords: row.failedRecords,
          errorCode: row.errorCode,
          errorMessage: row.errorMessage,
          isError: row.isError === 1,
        });
      }
    })();
    return written;
  }

  /** Deletes calls older than `days` days. Returns how many went. */
  applyRetention(days: number, now = Date.now()): number {
    this.flush();
    const cutoff = now - days * 24 * 60 * 60 * 1000;
    return this.db.prepare('DELETE FROM api_calls WHERE started_ms < ?').run(cutoff).changes;
  }

  close(): void {
    this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
