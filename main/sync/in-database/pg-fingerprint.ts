// A model row's fingerprint in the in-database diff (issue #16): an int8 the database computes for every
// row on each run, compared with the one stored in the snapshot when the row was delivered. Two rows
// Sluice tells apart must have different fingerprints (a fingerprint that changes while the row stays
// the same to Sluice only costs a look: pg-delta-stream.ts's refresh).
import { ident } from './pg-diff';

/** The fingerprint of any row (`q`): a 64-bit hash of its text form (NULL and '' differ). */
export const TEXT_FINGERPRINT = 'hashtextextended(q::text, 0)';

// Types whose stored value fixes their text form, so their own hash stands for it without the text
// being made (making it was most of the diff's time, timestamps and numerics the most): bool, bytea,
// the integers, oid, the floats (-0 and 0 hash alike, and are both 0 in a row's JSON), date, time,
// timestamp, timestamptz, uuid.
const BY_VALUE = new Set([16, 17, 20, 21, 23, 26, 700, 701, 1082, 1083, 1114, 1184, 2950]);
// text and varchar: their bytes (a column's own collation may call different strings equal).
const BY_BYTES = new Set([25, 1043]);
const NUMERIC = 1700;

/**
 * The fingerprint for a model of these columns (`q`): PostgreSQL 14's hash_record_extended over the
 * columns' values (a numeric with its scale, so 1.0 and 1.00 differ, and its text when it is NaN or
 * infinite, which all hash alike), every other type by its text form as one more field. The seed is
 * not 0: a NULL field hashes to 0, and so would a float 0 with seed 0. Models whose column names repeat
 * (a column cannot be named) and older servers get the text form's hash.
 */
export function fingerprintFor(fields: readonly { name: string; dataTypeID: number }[], serverVersion: number): string {
  if (serverVersion < 140000 || new Set(fields.map((f) => f.name)).size !== fields.length) return TEXT_FINGERPRINT;
  const parts: string[] = [];
  const asText: string[] = [];
  for (const f of fields) {
    const col = `q.${ident(f.name)}`;
    if (BY_VALUE.has(f.dataTypeID)) parts.push(col);
    else if (BY_BYTES.has(f.dataTypeID)) parts.push(`${col} COLLATE "C"`);
    else if (f.dataTypeID === NUMERIC) parts.push(col, `scale(${col})`, `CASE WHEN scale(${col}) IS NULL THEN ${col}::text END`);
    else asText.push(col);
  }
  if (asText.length > 0) parts.push(`ROW(${asText.join(', ')})::text`);
  return `hash_record_extended(ROW(${parts.join(', ')}), 1)`;
}
