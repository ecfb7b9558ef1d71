// The two statements that change a snapshot table (pg-snapshot.ts's write-back of the outbox, and
// pg-direct-record.ts's rows recorded without sending): each takes its rows as one JSON parameter.

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
