import type { Database } from 'better-sqlite3';
import type { Logger } from '../log/logger';

export const CATALOG_POLL_MS = 1000;

const REVISION_BUMP = 'UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1';
const OWN_BUMP = 'UPDATE own_catalog_writes SET n = n + 1';

/**
 * Sees catalog changes another connection made — `sluice apply` while the app is open — and calls
 * `onChange`. Every second it reads `PRAGMA data_version` (it moves only when another connection has
 * committed) and, only then, how far the catalog's revision moved (migration 008: triggers on the catalog
 * tables, whoever writes) beyond this connection's own catalog writes (counted by TEMP triggers, which
 * fire for this connection only, mirrored from those of migration 008). So a run in another process
 * (runs, ledger) is no catalog change, and neither is this engine's own. The timer is unref'd (it never
 * keeps a process alive) and a failing read is logged once, not thrown.
 */
export class CatalogWatcher {
  private timer: NodeJS.Timeout | undefined;
  private dataVersion: number;
  private revision: number;
  private own: number;
  private failed = false;

  /** Runs seen: the highest id, and those running with their last update (`onRuns`). */
  private runsSeen: { maxId: number; running: Map<number, string> };

  /** `onRuns`: the ids of runs started or moved since the last look (any process's; the engine skips its own). */
  constructor(
    private readonly db: Database,
    private readonly onChange: () => void,
    private readonly log: Logger,
    private readonly onRuns: (ids: number[]) => void = () => undefined,
  ) {
    this.countOwnWrites();
    this.dataVersion = this.readDataVersion();
    this.revision = this.readRevision();
    this.own = this.readOwn();
    this.runsSeen = { maxId: 0, running: new Map() };
    this.lookAtRuns(); // the runs there are now: only later ones and moves are told
  }

  /** This connection's catalog writes, counted apart: the revision triggers again, as TEMP triggers on a TEMP counter. */
  private countOwnWrites(): void {
    const triggers = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%catalog_revision'").all() as {
      name: string;
      sql: string;
    }[];
    this.db.transaction(() => {
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS own_catalog_writes (n INTEGER NOT NULL)');
      this.db.exec('INSERT INTO own_catalog_writes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM own_catalog_writes)');
      for (const { name, sql } of triggers) {
        const own = sql.replace(/^CREATE TRIGGER (\w+)/, 'CREATE TEMP TRIGGER IF NOT EXISTS own_$1').replace(REVISION_BUMP, OWN_BUMP);
        if (own.includes(OWN_BUMP) && own.startsWith('CREATE TEMP TRIGGER')) this.db.exec(own);
        else this.log.warn('catalog.watch-trigger-skipped', { trigger: name });
      }
    })();
  }

  start(intervalMs = CATALOG_POLL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look; true when another connection changed the catalog since the last one. */
  check(): boolean {
    if (!this.db.open) return false;
    try {
      const dataVersion = this.readDataVersion();
      // Nobody else committed: nothing to read (own writes move both counters alike and cancel out later).
      if (dataVersion === this.dataVersion) return false;
      const revision = this.readRevision();
      const own = this.readOwn();
      const changed = revision - this.revision > own - this.own;
      this.dataVersion = dataVersion;
      this.revision = revision;
      this.own = own;
      this.failed = false;
      if (changed) this.onChange();
      const runs = this.lookAtRuns();
      if (runs.length > 0) this.onRuns(runs);
      return changed;
    } catch (err) {
      if (!this.failed) this.log.warn('catalog.watch-failed', { error: err instanceof Error ? err.message : String(err) });
      this.failed = true;
      return false;
    }
  }

  /**
   * Runs new since the last look, or running then and updated since (their progress, their end): a run
   * `sluice sync run` makes shows in the open app as it goes, where the app showed it only once the user
   * opened another page. Reads the runs after the highest id seen and those seen running, nothing more.
   */
  private lookAtRuns(): number[] {
    const { maxId, running } = this.runsSeen;
    const rows = this.db
      .prepare('SELECT id, status, updated_at AS at FROM runs WHERE id > ? OR id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(maxId, JSON.stringify([...running.keys()])) as { id: number; status: string; at: string }[];
    const moved = rows.filter((r) => r.id > maxId || running.get(r.id) !== r.at).map((r) => r.id);
    this.runsSeen = {
      maxId: rows.reduce((m, r) => Math.max(m, r.id), maxId),
      running: new Map(rows.filter((r) => r.status === 'running').map((r) => [r.id, r.at])),
    };
    return moved;
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private readOwn(): number {
    return (this.db.prepare('SELECT n FROM own_catalog_writes').get() as { n: number } | undefined)?.n ?? 0;
  }

  private readRevision(): number {
    const row = this.db.prepare('SELECT revision FROM catalog_revision WHERE id = 1').get() as { revision: number } | undefined;
    return row?.revision ?? 0;
  }
}
