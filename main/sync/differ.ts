import type { Database, Statement } from 'better-sqlite3';
import type { Column, RowUnit } from '../../shared/config/source';
import type { RowReject, SyncEvent } from '../../shared/config/sync';
import type { ModelReader } from '../sources/reader';
import { rowJson, rowKey } from './row-identity';
import { ABORTED, untilAborted } from './until-aborted';
import { buildWorkList, dropUnselected, quoteString, requireKeyColumns, sqliteNotUtf8Sql, sqliteStagingSql, stagedKeyRejects } from './differ-steps';
import { workItemsOf, type PageRow, type WorkItem } from './work-items';
import { emptyKeyTally, tallyKeyReject, type KeyTally } from './key-tally';
import { openScratch, removeScratch, scratchFile, stageInProcess, type StagingProcess } from './differ-stage';

export type { WorkItem } from './work-items';

/**
 * Diffs a model against a sync's snapshot inside SQLite, so memory stays flat however many rows:
 * rows stream into a TEMP staging table (key, hash, row), then SQL classifies them.
 *
 * Rules (also in ARCHITECTURE.md):
 * - added:    key in the model, not in the snapshot.
 * - changed:  key in both, row values differ (their JSON text, compared inside SQLite).
 * - removed:  key in the snapshot, not in the model.
 * - unchanged: key in both, same values — nothing happens.
 * - a row whose key has a null part, or whose key appears more than once in the model, is rejected:
 *   listed in the run, never sent, and its snapshot entry (if any) is left as it was — a duplicated
 *   key is not "removed".
 *
 * The differ has its own connection: a scratch file in the OS temp folder (its staging and work
 * tables, names a model table will not have; deleted when the differ is disposed) with the state
 * database attached. SQLite models are staged entirely inside SQLite (INSERT … SELECT) in a process of
 * their own (`differ-stage.ts`), which opens the same scratch file with the model and the state database
 * attached, in that order, so a model query's table names resolve to the model first: no row becomes a
 * JavaScript object, which is what makes a million rows take seconds, and the run's main thread stays
 * free meanwhile (progress, other calls, a cancel).
 */
export interface DiffCounts {
  read: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  rejectedRows: number;
}

const MAX_LISTED_REJECTS = 1000;

export class Differ {
  private readonly rejects: RowReject[] = [];
  private readonly keys: KeyTally = emptyKeyTally();
  private rejectCount = 0;
  private readonly db: Database;
  private stateAttached = false;
  /** The work list's page queries, prepared once (a run pages through every record). */
  private pageStatement: Statement | undefined;
  private pgPageStatement: Statement | undefined;
  /** Whether work items carry the in-database diff's key and fingerprint (`addWork`). */
  private pgWork = false;
  /** Every work item is an added row numbered by its seq (`buildWorkList`); holds while items are only
   * deleted (`dropUnselected`, `restrictTo`): a step that changes an item's event or previous must clear it. */
  private addedOnly = false;
  private addedPageStatement: Statement | undefined;
  /** The scratch file holding the staging and work tables (the staging process opens it too). */
  private readonly scratch = scratchFile();
  /** The snapshot's size, counted while a SQLite model was staged (`stageSqlite`). */
  private snapshotCount: number | undefined;
  /** A SQLite model's staging process, while it runs. */
  private staging: StagingProcess | undefined;

  constructor(
    private readonly stateFile: string,
    private readonly syncId: number,
    /** The model's name, said when its primary-key columns are missing. */
    private readonly model?: string,
  ) {
    this.db = openScratch(this.scratch);
  }

  /** The state database is attached after any model, so model tables win name lookups. */
  private attachState(): void {
    if (this.stateAttached) return;
    this.db.prepare('ATTACH DATABASE ? AS state').run(this.stateFile);
    this.db.pragma('state.cache_size = -65536');
    this.db.pragma('temp.cache_size = -65536');
    this.stateAttached = true;
  }

  /**
   * Stages a SQLite model inside SQLite, in a process of its own (`stageInProcess`). `columns` and the
   * query were validated against the model alone (SqliteReader) before this runs. When `signal` aborts
   * (the run is cancelled), answers at once with nothing read; the process is killed, whatever its statement is doing.
   */
  async stageSqlite(
    modelFile: string,
    query: string,
    columns: Column[],
    primaryKey: readonly string[],
    onProgress: (read: number) => void,
    signal?: AbortSignal,
  ): Promise<{ read: number; numbersRead: string[] }> {
    requireKeyColumns(columns, primaryKey, this.model);
    this.attachState();
    // Against a snapshot, a row as last delivered is staged as its key alone (`sqliteStagingSql`).
    const delivered = this.db.prepare('SELECT EXISTS (SELECT 1 FROM state.snapshot WHERE sync_id = ?) AS any').get(this.syncId) as { any: number };
    const sql = sqliteStagingSql(query, columns, primaryKey, delivered.any ? this.syncId : undefined);
    const after = delivered.any ? sqliteNotUtf8Sql(this.syncId) : undefined;
    this.staging = stageInProcess({ scratch: this.scratch, modelFile, stateFile: this.stateFile, sql, after }, onProgress);
    // The snapshot's rows are counted (for classify) on this thread while the staging process stages: a
    // tenth of a second of a no-change re-run of 1M rows that was the run's alone.
    this.snapshotCount = delivered.any ? this.countSnapshot() : 0;
    const staged = await untilAborted(this.staging.done, signal);
    if (staged === ABORTED) {
      void this.staging.stop(); // (dispose deletes the scratch file once it has ended)
      return { read: 0, numbersRead: [] };
    }
    this.staging = undefined;
    if (staged === null) return { read: 0, numbersRead: [] };
    onProgress(staged.read);
    this.finishStaging(primaryKey, 'row', { unique: staged.unique });
    // The columns that held an INTEGER past 2^53 (`ModelReader.numbersRead`).
    return { read: staged.read, numbersRead: staged.bigIntegers.map((i) => columns[i]!.name) };
  }

  /** Streams every model row into staging (sources other than SQLite). Returns the columns seen. */
  /** Stops reading early (the rows staged so far are kept) when `signal` aborts: the run is being cancelled. */
  async stage(
    reader: ModelReader,
    primaryKey: readonly string[],
    onProgress: (read: number) => void,
    signal?: AbortSignal,
    unit: RowUnit = 'row',
  ): Promise<{ columns: Column[]; read: number }> {
    const columns = await untilAborted(reader.columns(), signal);
    if (columns === ABORTED) return { columns: [], read: 0 };
    requireKeyColumns(columns, primaryKey, this.model);
    this.attachState();
    const insert = this.db.prepare('INSERT INTO main.sluice_stage (rowid, key, row) VALUES (?, ?, ?)');
    let read = 0;
    const insertBatch = this.db.transaction((batch: { rowNumber: number; row: Record<string, unknown> }[]) => {
      for (const { rowNumber, row } of batch) insert.run(rowNumber, rowKey(row as never, primaryKey) ?? null, rowJson(row as never));
    });
    // A source that stalls (a FIFO nobody writes to, a hung network file) must not hold a cancel.
    const batches = (reader.storedBatches ? reader.storedBatches() : reader.batches())[Symbol.asyncIterator]();
    for (;;) {
      const next = await untilAborted(batches.next(), signal);
      if (next === ABORTED) {
        void batches.return?.(undefined).catch(() => undefined);
        break;
      }
      if (next.done) break;
      insertBatch(next.value);
      read += next.value.length;
      onProgress(read);
      if (signal?.aborted) {
        await batches.return?.(undefined);
        break;
      }
    }
    this.finishStaging(primaryKey, unit);
    return { columns, read };
  }

  /** Indexes the staged keys, then takes out (and lists) rows with null or duplicated keys. */
  private finishStaging(primaryKey: readonly string[], unit: RowUnit, indexed?: { unique: boolean }): void {
    for (const r of stagedKeyRejects(this.db, primaryKey, unit, indexed)) {
      this.reject(r.reject);
      this.rejectCount += r.extraRows;
      tallyKeyReject(this.keys, r);
    }
  }

  /** The staged rows' keys refused, counted (the model editor's key check stages a model as a run does). */
  keyTally(): Readonly<KeyTally> {
    return this.keys;
  }

  /**
   * Classifies staged rows. Events in `selected` go to the work list (in model order, removals
   * last); the others are applied to the snapshot at once unless `recordUnselected` is false
   * (dry runs). Returns the counts. `guard` sees the counts before anything is written to the
   * snapshot, and may throw to stop the run there (the mass-removal guard).
   */
  classify(
    selected: ReadonlySet<SyncEvent>,
    recordUnselected: boolean,
    read: number,
    guard?: (counts: DiffCounts & { snapshot: number }) => void,
  ): DiffCounts & { toSend: number; skippedByTrigger: number } {
    const db = this.db;
    const sid = this.syncId;
    const staged = (db.prepare('SELECT COUNT(*) AS n FROM main.sluice_stage').get() as { n: number }).n;
    const snapshot = this.snapshotCount ?? this.countSnapshot();
    this.addedOnly = buildWorkList(db, sid, staged, snapshot);
    const byEvent = Object.fromEntries(
      (db.prepare('SELECT event, COUNT(*) AS n FROM main.sluice_work GROUP BY event').all() as { event: SyncEvent; n: number }[]).map((r) => [r.event, r.n]),
    );
    const counts = { added: byEvent.added ?? 0, changed: byEvent.changed ?? 0, removed: byEvent.removed ?? 0, unchanged: 0 };
    counts.unchanged = staged - counts.added - counts.changed;
    guard?.({ read, ...counts, rejectedRows: this.rejectCount, snapshot });
    // Events whose trigger is off leave the work list; unless this is a dry run, the snapshot records them.
    dropUnselected(
      db,
      sid,
      (['added', 'changed', 'removed'] as const).filter((e) => !selected.has(e)),
      recordUnselected,
    );
    const toSend = (db.prepare('SELECT COUNT(*) AS n FROM main.sluice_work').get() as { n: number }).n;
    const skippedByTrigger = (['added', 'changed', 'removed'] as const).filter((e) => !selected.has(e)).reduce((n, e) => n + counts[e], 0);
    return { read, ...counts, rejectedRows: this.rejectCount, toSend, skippedByTrigger };
  }

  /** How many keys the sync's snapshot holds. */
  private countSnapshot(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM state.snapshot WHERE sync_id = ?').get(this.syncId) as { n: number }).n;
  }

  /** Gives back the 64 MiB caches of staging and classifying (the work list is read in order from here): a part of a run's peak memory. */
  releaseCaches(): void {
    for (const pragma of ['main.cache_size = -4096', 'temp.cache_size = -4096', 'state.cache_size = -4096', 'shrink_memory']) this.db.pragma(pragma);
  }

  /** Keeps only work items whose key is in `keysSql` (retry failed records only). */
  restrictTo(keysSql: string, params: unknown[]): number {
    this.db.prepare(`DELETE FROM main.sluice_work WHERE key NOT IN (${keysSql})`).run(...params);
    return (this.db.prepare('SELECT COUNT(*) AS n FROM main.sluice_work').get() as { n: number }).n;
  }

  /** Adds work items classified elsewhere (the in-database diff of a PostgreSQL model), in order. */
  addWork(items: readonly Omit<WorkItem, 'seq'>[]): void {
    const insert = this.db.prepare(
      'INSERT INTO main.sluice_work (key, event, row, previous, row_number, pg_key, pg_fp, pg_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    if (items.some((w) => w.pg)) this.pgWork = true;
    this.db.transaction(() => {
      for (const w of items) insert.run(w.key, w.event, w.row, w.previous, w.rowNumber, w.pg?.key ?? null, w.pg?.fp ?? null, w.pg?.at ?? null);
    })();
  }

  /** Takes the work items of `events` out of the work list, handing them to `each` a page at a time. */
  drainEvents(events: readonly SyncEvent[], each: (items: WorkItem[]) => void): void {
    if (events.length === 0) return;
    const list = events.map(quoteString).join(', ');
    let after = 0;
    for (;;) {
      const page = this.page(after, 2000);
      if (page.length === 0) break;
      const rows = page.filter((w) => events.includes(w.event));
      if (rows.length) each(rows);
      after = page[page.length - 1]!.seq;
    }
    this.db.exec(`DELETE FROM main.sluice_work WHERE event IN (${list})`);
  }

  /** How many work items there are. */
  workCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM main.sluice_work').get() as { n: number }).n;
  }

  /** Work items after `afterSeq`, in order, `limit` at a time (keyset paging: no open cursor). */
  page(afterSeq: number, limit: number): WorkItem[] {
    // Rows as arrays (no object per row from SQLite, then another): a run pages through every record.
    // The in-database diff's columns only when it added work: each column read costs about a tenth of
    // a second per million rows, even when null (without them, a row's last three are undefined).
    if (this.addedOnly && !this.pgWork) {
      // A first run's: event, previous and row number read per row were a third of the reads (0.25 s per 1M).
      const rows = (this.addedPageStatement ??= this.pageOf('seq, key, row')).all(afterSeq, limit) as [number, string, string][];
      return rows.map(([seq, key, row]): WorkItem => ({ seq, key, event: 'added', row, previous: null, rowNumber: seq }));
    }
    const statement = this.pgWork
      ? (this.pgPageStatement ??= this.pageOf('seq, key, event, row, previous, row_number, pg_key, pg_fp, pg_at'))
      : (this.pageStatement ??= this.pageOf('seq, key, event, row, previous, row_number'));
    return workItemsOf(statement.all(afterSeq, limit) as PageRow[]);
  }

  private pageOf(columns: string): Statement {
    return this.db.prepare(`SELECT ${columns} FROM main.sluice_work WHERE seq > ? ORDER BY seq LIMIT ?`).raw(true);
  }

  listedRejects(): RowReject[] {
    return this.rejects;
  }

  reject(reject: RowReject): void {
    this.rejectCount++;
    if (this.rejects.length < MAX_LISTED_REJECTS) this.rejects.push(reject);
  }

  /** Closes the connection and deletes the scratch file (once a staging process still running has been killed). */
  dispose(): void {
    if (this.db.open) this.db.close();
    const remove = () => removeScratch(this.scratch);
    const staging = this.staging;
    this.staging = undefined;
    if (staging) void staging.stop().then(remove, remove);
    else remove();
  }
}
