import type { Database } from 'better-sqlite3';
import { NOT_TRIED_AGAIN, type FailureReason, type LedgerEntry, type RunFailures, type SyncEvent } from '../../shared/config/sync';

export interface LedgerQuery {
  syncId?: number;
  runId?: number;
  status?: LedgerEntry['status'];
  /** Matches the key, the partition key, the error code or message. */
  text?: string;
  limit?: number;
  offset?: number;
}

/** One reason a run's records were not sent (`LedgerStore.failureReasons`). */
export type { FailureReason };

/** A ledger row as SQLite gives it (the columns of `LEDGER_COLUMNS`). */
export interface LedgerRow {
  id: number;
  run_id: number;
  key: string;
  event: SyncEvent;
  status: LedgerEntry['status'];
  attempts: number;
  partition_key: string | null;
  shard_id: string | null;
  sequence_number: string | null;
  record_id: string | null;
  topic: string | null;
  kafka_partition: number | null;
  kafka_offset: string | null;
  error_code: string | null;
  error_message: string | null;
  bytes: number;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
}

/** The columns `toLedgerEntry` reads, for queries that select ledger rows. */
export const LEDGER_COLUMNS =
  'id, run_id, key, event, status, attempts, partition_key, shard_id, sequence_number, record_id, topic, kafka_partition, kafka_offset, error_code, error_message, bytes, first_attempt_at, last_attempt_at';

export function toLedgerEntry(r: LedgerRow): LedgerEntry {
  return {
    id: r.id,
    runId: r.run_id,
    key: r.key,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    partitionKey: r.partition_key,
    shardId: r.shard_id,
    sequenceNumber: r.sequence_number,
    recordId: r.record_id,
    topic: r.topic,
    partition: r.kafka_partition,
    offset: r.kafka_offset,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    bytes: r.bytes,
    firstAttemptAt: r.first_attempt_at,
    lastAttemptAt: r.last_attempt_at,
  };
}

/** A ledger row whose reason ends with NOT_TRIED_AGAIN (its parameters: GIVEN_UP_PARAMS). */
const GIVEN_UP = 'substr(error_message, ?) = ?';
const GIVEN_UP_PARAMS = [-NOT_TRIED_AGAIN.length, NOT_TRIED_AGAIN] as const;

/** Every record a run dealt with: what was sent, where it landed (shard, sequence number) or why not. */
export class LedgerStore {
  constructor(private readonly db: Database) {}

  search(q: LedgerQuery): { entries: LedgerEntry[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (q.syncId !== undefined) add('sync_id = ?', q.syncId);
    if (q.runId !== undefined) add('run_id = ?', q.runId);
    if (q.status) add('status = ?', q.status);
    if (q.text) {
      where.push("(key LIKE ? ESCAPE '\\' OR partition_key LIKE ? ESCAPE '\\' OR error_code LIKE ? ESCAPE '\\' OR error_message LIKE ? ESCAPE '\\')");
      const like = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like, like);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM ledger ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT ${LEDGER_COLUMNS}
                FROM ledger ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, q.limit ?? 100, q.offset ?? 0) as LedgerRow[];
    return {
      total,
      entries: rows.map(toLedgerEntry),
    };
  }

  /** The bytes sent for one ledger entry (to compare with what the stream gives back). */
  data(id: number): Buffer | null {
    return (this.db.prepare('SELECT data FROM ledger WHERE id = ?').get(id) as { data: Buffer | null } | undefined)?.data ?? null;
  }

  /**
   * Why a run's records were not sent: its failed and rejected records grouped by status, error code and
   * message, the most frequent first, each with a count and the key of its first record. `total` counts
   * every failed or rejected record, `groups` every distinct reason (of which at most `limit` are given).
   * `exceptGivenUp`: without the records a cancel gave up (`givenUp`).
   */
  failureReasons(
    runId: number,
    limit = 5,
    statuses: readonly FailureReason['status'][] = ['failed', 'rejected'],
    exceptGivenUp = false,
  ): { reasons: FailureReason[]; total: number; groups: number } {
    const params: unknown[] = [runId, ...statuses];
    let where = `run_id = ? AND status IN (${statuses.map(() => '?').join(', ')})`;
    if (exceptGivenUp) {
      where += ` AND NOT (status = 'failed' AND ${GIVEN_UP})`;
      params.push(...GIVEN_UP_PARAMS);
    }
    const totals = this.db
      .prepare(
        `SELECT COUNT(*) AS total, COUNT(DISTINCT status || char(0) || IFNULL(error_code, '') || char(0) || IFNULL(error_message, '')) AS groups FROM ledger WHERE ${where}`,
      )
      .get(...params) as { total: number; groups: number };
    // With MIN(id), SQLite takes the bare column `key` from that same row: the reason's first record.
    const rows = this.db
      .prepare(
        `SELECT status, error_code, error_message, COUNT(*) AS n, MIN(id) AS first_id, key FROM ledger WHERE ${where}
                GROUP BY status, error_code, error_message ORDER BY n DESC, first_id LIMIT ?`,
      )
      .all(...params, limit) as { status: 'failed' | 'rejected'; error_code: string | null; error_message: string | null; n: number; key: string }[];
    return {
      total: totals.total,
      groups: totals.groups,
      reasons: rows.map((r) => ({ status: r.status, errorCode: r.error_code, errorMessage: r.error_message, count: r.n, exampleKey: r.key })),
    };
  }

  /** Of a run's failed records, those a cancel gave up: answered with an error worth retrying, not tried again (their reason ends with NOT_TRIED_AGAIN). Reads those rows: asked of cancelled runs. */
  givenUp(runId: number): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM ledger WHERE run_id = ? AND status = 'failed' AND ${GIVEN_UP}`).get(runId, ...GIVEN_UP_PARAMS) as { n: number }
    ).n;
  }

  /**
   * How many of a run's records its destination failed (`givenUp`: of them, those a cancel gave up, counted
   * for a `cancelled` run only), and how many were refused before sending (the index alone: no reasons).
   */
  notArrived(runId: number, cancelled = false): Pick<RunFailures, 'failed' | 'givenUp' | 'rejected'> {
    const rows = this.db
      .prepare("SELECT status, COUNT(*) AS n FROM ledger WHERE run_id = ? AND status IN ('failed', 'rejected') GROUP BY status")
      .all(runId) as {
      status: 'failed' | 'rejected';
      n: number;
    }[];
    const failed = rows.find((r) => r.status === 'failed')?.n ?? 0;
    return { failed, givenUp: cancelled && failed > 0 ? this.givenUp(runId) : 0, rejected: rows.find((r) => r.status === 'rejected')?.n ?? 0 };
  }

  /**
   * What of a run did not arrive: records its destination failed, with their top `limit` reasons, and records
   * refused before sending; for a `cancelled` run, of the failed, those the cancel gave up (not in the reasons).
   */
  runFailures(runId: number, limit = 5, cancelled = false): RunFailures {
    const { reasons, total, groups } = this.failureReasons(runId, limit, ['failed'], cancelled);
    const givenUp = cancelled ? this.givenUp(runId) : 0;
    return { failed: total + givenUp, givenUp, rejected: this.notArrived(runId).rejected, reasons, moreReasons: groups - reasons.length };
  }

  /**
   * One page of a run's ledger in the order it was written, for listings of any size: entries after the
   * id `afterId` (keyset paging, no OFFSET), `total` for the whole selection, `nextAfter` when there is more.
   */
  page(q: { runId: number; statuses?: readonly LedgerEntry['status'][]; afterId?: number; limit: number }): {
    entries: LedgerEntry[];
    total: number;
    nextAfter: number | null;
  } {
    const statuses = q.statuses?.length ? q.statuses : null;
    const filter = `run_id = ?${statuses ? ` AND status IN (${statuses.map(() => '?').join(', ')})` : ''}`;
    const params: unknown[] = [q.runId, ...(statuses ?? [])];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM ledger WHERE ${filter}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT ${LEDGER_COLUMNS} FROM ledger WHERE ${filter} AND id > ? ORDER BY id LIMIT ?`)
      .all(...params, q.afterId ?? 0, q.limit + 1) as LedgerRow[];
    const more = rows.length > q.limit;
    const entries = rows.slice(0, q.limit).map(toLedgerEntry);
    return { entries, total, nextAfter: more ? entries[entries.length - 1]!.id : null };
  }

  /** The SQL and parameters selecting the keys a run failed or rejected, for the differ's connection (state attached as "state"). */
  failedKeysOf(runId: number): { sql: string; params: unknown[] } {
    return { sql: "SELECT key FROM state.ledger WHERE run_id = ? AND status IN ('failed', 'rejected')", params: [runId] };
  }
}
