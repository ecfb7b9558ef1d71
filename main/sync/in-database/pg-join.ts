// The in-database diff's one pass (issue #16), in the sync's REPEATABLE READ transaction: the model (each
// row's key and fingerprint computed on the fly, pg-fingerprint.ts) hash-full-joined to the snapshot's
// keys and fingerprints, keeping only the rows that differ (`sluice_delta`); on one session, or split
// with a helper session (pg-helper-session.ts). pg-diff.ts checks the model's columns before, and the
// keys it refuses after.
import type pg from 'pg';
import type { Model } from '../../../shared/config/source';
import { asSubquery } from '../../../shared/config/model-query';
import { DELTA, MODEL_ROWS, modelError, SNAPSHOT_ALIAS, snapshotRowsOf, type ModelColumns } from './pg-diff';
import { bounded } from './pg-deadline';
import { copyRows } from './pg-helper-session';

/** The least a helper's half is waited for once this session's is done (then at most as long again as this one's took). */
export const HELPER_GRACE_MS = 30_000;

export interface DeltaTally {
  /** The model's rows. */
  read: number;
  /** The snapshot's keys. */
  snapshot: number;
  /** Model rows with a null key column. */
  nulls: number;
  /** Model rows whose key the snapshot lacks (a duplicated one counted per row). */
  addedRows: number;
  /** Snapshot keys the model lacks. */
  removed: number;
  /** Model rows whose key the snapshot has and whose fingerprint differs. */
  matched: number;
  /** The sessions the join ran in (2 with a helper). */
  sessions: number;
  /** A helper's half its own session joined: where the helper gave it back (its join, or the copy of its rows). */
  gaveBack?: 'join' | 'copy';
}

/**
 * The one pass over the model: its rows joined to the snapshot's (key, fingerprint) on the key, and only
 * the rows that differ kept, with their columns (so they are not read from the model again). A
 * temporary sequence numbers the model's rows as they go by (its numbers are the row numbers; a
 * window's would cost more), and so counts them. The snapshot's rows are counted by the join itself:
 * the statement runs under EXPLAIN ANALYZE (timing off, so no clock is read per row), whose plan gives
 * the rows its scan of the snapshot returned — numbering them too cost a tenth of the join. No other
 * read of either side (a plan that does not show the scan once falls back to counting the table).
 * With a `helper` session (pg-helper-session.ts, in the same snapshot of the data), each session joins
 * the keys of one half, both numbering every model row alike, and the helper's rows are copied here.
 * Whatever the helper cannot do (its join failed or waited too long for a lock, its rows would not copy,
 * its connection went), this session does: it joins the helper's half itself. Its own join's error is
 * the run's, without waiting for the helper's half.
 */
export async function stageDelta(
  c: pg.Client,
  model: Model,
  columns: Pick<ModelColumns, 'names' | 'fingerprint' | 'key'>,
  snapshot: { table: string; qualified: string },
  helper?: pg.Client,
  cancel?: { signal?: AbortSignal; stopIfCancelled(): void },
): Promise<DeltaTally> {
  const started = Date.now();
  const theirs = helper ? helperHalf(helper, model, columns, snapshot) : undefined;
  theirs?.catch(() => undefined); // (settled below, or left to be cancelled when this session's join fails)
  const plans = [await joinHalf(c, model, columns, snapshot, helper ? 0 : undefined, 'create')];
  let sessions = 1;
  let gaveBack: DeltaTally['gaveBack'];
  if (helper) {
    // The helper's half should take about as long as this session's: past twice that (at least
    // HELPER_GRACE_MS), or on a cancel, its connection is dropped (one gone quiet answers nothing, not
    // even the cancel), and this session joins that half itself unless the run is cancelled.
    const grace = Math.max(Number(process.env.SLUICE_TEST_PG_HELPER_GRACE_MS ?? HELPER_GRACE_MS), Date.now() - started);
    const copied = await bounded(helper, theirs!, grace, cancel?.signal).then(
      async (plan) => ((await copyRows(helper, c, DELTA, cancel?.signal)) ? plan : void (gaveBack = 'copy')),
      () => void (gaveBack = 'join'),
    );
    if (copied !== undefined) sessions = 2;
    else cancel?.stopIfCancelled();
    plans.push(copied ?? (await joinHalf(c, model, columns, snapshot, 1, 'insert')));
  }
  const counted = plans.map((plan) => snapshotRowsOf(plan, snapshot.table));
  const snapshotRows = counted.every((n) => n !== null)
    ? (counted as number[]).reduce((sum, n) => sum + n, 0)
    : Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${snapshot.qualified}`)).rows[0]!.n);
  // Small in the usual case: with its statistics the reads below look the snapshot up by key, not scan it.
  await c.query(`ANALYZE ${DELTA}`);
  const tally = await c.query<Omit<DeltaTally, 'snapshot' | 'sessions'>>(
    `SELECT count(*) FILTER (WHERE __rn IS NOT NULL AND __k IS NULL) AS nulls, count(*) FILTER (WHERE __k IS NOT NULL AND __spk IS NULL) AS "addedRows",
       count(*) FILTER (WHERE __rn IS NULL) AS removed, count(*) FILTER (WHERE __rn IS NOT NULL AND __spk IS NOT NULL) AS matched,
       currval('${MODEL_ROWS}') AS read FROM ${DELTA}`,
  );
  const t = tally.rows[0]!;
  return {
    read: Number(t.read),
    snapshot: snapshotRows,
    nulls: Number(t.nulls),
    addedRows: Number(t.addedRows),
    removed: Number(t.removed),
    matched: Number(t.matched),
    sessions,
    ...(gaveBack ? { gaveBack } : {}),
  };
}

/**
 * The helper's half: its table made empty, then its transaction read-only before the join (a model that
 * locks rows, FOR UPDATE, fails there at once instead of waiting for the rows the diff's session locked,
 * or making that session wait for the helper's), then joined into it.
 */
async function helperHalf(
  helper: pg.Client,
  model: Model,
  columns: Pick<ModelColumns, 'names' | 'fingerprint' | 'key'>,
  snapshot: { qualified: string },
): Promise<unknown> {
  await joinHalf(helper, model, columns, snapshot, 1, 'shape');
  await helper.query('SET TRANSACTION READ ONLY');
  return joinHalf(helper, model, columns, snapshot, 1, 'insert');
}

/**
 * The join on one session, into its `sluice_delta`: made with its rows (`create`), made empty (`shape`,
 * the helper's, before its transaction turns read-only), or added to (`insert`); every key, or with
 * `half` (0 or 1) the keys whose hash falls in that half (a null key in half 0), every model row
 * numbered all the same. Answers EXPLAIN's plan (none for `shape`).
 */
async function joinHalf(
  c: pg.Client,
  model: Model,
  columns: Pick<ModelColumns, 'names' | 'fingerprint' | 'key'>,
  snapshot: { qualified: string },
  half: number | undefined,
  into: 'create' | 'shape' | 'insert',
): Promise<unknown> {
  const query = model.query ?? '';
  const names = ['__rn', '__k', '__fp', ...columns.names.map((_, i) => `c${i}`), '__spk', '__sat'];
  if (into !== 'insert') {
    await c.query(`DROP SEQUENCE IF EXISTS ${MODEL_ROWS}`);
    await c.query(`CREATE TEMP SEQUENCE ${MODEL_ROWS.slice('pg_temp.'.length)} MINVALUE 0 START 1 CACHE 1000`);
  }
  await c.query(`SELECT setval('${MODEL_ROWS}', 0, true)`); // (and currval is 0 for a model without rows)
  // The join's own columns are named with the prefix no model column has (modelColumns), so a model's "k" or "fp" is only its own.
  const embedded = asSubquery(query);
  const rows = `SELECT nextval('${MODEL_ROWS}') AS __sluice_rn, ${columns.key} AS __sluice_k, ${columns.fingerprint} AS __sluice_fp, q.* FROM (`;
  // A half's rows are filtered after they are numbered (OFFSET 0 keeps the filter out of the numbering subquery).
  const [open, close, keysOnly] =
    half === undefined
      ? ['', '', '']
      : ['SELECT * FROM (', ` OFFSET 0) AS m0 WHERE (coalesce(hashtext(m0.__sluice_k), 0) & 1) = ${half}`, ` WHERE (hashtext(pk) & 1) = ${half}`];
  const made = `CREATE TEMP TABLE sluice_delta (${names.join(', ')}) ON COMMIT DROP AS`;
  const target = into === 'insert' ? `INSERT INTO ${DELTA}` : made;
  const explain = into === 'shape' ? '' : 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF, FORMAT JSON) ';
  const head = `${explain}${target} SELECT m.*, s.__sluice_pk, s.__sluice_at FROM (${open}${rows}`;
  const keys = `SELECT pk AS __sluice_pk, fp AS __sluice_fp, ctid AS __sluice_at FROM ${snapshot.qualified} AS ${SNAPSHOT_ALIAS}${keysOnly}`;
  try {
    const plan = await c.query<{ 'QUERY PLAN': unknown }>(
      `${head}${embedded}) AS q${close}) AS m FULL JOIN (${keys}) AS s ON s.__sluice_pk = m.__sluice_k WHERE s.__sluice_pk IS NULL OR m.__sluice_k IS NULL OR s.__sluice_fp <> m.__sluice_fp${into === 'shape' ? ' WITH NO DATA' : ''}`,
    );
    return plan.rows[0]?.['QUERY PLAN'];
  } catch (err) {
    throw modelError(query, err, head.length);
  }
}
