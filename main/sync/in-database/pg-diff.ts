// The in-database diff's steps, in the sync's REPEATABLE READ transaction (main/sync/in-database/pg-snapshot.ts):
// the model staged with each row's key and fingerprint, rows refused for their keys, the delta against
// the snapshot, then the added and changed rows read again (only those) and the removed ones.
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { Model } from '../../../shared/config/source';
import type { RowReject, SyncEvent } from '../../../shared/config/sync';
import { SluiceError } from '../../../shared/ipc/errors';
import { pgTypes } from '../../sources/postgres-reader';
import { sqlError } from '../../sources/sql-error';
import { jsonSafeRow } from '../../sources/values';
import type { WorkItem } from '../differ';
import { rowJson, rowKey } from '../row-identity';

const PAGE = 2000;

/** A PostgreSQL identifier, quoted. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The key of a model row as PostgreSQL computes it (`q` is the model); NULL when a key column is. */
export function pgKeyExpr(primaryKey: readonly string[], alias = 'q'): string {
  const cols = primaryKey.map((k) => `${alias}.${ident(k)}`);
  if (cols.length === 1) return `(${cols[0]})::text`;
  return `CASE WHEN ${cols.map((c) => `${c} IS NULL`).join(' OR ')} THEN NULL ELSE json_build_array(${cols.join(', ')})::text END`;
}

/** A row's fingerprint: the md5 of its canonical text (the row's text form: NULL and '' differ), computed in the database. */
export const FINGERPRINT = 'md5(q::text)';

type Work = Omit<WorkItem, 'seq'>;

/** The model as `sluice_cur` (row number, key, fingerprint); the number of rows read. */
export async function stageModel(c: pg.Client, model: Model): Promise<number> {
  const query = model.query ?? '';
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
    cur = await c.query(`${head}${pgKeyExpr(model.primaryKey)} AS k, ${FINGERPRINT} AS fp FROM (${query}) AS q`);
  } catch (err) {
    if (err instanceof SluiceError) throw err;
    const e = err as Error & { position?: string };
    throw sqlError(query, e.message, e.position ? Number(e.position) - 'SELECT * FROM ('.length : undefined);
  }
  // No index: every later step reads the whole table once (hash joins and aggregates).
  await c.query('ANALYZE pg_temp.sluice_cur');
  return cur.rowCount ?? 0;
}

/** Rows with a null key column, and keys more than one row has (as `sluice_dups`): refused, the first 1,000 listed. */
export async function keyRejects(c: pg.Client, model: Model): Promise<{ rejects: RowReject[]; rejectedRows: number; nullCount: number; dupRows: number }> {
  const rejects: RowReject[] = [];
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
  await c.query(
    'CREATE TEMP TABLE sluice_dups ON COMMIT DROP AS SELECT k, count(*) AS n, min(rn) AS first FROM pg_temp.sluice_cur WHERE k IS NOT NULL GROUP BY k HAVING count(*) > 1',
  );
  const dups = await c.query<{ k: string; n: string; first: string }>('SELECT k, n::text, first::text FROM pg_temp.sluice_dups ORDER BY first');
  let dupRows = 0;
  for (const d of dups.rows) {
    dupRows += Number(d.n);
    if (rejects.length < 1000)
      rejects.push({
        reason: 'duplicate-key',
        key: d.k,
        rowNumber: Number(d.first),
        detail: `The key ${d.k} appears on ${d.n} rows; none of them is sent until it is unique`,
      });
  }
  return { rejects, rejectedRows: nullCount + dupRows, nullCount, dupRows };
}

/** The keys whose fingerprint differs from the snapshot's, or that it lacks (as `sluice_delta`, with the delivered row). */
export async function stageDelta(c: pg.Client, snapshot: string): Promise<void> {
  await c.query(`CREATE TEMP TABLE sluice_delta ON COMMIT DROP AS
    SELECT c.rn, c.k, c.fp, s.row AS prev FROM pg_temp.sluice_cur c LEFT JOIN ${snapshot} s ON s.pk = c.k
    WHERE c.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.sluice_dups d WHERE d.k = c.k) AND (s.pk IS NULL OR s.fp <> c.fp)`);
  await c.query('ANALYZE pg_temp.sluice_delta');
}

/**
 * The rows themselves, only for the keys that differ: the model read again, joined to the delta, in
 * model order. A changed fingerprint whose row is the same to Sluice goes to `onRefresh`.
 */
export async function streamChanged(
  c: pg.Client,
  model: Model,
  onWork: (items: Work[]) => void,
  onRefresh: (items: Work[]) => void,
): Promise<{ added: number; changed: number }> {
  let added = 0;
  let changed = 0;
  const rows = c.query(
    new Cursor(
      `SELECT d.rn AS __sluice_rn, d.k AS __sluice_k, d.fp AS __sluice_fp, d.prev AS __sluice_prev, q.* FROM (${model.query ?? ''}) AS q JOIN pg_temp.sluice_delta d ON d.k = ${pgKeyExpr(model.primaryKey)} ORDER BY d.rn`,
      [],
      { types: pgTypes },
    ),
  );
  try {
    for (;;) {
      const page = (await rows.read(PAGE)) as Record<string, unknown>[];
      if (page.length === 0) break;
      const work: Work[] = [];
      const refresh: Work[] = [];
      for (const record of page) {
        const item = workItemOf(record, model);
        if (item.previous === null) {
          added++;
          work.push({ ...item, event: 'added' });
        } else if (item.previous === item.row) {
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
  return { added, changed };
}

function workItemOf(record: Record<string, unknown>, model: Model): Omit<Work, 'event'> {
  const { __sluice_rn: rn, __sluice_k: pk, __sluice_fp: fp, __sluice_prev: prevValue, ...columns } = record;
  const row = jsonSafeRow(columns);
  return {
    key: rowKey(row, model.primaryKey)!,
    row: rowJson(row),
    previous: (prevValue ?? null) as string | null,
    rowNumber: Number(rn),
    pg: { key: String(pk), fp: String(fp) },
  };
}

/** The snapshot's keys the model no longer has, in key order (as the local differ). */
export async function streamRemoved(c: pg.Client, snapshot: string, onWork: (items: Work[]) => void): Promise<number> {
  let removed = 0;
  const gone = c.query(
    new Cursor(
      `SELECT s.pk, s.key, s.row FROM ${snapshot} s WHERE NOT EXISTS (SELECT 1 FROM pg_temp.sluice_cur c WHERE c.k = s.pk) ORDER BY s.key COLLATE "C"`,
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
  return removed;
}
