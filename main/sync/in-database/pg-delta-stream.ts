// The in-database diff's delta read out of PostgreSQL (pg-diff.ts staged it): the added and changed rows
// in model order, each with the row its key last delivered, then the removed keys in key order. Only
// these rows leave the database.
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { Model } from '../../../shared/config/source';
import type { SyncEvent } from '../../../shared/config/sync';
import { pgTypes } from '../../sources/postgres-reader';
import { jsonSafeRow } from '../../sources/values';
import type { WorkItem } from '../differ';
import { rowJson, rowKey } from '../row-identity';
import { DELTA, DUPS, ident } from './pg-diff';

const PAGE = 2000;

type Work = Omit<WorkItem, 'seq'>;

/** Awaited after each page is handled: the pace of what handling it started (rows recorded in PostgreSQL). */
export type Paced = () => Promise<void>;

async function eachPage<T>(c: pg.Client, sql: string, onPage: (rows: T[]) => void, paced?: Paced): Promise<void> {
  const cursor = c.query(new Cursor(sql, [], { types: pgTypes }));
  try {
    // The next page is asked for before this one is handled: PostgreSQL makes it (its look-ups of
    // delivered rows) while this thread turns rows into work items.
    let next = cursor.read(PAGE) as Promise<T[]>;
    for (;;) {
      const page = await next;
      if (page.length === 0) return;
      next = cursor.read(PAGE) as Promise<T[]>;
      next.catch(() => undefined); // (awaited below, unless handling this page throws)
      onPage(page);
      await paced?.();
    }
  } finally {
    await cursor.close().catch(() => undefined);
  }
}

/**
 * The added and changed rows (not those of a refused key), in model order, with the delivered row of
 * their key (`snapshot.matched`: how many of the delta's rows the snapshot has a key for). A changed fingerprint whose row is the same to Sluice goes to `onRefresh`.
 */
export async function streamChanged(
  c: pg.Client,
  model: Model,
  columns: readonly string[],
  snapshot: { table: string; rows: number; matched: number },
  onWork: (items: Work[]) => void,
  onRefresh: (items: Work[]) => void,
  paced?: Paced,
): Promise<{ added: number; changed: number }> {
  const { table, rows: snapshotRows, matched } = snapshot;
  let added = 0;
  let changed = 0;
  const cols = columns.map((name, i) => `d.c${i} AS ${ident(name)}`).join(', ');
  // Few changed keys: each looks its delivered row up by key; many: one pass over the snapshot.
  const byKey = matched * 20 < snapshotRows;
  const wanted = `d.__rn IS NOT NULL AND d.__k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${DUPS} x WHERE x.k = d.__k)`;
  const fields = `d.__rn AS __sluice_rn, d.__k AS __sluice_k, d.__fp::text AS __sluice_fp, d.__sat::text AS __sluice_at`;
  // By key: each delivered row read at its place (pg-diff.ts's __sat), the delta taken in place order
  // (a sorted subquery is not merged into the outer one), then put back in model order.
  const sql = byKey
    ? `SELECT ${fields}, (SELECT s.row FROM ${table} s WHERE s.ctid = d.__sat) AS __sluice_prev, ${cols}
    FROM (SELECT * FROM ${DELTA} d WHERE ${wanted} ORDER BY d.__sat) d ORDER BY d.__rn`
    : `SELECT ${fields}, s.row AS __sluice_prev, ${cols}
    FROM ${DELTA} d LEFT JOIN ${table} s ON s.pk = d.__spk WHERE ${wanted} ORDER BY d.__rn`;
  // The delta's rows, columns and delivered rows, are sorted by row number: in memory (10M rows with 1%
  // changed spill about 20 MB to disk under PostgreSQL's default 4 MB). A larger setting stays.
  await c.query(`SELECT set_config('work_mem', '64MB', true) WHERE pg_size_bytes(current_setting('work_mem')) < 64 * 1024 * 1024`);
  await eachPage<Record<string, unknown>>(
    c,
    sql,
    (page) => {
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
    },
    paced,
  );
  return { added, changed };
}

function workItemOf(record: Record<string, unknown>, model: Model): Omit<Work, 'event'> {
  const { __sluice_rn: rn, __sluice_k: pk, __sluice_fp: fp, __sluice_at: at, __sluice_prev: prevValue, ...columns } = record;
  const row = jsonSafeRow(columns);
  return {
    key: rowKey(row, model.primaryKey)!,
    row: rowJson(row),
    previous: (prevValue ?? null) as string | null,
    rowNumber: Number(rn),
    pg: at === null || at === undefined ? { key: String(pk), fp: String(fp) } : { key: String(pk), fp: String(fp), at: String(at) },
  };
}

/** The snapshot's keys the model no longer has, in key order (as the local differ). */
export async function streamRemoved(c: pg.Client, snapshot: string, onWork: (items: Work[]) => void, paced?: Paced): Promise<number> {
  let removed = 0;
  const sql = `SELECT s.pk, s.key, s.row FROM ${DELTA} d JOIN ${snapshot} s ON s.pk = d.__spk WHERE d.__rn IS NULL ORDER BY s.key COLLATE "C"`;
  await eachPage<{ pk: string; key: string; row: string }>(
    c,
    sql,
    (page) => {
      removed += page.length;
      onWork(page.map((r) => ({ key: r.key, event: 'removed' as SyncEvent, row: r.row, previous: r.row, rowNumber: null, pg: { key: r.pk, fp: '' } })));
    },
    paced,
  );
  return removed;
}
