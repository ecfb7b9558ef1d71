import { LEDGER_STATEMENTS } from './run/ledger-statements';
import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { processAlive } from '../state/process-alive';
import type { z } from 'zod';
import { RunCountsSchema, RunSummarySchema, type RowReject, type RunCounts, type RunStatus, type RunSummary } from '../../shared/config/sync';

export const ZERO_COUNTS: RunCounts = {
  read: 0,
  added: 0,
  changed: 0,
  removed: 0,
  unchanged: 0,
  skippedByTrigger: 0,
  skippedUnmatched: 0,
  rejectedRows: 0,
  rendered: 0,
  sent: 0,
  acknowledged: 0,
  failed: 0,
  refused: 0,
  givenUp: 0,
};

interface RunRow {
  id: number;
  sync: string;
  status: RunStatus;
  dry_run: number;
  phase: RunSummary['phase'];
  started_at: string;
  finished_at: string | null;
  counts: string;
  to_send: number;
  error: string | null;
  pid: number | null;
  /** When the run's process last wrote the row (start, progress, end). */
  updated_at: string | null;
  /** What its progress says beyond its counts (`liveJson`), while it runs. */
  live: string | null;
}

const RunLiveSchema = RunSummarySchema.pick({ retrying: true, sourceSilent: true });
type RunLive = z.infer<typeof RunLiveSchema>;

/** What a running run's progress says beyond its counts, as its row keeps it for other processes (null: nothing). */
export function liveJson(run: RunLive): string | null {
  const live: RunLive = { ...(run.retrying ? { retrying: run.retrying } : {}), ...(run.sourceSilent ? { sourceSilent: run.sourceSilent } : {}) };
  return Object.keys(live).length > 0 ? JSON.stringify(live) : null;
}

/** A row's live state, when it runs; nothing when there is none, or it does not parse (a newer Sluice's, say). */
function liveOf(row: RunRow): RunLive {
  if (row.status !== 'running' || !row.live) return {};
  try {
    const parsed = RunLiveSchema.safeParse(JSON.parse(row.live));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** A running process writes its run's row at least this often (progress, or the heartbeat when there is none). */
export const RUN_HEARTBEAT_MS = 30_000;
/** A run whose row has not been written for this long is not running, whatever its process id says. */
export const RUN_STALE_AFTER_MS = 10 * 60_000;

/**
 * Whether process `pid` could be the Sluice that runs the run: alive, a Sluice/Node/Electron program
 * where the OS says (a process id reused after a reboot or in a new container is someone else), and
 * heard of recently.
 */
export function runnerAlive(pid: number, updatedAt: string | null, now = Date.now()): boolean {
  if (!processAlive(pid)) return false;
  if (updatedAt !== null && now - Date.parse(updatedAt) > RUN_STALE_AFTER_MS) return false;
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // no /proc (macOS, Windows) or not ours to read: trust the process id
  }
  return cmdline === '' || /node|sluice|electron/i.test(cmdline);
}

export function toSummary(row: RunRow, live?: { ratePerSecond: number; etaSeconds: number | null; perShard: Record<string, number> | null }): RunSummary {
  return {
    id: row.id,
    sync: row.sync,
    status: row.status,
    dryRun: row.dry_run === 1,
    phase: row.phase,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: RunCountsSchema.parse(JSON.parse(row.counts)),
    toSend: row.to_send,
    ratePerSecond: live?.ratePerSecond ?? 0,
    etaSeconds: live?.etaSeconds ?? null,
    error: row.error,
    perShard: live?.perShard ?? null,
    ...liveOf(row),
  };
}

const SELECT = 'SELECT r.*, s.name AS sync FROM runs r JOIN syncs s ON s.id = r.sync_id';

/** The id the next run gets: above every id a run of the workspace ever had (`run_ids`, migration 014). */
const NEXT_RUN_ID = '(SELECT last_id + 1 FROM run_ids WHERE only = 1)';

/** The id the next run would get now (the routing preview's `run.id`); a run another process starts first takes it. */
export function nextRunId(db: Database): number {
  return (db.prepare(`SELECT ${NEXT_RUN_ID} AS id`).get() as { id: number }).id;
}

/** Run history: one row per run, counts as JSON, and the rows a run could not send. */
export class RunStore {
  constructor(private readonly db: Database) {}

  /**
   * A new run, with an id no run of this workspace had before (migration 014): not a deleted sync's run's,
   * whose API calls the Debugger still lists under it. One statement, so another process starting a run
   * at the same moment waits for it and gets the next id.
   */
  create(syncId: number, dryRun: boolean): number {
    const now = new Date().toISOString();
    const row = this.db
      .prepare(
        `INSERT INTO runs (id, sync_id, status, dry_run, phase, started_at, counts, pid, updated_at)
         VALUES (${NEXT_RUN_ID}, ?, 'running', ?, 'reading', ?, ?, ?, ?) RETURNING id`,
      )
      .get(syncId, dryRun ? 1 : 0, now, JSON.stringify(ZERO_COUNTS), process.pid, now) as { id: number };
    return row.id;
  }

  /** `live`: what the progress says beyond its counts (`liveJson`), or null. */
  update(id: number, fields: { phase?: RunSummary['phase']; counts?: RunCounts; toSend?: number; live?: string | null }): void {
    this.db
      .prepare(LEDGER_STATEMENTS.progress)
      .run(
        fields.phase ?? null,
        fields.counts ? JSON.stringify(fields.counts) : null,
        fields.toSend ?? null,
        fields.live ?? null,
        new Date().toISOString(),
        id,
      );
  }

  finish(id: number, status: RunStatus, counts: RunCounts, error: string | null): void {
    const now = new Date().toISOString();
    this.db
      .prepare("UPDATE runs SET status = ?, phase = 'done', counts = ?, error = ?, finished_at = ?, updated_at = ?, pid = NULL, live = NULL WHERE id = ?")
      .run(status, JSON.stringify(counts), error, now, now, id);
  }

  addRejects(runId: number, rejects: RowReject[]): void {
    const insert = this.db.prepare('INSERT INTO run_rejects (run_id, reason, key, row_number, detail) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of rejects) insert.run(runId, r.reason, r.key, r.rowNumber, r.detail);
    })();
  }

  rejects(runId: number, limit = 200): RowReject[] {
    return (
      this.db.prepare('SELECT reason, key, row_number, detail FROM run_rejects WHERE run_id = ? LIMIT ?').all(runId, limit) as {
        reason: RowReject['reason'];
        key: string | null;
        row_number: number | null;
        detail: string;
      }[]
    ).map((r) => ({ reason: r.reason, key: r.key, rowNumber: r.row_number, detail: r.detail }));
  }

  get(id: number): RunSummary | undefined {
    const row = this.db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row && toSummary(row);
  }

  list(syncId: number, limit = 50): RunSummary[] {
    return (this.db.prepare(`${SELECT} WHERE r.sync_id = ? ORDER BY r.id DESC LIMIT ?`).all(syncId, limit) as RunRow[]).map((r) => toSummary(r));
  }

  /** The sync's latest real run (`dryRun` false) or latest dry run, running or ended. */
  latest(syncId: number, dryRun: boolean): RunSummary | undefined {
    const row = this.db.prepare(`${SELECT} WHERE r.sync_id = ? AND r.dry_run = ? ORDER BY r.id DESC LIMIT 1`).get(syncId, dryRun ? 1 : 0) as RunRow | undefined;
    return row && toSummary(row);
  }

  /** The sync's run in progress in a live process, if any. */
  activeRun(syncId: number): number | undefined {
    const row = this.db.prepare("SELECT id, pid, updated_at FROM runs WHERE sync_id = ? AND status = 'running'").get(syncId) as
      { id: number; pid: number | null; updated_at: string | null } | undefined;
    return row && row.pid !== null && (row.pid === process.pid || runnerAlive(row.pid, row.updated_at)) ? row.id : undefined;
  }

  /**
   * Asks the process running the run to cancel it (it looks each second: `cancelRequested`). False when
   * the run is not running (it has ended, or does not exist).
   */
  requestCancel(id: number): boolean {
    const now = new Date().toISOString();
    return (
      this.db.prepare("UPDATE runs SET cancel_requested_at = COALESCE(cancel_requested_at, ?) WHERE id = ? AND status = 'running'").run(now, id).changes > 0
    );
  }

  /** Whether another process asked for the run to be cancelled. */
  cancelRequested(id: number): boolean {
    const row = this.db.prepare('SELECT cancel_requested_at AS at FROM runs WHERE id = ?').get(id) as { at: string | null } | undefined;
    return row?.at != null;
  }

  /** The running process is still there: the run's row says so even while nothing else changes (a long read, a backoff). */
  touch(id: number): void {
    this.db.prepare("UPDATE runs SET updated_at = ? WHERE id = ? AND status = 'running'").run(new Date().toISOString(), id);
  }

  /**
   * Runs left 'running' by a process that died (crash, kill -9): failed, saying so. Their counts
   * are settled from the ledger (the last saved progress is older than the ledger's last commit):
   * acknowledged and failed (failed + rejected) as the ledger holds them, sent and rendered at least
   * what it records; they ended at their last ledger write or progress save, not now.
   */
  markInterrupted(): number {
    const rows = this.db.prepare("SELECT id, pid, dry_run, counts, started_at, updated_at FROM runs WHERE status = 'running'").all() as Pick<
      RunRow,
      'id' | 'pid' | 'dry_run' | 'counts' | 'started_at' | 'updated_at'
    >[];
    const dead = rows.filter((r) => r.pid === null || (r.pid !== process.pid && !runnerAlive(r.pid, r.updated_at)));
    const settled = this.db.prepare(
      `SELECT COUNT(*) AS records,
              COALESCE(SUM(status = 'acknowledged'), 0) AS acknowledged,
              COALESCE(SUM(status IN ('failed', 'rejected')), 0) AS failed,
              COALESCE(SUM(status = 'rejected' AND error_code = 'RenderError'), 0) AS unrendered,
              COALESCE(SUM(attempts), 0) AS attempts,
              MAX(COALESCE(last_attempt_at, first_attempt_at)) AS last_write
         FROM ledger WHERE run_id = ?`,
    );
    const mark = this.db.prepare(
      "UPDATE runs SET status = 'failed', phase = 'done', counts = ?, finished_at = ?, updated_at = ?, pid = NULL, live = NULL, error = 'Interrupted: the Sluice process running it stopped. Rows it had not had acknowledged are sent by the next run.' WHERE id = ?",
    );
    this.db.transaction(() => {
      for (const r of dead) {
        const ledger = settled.get(r.id) as {
          records: number;
          acknowledged: number;
          failed: number;
          unrendered: number;
          attempts: number;
          last_write: string | null;
        };
        const saved = RunCountsSchema.parse(JSON.parse(r.counts));
        // A dry run writes no ledger: its saved counts are all there is.
        const counts: RunCounts =
          r.dry_run === 1
            ? saved
            : {
                ...saved,
                acknowledged: ledger.acknowledged,
                failed: ledger.failed,
                sent: Math.max(saved.sent, ledger.attempts),
                rendered: Math.max(saved.rendered, ledger.records - ledger.unrendered),
              };
        const ended =
          [r.updated_at, ledger.last_write]
            .filter((t): t is string => t !== null)
            .sort()
            .at(-1) ?? r.started_at;
        mark.run(JSON.stringify(counts), ended, ended, r.id);
      }
    })();
    return dead.length;
  }
}
