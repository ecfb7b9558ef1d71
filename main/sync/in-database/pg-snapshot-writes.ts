// The statements that make a snapshot table (pg-snapshot.ts, on a sync's first run) and the two that
// change it (pg-snapshot.ts's write-back of the outbox, and pg-direct-record.ts's rows recorded without
// sending): each of those takes its rows as one JSON parameter.
import type pg from 'pg';
import { ident } from './pg-diff';

/** PostgreSQL 14 joins on a ctid by looking it up (a TID scan for each row; earlier ones may scan the table). */
export const BY_PLACE_SINCE = 140000;

/**
 * `upsert`: [{pk, key, fp, row, at}] (fp as text; at, when given, where the key's row was in the table
 * as the run diffed: its ctid); `remove`: [pk]. With `byPlace`, a row whose place still holds its key is
 * updated there, and only the others are looked up by key: at 10M rows with 1% changed, a batch's write
 * took a quarter less (each key's index pages no longer read). A place that holds another row, or none
 * (the table was rewritten since), only costs the look-up.
 */
export function snapshotWrites(qualified: string, byPlace: boolean): { upsert: string; remove: string } {
  // A fingerprint from before the int8 one (an md5's text, in an outbox written then) goes in as 0, a value no row hashes to in practice (so it differs once).
  const fp = `CASE WHEN e.fp ~ '^-?[0-9]{1,19}$' THEN e.fp::int8 ELSE 0 END`;
  const upsert = (rows: string) =>
    `INSERT INTO ${qualified} (pk, key, fp, row) ${rows} ON CONFLICT (pk) DO UPDATE SET key = excluded.key, fp = excluded.fp, row = excluded.row`;
  return {
    upsert: byPlace
      ? `WITH e AS MATERIALIZED (SELECT e.pk, e.key, ${fp} AS fp, e.row, e.at FROM json_to_recordset($1::json) AS e(pk text, key text, fp text, row text, at tid)),
      placed AS (UPDATE ${qualified} s SET key = e.key, fp = e.fp, row = e.row FROM e WHERE e.at IS NOT NULL AND s.ctid = e.at AND s.pk = e.pk RETURNING s.pk)
      ${upsert('SELECT e.pk, e.key, e.fp, e.row FROM e WHERE NOT EXISTS (SELECT 1 FROM placed p WHERE p.pk = e.pk)')}`
      : upsert(`SELECT e.pk, e.key, ${fp}, e.row FROM json_to_recordset($1::json) AS e(pk text, key text, fp text, row text)`),
    remove: `DELETE FROM ${qualified} WHERE pk IN (SELECT json_array_elements_text($1::json))`,
  };
}

/**
 * Makes the schema and the table (`qualified`, in `schema`) where they are missing, through `write` (one
 * transaction: pg-write-back.ts's writeTransaction); existing ones are only looked up, so no CREATE
 * privilege is needed then.
 */
export async function makeSnapshotTable(write: (sql: string, values?: unknown[]) => Promise<unknown>, schema: string, qualified: string): Promise<void> {
  const rows = async <T>(sql: string, values?: unknown[]) => ((await write(sql, values)) as pg.QueryResult).rows as T[];
  if ((await rows('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).length === 0) await write(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  const table = await rows<{ t: string | null }>('SELECT to_regclass($1) AS t', [qualified]);
  if (table[0]!.t === null) {
    // Room on each page for a delivered row's new version: the write-back updates a changed key in
    // place (a HOT update, no new index entry; about 40% less of its time at 10M rows), for a table
    // a tenth larger to scan.
    await write(`CREATE TABLE IF NOT EXISTS ${qualified} (pk text PRIMARY KEY, key text NOT NULL, fp int8 NOT NULL, row text NOT NULL) WITH (fillfactor = 90)`);
    return;
  }
  // A table from before the int8 fingerprint (an md5's text): every row differs once, and goes to the snapshot again as it is.
  const fp = await rows<{ t: string }>(`SELECT atttypid::regtype::text AS t FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'fp'`, [qualified]);
  if (fp[0]?.t === 'text') await write(`ALTER TABLE ${qualified} ALTER COLUMN fp TYPE int8 USING 0`);
}
