import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Model, Source } from '../../../shared/config/source';
import type { RowReject, SyncEvent } from '../../../shared/config/sync';
import { SluiceError } from '../../../shared/ipc/errors';
import { postgresConnectError } from '../../sources/postgres-connect-error';
import { pgTypes } from '../../sources/postgres-reader';
import { sqlError } from '../../sources/sql-error';
import { jsonSafeRow } from '../../sources/values';
import type { WorkItem } from '../differ';
import { rowJson, rowKey } from '../row-identity';
import type { OutboxEntry, PgOutbox } from './pg-outbox';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

/** The schema Sluice owns in a source that uses the in-database diff: one snapshot table per sync. */
export const STATE_SCHEMA = 'sluice_state';
const FLUSH_BATCH = 5000;
const PAGE = 2000;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A sync's snapshot table: `snapshot_` and a hash of the workspace's state file and the sync's id, so
 * two workspaces syncing one database never share a table, and no sync or model name reaches the
 * database's catalog (or a log that quotes it).
 */
export function snapshotTableName(stateFile: string, syncId: number): string {
  let where = stateFile;
  try {
    where = fs.realpathSync(stateFile);
  } catch {
    // an in-memory or not-yet-written file: its name as given
  }
  return `snapshot_${crypto.createHash('sha256').update(`${where}\n${syncId}`).digest('hex').slice(0, 24)}`;
}

/** The key of a model row as PostgreSQL computes it (`q` is the model); NULL when a key column is. */
export function pgKeyExpr(primaryKey: readonly string[], alias = 'q'): string {
  const cols = primaryKey.map((k) => `${alias}.${ident(k)}`);
  if (cols.length === 1) return `(${cols[0]})::text`;
  return `CASE WHEN ${cols.map((c) => `${c} IS NULL`).join(' OR ')} THEN NULL ELSE json_build_array(${cols.join(', ')})::text END`;
}

/** A row's fingerprint: the md5 of its canonical text (the row's text form: NULL and '' differ), computed in the database. */
const FINGERPRINT = 'md5(q::text)';

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

/**
 * The in-database diff of one PostgreSQL model (issue #16): the snapshot (key, fingerprint, and the
 * delivered row's JSON for the next run's `previous`) is a table in the source; the model is compared
 * with it in SQL, and only added, changed and removed rows leave the database.
 */
export class PgSnapshot {
  private constructor(
    private readonly client: pg.Client,
    private readonly source: PostgresSource,
    private readonly table: string,
  ) {}

  static async open(source: PostgresSource, password: string | undefined, table: string): Promise<PgSnapshot> {
    const client = new pg.Client({
      host: source.host,
      port: source.port,
      database: source.database,
      user: source.user,
      password,
      ssl: source.ssl ? { rejectUnauthorized: true } : undefined,
      types: pgTypes,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw postgresConnectError(source, err);
    }
    const snapshot = new PgSnapshot(client, source, table);
    try {
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

  /** The schema and the table, made on the first run (existing ones are only looked up: no CREATE privilege needed then). */
  private async ensureTable(): Promise<void> {
    try {
      const schema = await this.client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [STATE_SCHEMA]);
      if (schema.rowCount === 0) await this.client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(STATE_SCHEMA)}`);
      const table = await this.client.query('SELECT to_regclass($1) AS t', [this.qualified]);
      if ((table.rows[0] as { t: string | null }).t === null) {
        await this.client.query(`CREATE TABLE IF NOT EXISTS ${this.qualified} (pk text PRIMARY KEY, key text NOT NULL, fp text NOT NULL, row text NOT NULL)`);
      }
    } catch (err) {
      throw privilegeError(this.source, err);
    }
  }

  /** Moves the outbox's entries to the snapshot table in batches, each one PostgreSQL transaction. Answers how many. */
  async flush(outbox: PgOutbox): Promise<number> {
    let moved = 0;
    for (;;) {
      const entries = outbox.next(FLUSH_BATCH);
      if (entries.length === 0) return moved;
      // The last word for each key wins (a batch may hold a key twice only across runs).
      const last = new Map<string, OutboxEntry>();
      for (const e of entries) last.set(e.pk, e);
      const upserts = [...last.values()].filter((e) => e.fp !== null);
      const removals = [...last.values()].filter((e) => e.fp === null).map((e) => e.pk);
      await this.client.query('BEGIN');
      try {
        if (upserts.length > 0) {
          await this.client.query(
            `INSERT INTO ${this.qualified} (pk, key, fp, row) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (pk) DO UPDATE SET key = excluded.key, fp = excluded.fp, row = excluded.row`,
            [upserts.map((e) => e.pk), upserts.map((e) => e.key), upserts.map((e) => e.fp), upserts.map((e) => e.row)],
          );
        }
        if (removals.length > 0) await this.client.query(`DELETE FROM ${this.qualified} WHERE pk = ANY($1::text[])`, [removals]);
        await this.client.query('COMMIT');
      } catch (err) {
        await this.client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      outbox.done(entries[entries.length - 1]!.id);
      moved += entries.length;
    }
  }

  /**
   * Compares the model with the snapshot inside PostgreSQL, in one REPEATABLE READ transaction (both
   * scans of the model see the same data). `onWork` gets the added and changed rows (model order),
   * then the removed ones (key order, as the local differ), `PAGE` at a time. A changed fingerprint
   * whose row is the same to Sluice (e.g. a timestamp's microseconds, which Sluice does not carry) is
   * not an event: it goes to `onRefresh`, to be written to the snapshot as is.
   */
  async diff(
    model: Model,
    onWork: (items: Omit<WorkItem, 'seq'>[]) => void,
    onRefresh: (items: Omit<WorkItem, 'seq'>[]) => void,
    onRead: (n: number) => void,
  ): Promise<InDatabaseDiff> {
    const query = model.query ?? '';
    const key = pgKeyExpr(model.primaryKey);
    const c = this.client;
    const rejects: RowReject[] = [];
    let rejectedRows = 0;
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await c.query('DROP TABLE IF EXISTS pg_temp.sluice_cur, pg_temp.sluice_dups, pg_temp.sluice_delta');
      const head = 'CREATE TEMP TABLE sluice_cur ON COMMIT DROP AS SELECT row_number() OVER () AS rn, ';
      let cur;
      try {
        const columns = await c.query(`SELECT * FROM (${query}) AS q LIMIT 0`);
        const missing = model.primaryKey.filter((k) => !columns.fields.some((f) => f.name === k));
        if (missing.length > 0) {
          throw new SluiceError(
            'invalid-input',
            `The primary-key column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the model (its columns: ${columns.fields.map((f) => f.name).join(', ')})`,
            [{ path: 'primaryKey', message: `Not a column of the model: ${missing.join(', ')}` }],
          );
        }
        cur = await c.query(`${head}${key} AS k, ${FINGERPRINT} AS fp FROM (${query}) AS q`);
      } catch (err) {
        if (err instanceof SluiceError) throw err;
        const e = err as Error & { position?: string };
        throw sqlError(query, e.message, e.position ? Number(e.position) - 'SELECT * FROM ('.length : undefined);
      }
      const read = cur.rowCount ?? 0;
      onRead(read);
      // No index: every later step reads the whole table once (hash joins and aggregates).
      await c.query('ANALYZE pg_temp.sluice_cur');

      const nulls = await c.query<{ rn: string; n: string }>(
        'SELECT rn::text, count(*) OVER ()::text AS n FROM pg_temp.sluice_cur WHERE k IS NULL ORDER BY rn LIMIT 1000',
      );
      for (const r of nulls.rows)
        rejects.push({
          reason: 'null-key',
          key: null,
          rowNumber: Number(r.rn),
          detail: `Row ${r.rn} has no value in ${model.primaryKey.join(', ')} (a key column is null)`,
        });
      const nullCount = Number(nulls.rows[0]?.n ?? 0);
      rejectedRows += nullCount;

      await c.query(
        'CREATE TEMP TABLE sluice_dups ON COMMIT DROP AS SELECT k, count(*) AS n, min(rn) AS first FROM pg_temp.sluice_cur WHERE k IS NOT NULL GROUP BY k HAVING count(*) > 1',
      );
      const dups = await c.query<{ k: string; n: string; first: string }>('SELECT k, n::text, first::text FROM pg_temp.sluice_dups ORDER BY first');
      let dupRows = 0;
      for (const d of dups.rows) {
        dupRows += Number(d.n);
        rejectedRows += Number(d.n);
        if (rejects.length < 1000)
          rejects.push({
            reason: 'duplicate-key',
            key: d.k,
            rowNumber: Number(d.first),
            detail: `The key ${d.k} appears on ${d.n} rows; none of them is sent until it is unique`,
          });
      }

      const snapshot = Number((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${this.qualified}`)).rows[0]!.n);
      await c.query(`CREATE TEMP TABLE sluice_delta ON COMMIT DROP AS
        SELECT c.rn, c.k, c.fp, s.row AS prev FROM pg_temp.sluice_cur c LEFT JOIN ${this.qualified} s ON s.pk = c.k
        WHERE c.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.sluice_dups d WHERE d.k = c.k) AND (s.pk IS NULL OR s.fp <> c.fp)`);
      await c.query('ANALYZE pg_temp.sluice_delta');

      let added = 0;
      let changed = 0;
      // The rows themselves, only for the keys that differ: the model read again, joined to the delta.
      const rows = c.query(
        new Cursor(
          `SELECT d.rn AS __sluice_rn, d.k AS __sluice_k, d.fp AS __sluice_fp, d.prev AS __sluice_prev, q.* FROM (${query}) AS q JOIN pg_temp.sluice_delta d ON d.k = ${key} ORDER BY d.rn`,
          [],
          { types: pgTypes },
        ),
      );
      try {
        for (;;) {
          const page = (await rows.read(PAGE)) as Record<string, unknown>[];
          if (page.length === 0) break;
          const work: Omit<WorkItem, 'seq'>[] = [];
          const refresh: Omit<WorkItem, 'seq'>[] = [];
          for (const record of page) {
            const { __sluice_rn: rn, __sluice_k: pk, __sluice_fp: fp, __sluice_prev: prevValue, ...columns } = record;
            const row = jsonSafeRow(columns);
            const json = rowJson(row);
            const prev = (prevValue ?? null) as string | null;
            const item = { key: rowKey(row, model.primaryKey)!, row: json, previous: prev, rowNumber: Number(rn), pg: { key: String(pk), fp: String(fp) } };
            if (prev === null) {
              added++;
              work.push({ ...item, event: 'added' });
            } else if (prev === json) {
              refresh.push({ ...item, event: 'changed' });
            } else {
              changed++;
              work.push({ ...item, event: 'changed' });
            }
          }
          if (work.length) onWork(work);
          if (refresh.length) onRefresh(refresh);
        }
      } finally {
        await rows.close().catch(() => undefined);
      }

      let removed = 0;
      const gone = c.query(
        new Cursor(
          `SELECT s.pk, s.key, s.row FROM ${this.qualified} s WHERE NOT EXISTS (SELECT 1 FROM pg_temp.sluice_cur c WHERE c.k = s.pk) ORDER BY s.key COLLATE "C"`,
          [],
          { types: pgTypes },
        ),
      );
      try {
        for (;;) {
          const page = (await gone.read(PAGE)) as { pk: string; key: string; row: string }[];
          if (page.length === 0) break;
          removed += page.length;
          onWork(page.map((r) => ({ key: r.key, event: 'removed' as SyncEvent, row: r.row, previous: r.row, rowNumber: null, pg: { key: r.pk, fp: '' } })));
        }
      } finally {
        await gone.close().catch(() => undefined);
      }
      await c.query('COMMIT');
      const staged = read - nullCount - dupRows;
      return { read, added, changed, removed, unchanged: staged - added - changed, snapshot, rejects, rejectedRows };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
