// The two statements that change a snapshot table (pg-snapshot.ts's write-back of the outbox, and
// pg-direct-record.ts's rows recorded without sending): each takes its rows as one JSON parameter.

/** `upsert`: [{pk, key, fp, row}] (fp as text); `remove`: [pk]. */
export function snapshotWrites(qualified: string): { upsert: string; remove: string } {
  return {
    // A fingerprint from before the int8 one (an md5's text, in an outbox written then) goes in as 0, a value no row hashes to in practice (so it differs once).
    upsert: `INSERT INTO ${qualified} (pk, key, fp, row)
      SELECT e.pk, e.key, CASE WHEN e.fp ~ '^-?[0-9]{1,19}$' THEN e.fp::int8 ELSE 0 END, e.row FROM json_to_recordset($1::json) AS e(pk text, key text, fp text, row text)
      ON CONFLICT (pk) DO UPDATE SET key = excluded.key, fp = excluded.fp, row = excluded.row`,
    remove: `DELETE FROM ${qualified} WHERE pk IN (SELECT json_array_elements_text($1::json))`,
  };
}
