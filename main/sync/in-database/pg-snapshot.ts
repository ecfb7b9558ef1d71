import pg from 'pg';
import type { Model, Source } from '../../../shared/config/source';
import type { RowReject } from '../../../shared/config/sync';
import { SluiceError } from '../../../shared/ipc/errors';
import { postgresConnectError } from '../../sources/postgres-connect-error';
import { connectionLostError, isConnectionLost, readingModel } from '../../sources/postgres-lost';
import { cancelStatement } from '../../sources/postgres-cancel';
import { clientConfig, setReadingStyle } from '../../sources/postgres-reader';
import type { WorkItem } from '../differ';
import type { PgOutbox } from './pg-outbox';
import { ident, keyRejects, modelColumns, type ModelColumns } from './pg-diff';
import { stageDelta, type DeltaTally } from './pg-join';
import { endHelper, helperIfLarge, joinSettings } from './pg-helper-session';
import { streamChanged, streamRemoved, type Paced } from './pg-delta-stream';
import { DirectRecorder, type Recorded } from './pg-direct-record';
import { BY_PLACE_SINCE, makeSnapshotTable, snapshotWrites } from './pg-snapshot-writes';
import { bounded, endConnection } from './pg-deadline';
import { writeBack, writeBackBeside, writeTransaction } from './pg-write-back';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

/** The schema Sluice owns in a source that uses the in-database diff: one snapshot table per sync. */
export const STATE_SCHEMA = 'sluice_state';

export interface InDatabaseDiff {
  read: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Rows in the snapshot before this run (the mass-removal guard's base). */
  snapshot: number;
  rejects: RowReject[];
  rejectedRows: number;
  /** The model's columns that hold numbers (`numberColumns`). */
  numberColumns: string[];
  /** The sessions the join ran in (2: split, pg-helper-session.ts), and where a helper gave its half back. */
  join: Pick<DeltaTally, 'sessions' | 'gaveBack'>;
}

function privilegeError(source: PostgresSource, err: unknown): SluiceError {
  const e = err as Error & { code?: string };
  if (e.code === '42501') {
    return new SluiceError(
      'invalid-input',
      `The in-database diff keeps each sync's snapshot in the schema ${STATE_SCHEMA} of ${source.database}, and the user ${source.user} may not create it there (${e.message}). ` +
        `Let it: GRANT CREATE ON DATABASE ${ident(source.database)} TO ${ident(source.user)}; or create the schema for it: CREATE SCHEMA ${STATE_SCHEMA} AUTHORIZATION ${ident(source.user)}; or set the model's diff to local.`,
      [{ path: 'diff', message: `${source.user} needs CREATE on ${source.database} (or on the schema ${STATE_SCHEMA})` }],
    );
  }
  return new SluiceError('invalid-input', `The in-database diff could not prepare its snapshot in ${source.database}: ${e.message}`);
}

/** The diff stopped because its run was cancelled (its transaction rolled back). */
export class DiffCancelled extends Error {
  constructor() {
    super('The in-database diff was cancelled');
  }
}

/**
 * The in-database diff of one PostgreSQL model (issue #16): the snapshot (key, fingerprint, and the
 * delivered row's JSON for the next run's `previous`) is a table in the source; the model is compared
 * with it in SQL, and only added, changed and removed rows leave the database.
 */
export class PgSnapshot {
  /** A diff holds the connection (its transaction and cursor): what a cancellation may cancel, and no write-back may start. */
  private holding = false;
  /** The join's helper session while it runs (pg-helper-session.ts). */
  private helper: pg.Client | undefined;
  /** The server's `server_version_num` (read once it is connected), and the table's two write statements (by place on servers that look a ctid up: pg-snapshot-writes.ts). */
  private serverVersion = 0;
  private writes: { upsert: string; remove: string };

  private constructor(
    private readonly client: pg.Client,
    private readonly config: pg.ClientConfig,
    private readonly source: PostgresSource,
    private readonly table: string,
    private readonly signal: AbortSignal | undefined, // (the run's: a cancel gives up the writes' waits too)
  ) {
    this.writes = snapshotWrites(this.qualified, false);
  }

  static async open(source: PostgresSource, password: string | undefined, table: string, signal?: AbortSignal): Promise<PgSnapshot> {
    const config = clientConfig(source, password);
    const client = new pg.Client(config);
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw postgresConnectError(source, err);
    }
    const snapshot = new PgSnapshot(client, config, source, table, signal);
    try {
      const version = await client.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
      snapshot.serverVersion = version.rows[0]!.v;
      snapshot.writes = snapshotWrites(snapshot.qualified, snapshot.serverVersion >= BY_PLACE_SINCE);
      await snapshot.ensureTable();
    } catch (err) {
      await snapshot.close();
      throw err;
    }
    return snapshot;
  }

  private get qualified(): string {
    return `${ident(STATE_SCHEMA)}.${ident(this.table)}`;
  }

  /** The schema and the table, made on the first run (pg-snapshot-writes.ts). */
  private async ensureTable(): Promise<void> {
    try {
      // (one transaction: its lock waits as any write's, pg-write-back.ts)
      await writeTransaction(this.client, this.signal, (write) => makeSnapshotTable(write, STATE_SCHEMA, this.qualified));
    } catch (err) {
      throw privilegeError(this.source, err);
    }
  }

  /** A diff holds the connection: no write-back may start on it. */
  get diffing(): boolean {
    return this.holding;
  }

  /** Drops these snapshot tables of the sync's (forgotten when it started over); answers those gone. A lock waited for, and a cancel, as any write's (pg-write-back.ts). */
  async dropTables(tables: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (const table of tables) {
      try {
        await writeTransaction(this.client, this.signal, (write) => write(`DROP TABLE IF EXISTS ${ident(STATE_SCHEMA)}.${ident(table)}`).then(() => undefined));
        gone.push(table);
      } catch {
        // (not its owner, or read by another session, say: listed still, tried again next run)
      }
    }
    return gone;
  }

  /** A writer of rows recorded without sending, on a connection of its own (pg-direct-record.ts), lock waits as the other writes'. */
  directRecorder(fallback: (items: readonly Recorded[]) => void): DirectRecorder {
    return new DirectRecorder(this.config, this.writes, fallback, this.signal);
  }

  /**
   * VACUUM (ANALYZE) of the snapshot table (outside any transaction: no lock wait can be set for it);
   * given up on a cancel, and skipped while another session holds a conflicting lock (PostgreSQL 12 on).
   */
  async vacuum(): Promise<void> {
    const options = this.serverVersion >= 120_000 ? 'ANALYZE, SKIP_LOCKED' : 'ANALYZE';
    await bounded(this.client, this.client.query(`VACUUM (${options}) ${this.qualified}`), undefined, this.signal);
  }

  /** Moves the outbox's entries to the snapshot table in batches, each one PostgreSQL transaction (pg-write-back.ts). Answers how many. */
  flush(outbox: PgOutbox): Promise<number> {
    return writeBack(this.client, this.writes, outbox, this.signal);
  }

  /** As `flush`, on a second connection beside the run's, when enough entries wait to share (pg-write-back.ts). */
  flushBeside(outbox: PgOutbox): Promise<number> {
    return writeBackBeside(this.config, this.writes, outbox, this.signal);
  }

  /**
   * Compares the model with the snapshot inside PostgreSQL, in one REPEATABLE READ transaction (both
   * scans of the model see the same data). `onWork` gets the added and changed rows (model order),
   * then the removed ones (key order, as the local differ), `PAGE` at a time, once `onCounted` has the
   * model's rows and the removals (before any row is read out). A changed fingerprint whose row is the
   * same to Sluice (a timestamp's microseconds, which it does not carry) goes to `onRefresh`, not an event.
   */
  async diff(
    model: Model,
    onWork: (items: Omit<WorkItem, 'seq'>[]) => void,
    onRefresh: (items: Omit<WorkItem, 'seq'>[]) => void,
    onCounted: (counts: Pick<InDatabaseDiff, 'read' | 'removed' | 'snapshot'>) => void,
    signal?: AbortSignal,
    paced?: Paced,
  ): Promise<InDatabaseDiff> {
    const c = this.client;
    // Cancelling the run cancels the statement running (the join of a large model takes a while), and stops between pages.
    const cancel = () => void this.cancelStatement();
    signal?.addEventListener('abort', cancel);
    const stopIfCancelled = () => {
      if (signal?.aborted) throw new DiffCancelled();
    };
    const unlessCancelled =
      (each: (items: Omit<WorkItem, 'seq'>[]) => void) =>
      (items: Omit<WorkItem, 'seq'>[]): void => {
        stopIfCancelled();
        each(items);
      };
    this.holding = true;
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      stopIfCancelled();
      await joinSettings(c);
      // The model's values (and their fingerprints, of their text) as the model reader makes them: for this
      // transaction only, as the helper's (a session's setting, through a pooler, reached other clients).
      await setReadingStyle(c);
      await c.query('DROP TABLE IF EXISTS pg_temp.sluice_dups, pg_temp.sluice_delta');
      const columns = await modelColumns(c, model, this.serverVersion);
      stopIfCancelled();
      const tally = await this.stage(model, columns, stopIfCancelled, signal);
      stopIfCancelled();
      const { read, snapshot } = tally;
      onCounted({ read, removed: tally.removed, snapshot });
      const keys = await keyRejects(c, model, columns, tally);
      stopIfCancelled();
      // The read-out's statements are costed as if large (a look-up per delta row into a table of the
      // snapshot's size), so PostgreSQL would compile them (JIT): 0.2 s of the 0.65 s its first statement
      // took at 10M rows with 1% changed, for statements that touch only the delta's rows.
      await c.query('SET LOCAL jit = off');
      const { added, changed } = await streamChanged(
        c,
        model,
        columns.names,
        { table: this.qualified, rows: snapshot, matched: tally.matched },
        unlessCancelled(onWork),
        unlessCancelled(onRefresh),
        paced,
      );
      const removed = await streamRemoved(c, this.qualified, unlessCancelled(onWork), paced);
      await c.query('COMMIT');
      const staged = read - tally.nulls - keys.dupRows;
      return {
        read,
        added,
        changed,
        removed,
        unchanged: staged - added - changed,
        snapshot,
        rejects: keys.rejects,
        rejectedRows: keys.rejectedRows,
        numberColumns: columns.numbers,
        join: tally,
      };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      if (signal?.aborted) throw new DiffCancelled();
      throw isConnectionLost(err) ? connectionLostError(this.source, readingModel(model.name), err) : err;
    } finally {
      this.holding = false;
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** The join (stageDelta), split with a helper session when the snapshot is large (pg-helper-session.ts). */
  private async stage(model: Model, columns: ModelColumns, stopIfCancelled: () => void, signal?: AbortSignal): Promise<DeltaTally> {
    const helper = await helperIfLarge(this.client, this.config, this.qualified);
    this.helper = helper;
    try {
      stopIfCancelled(); // (a cancel while the helper connected found no statement to cancel)
      return await stageDelta(this.client, model, columns, { table: this.table, qualified: this.qualified }, helper, { signal, stopIfCancelled });
    } catch (err) {
      if (helper) await this.cancelStatement(); // (the helper's half, still joining: not waited for)
      throw err;
    } finally {
      this.helper = undefined;
      if (helper) await endHelper(helper);
    }
  }

  /**
   * Asks PostgreSQL to cancel the statements the diff's connections run (a CancelRequest each,
   * postgres-cancel.ts); if it cannot, the diff stops at its next page. Not `pg_cancel_backend` of the
   * connection's process id: through PgBouncer that id is the pooler's own, no server process, so the
   * join ran on and the cancelled run waited for it (10 minutes for a slow model).
   */
  private async cancelStatement(): Promise<void> {
    const { host, port } = this.config;
    // (not once the diff is over: the connection may have moved on to the write-back)
    const clients = [this.client, this.helper].filter((c): c is pg.Client => c !== undefined && this.holding);
    await Promise.all(clients.map((c) => cancelStatement(c, host ?? 'localhost', port ?? 5432)));
  }

  async close(): Promise<void> {
    await endConnection(this.client);
  }
}
