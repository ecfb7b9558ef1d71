// A model row's fingerprint in the in-database diff (issue #16): an int8 the database computes for every
// row on each run, compared with the one stored in the snapshot when the row was delivered. Two rows
// Sluice tells apart must have different fingerprints (a fingerprint that changes while the row stays
// the same to Sluice only costs a look: pg-delta-stream.ts's refresh). A snapshot written with another
// fingerprint (an older Sluice's) differs once, row by row, and is refreshed, never sent again.
import { ident } from './pg-diff';

/**
 * The fingerprint of any row (`q`): a 64-bit hash of its text form (NULL and '' differ). `ROW(q.*)`,
 * not `q`: a model column named q would be taken for the row.
 */
export const TEXT_FINGERPRINT = 'hashtextextended(ROW(q.*)::text, 0)';

/** Before PostgreSQL 11 (no 64-bit hash functions): the first 64 bits of the text form's MD5. */
export const TEXT_FINGERPRINT_BEFORE_11 = `('x' || substr(md5(ROW(q.*)::text), 1, 16))::bit(64)::int8`;

const MASK = (1n << 64n) - 1n;

/** SplitMix64's finaliser: a well-mixed 64-bit value for each `n`, as an int8 PostgreSQL can read. */
export function mixed64(n: number): string {
  let z = (BigInt(n) + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  const signed = BigInt.asIntN(64, z ^ (z >> 31n));
  // (-2^63 is no int8 literal: its digits alone are past int8's range)
  return String(signed === -(1n << 63n) ? signed + 1n : signed);
}

/** A column's seeds and NULL's stand-in by its place: well mixed, so no two places' parts cancel out. */
function seedsOf(place: number): { a: string; b: string; nul: string } {
  return { a: mixed64(place * 4), b: mixed64(place * 4 + 1), nul: mixed64(place * 4 + 2) };
}

// A column's hash (`c` the column, `s` its seeds) by its type's own extended hash function, where the
// stored value fixes the column's JSON. Each is a plain function call: a row value for
// hash_record_extended, built and taken apart again per row, cost more than the hashing (10M rows of
// five columns: 2.6 s against 1.2 s). PostgreSQL hashes some values to the seed itself (a float's 0, a
// numeric's NaN), so the seeds are well-mixed numbers of their place, never small ones that repeat.
type ColumnHash = (c: string, s: { a: string; b: string }) => string;
const bytes: ColumnHash = (c, s) => `hashtextextended(${c} COLLATE "C", ${s.a})`;
// PostgreSQL hashes an int8 (and a time's or timestamp's microseconds) as its two halves XORed, so
// values whose halves XOR alike (0 and 2^32 + 1, say) hash alike: an int8's high half is hashed
// again on its own, and times and timestamps are hashed as their epoch (a float8, exact to the microsecond).
const epoch: ColumnHash = (c, s) => `hashfloat8extended(date_part('epoch', ${c}), ${s.a})`;
const COLUMN_HASH: Record<number, ColumnHash> = {
  16: (c, s) => `hashint4extended(${c}::int4, ${s.a})`, // bool
  20: (c, s) => `(hashint8extended(${c}, ${s.a}) # hashint4extended((${c} >> 32)::int4, ${s.b}))`,
  21: (c, s) => `hashint2extended(${c}, ${s.a})`,
  23: (c, s) => `hashint4extended(${c}, ${s.a})`,
  26: (c, s) => `hashoidextended(${c}, ${s.a})`,
  // -0 and 0 hash alike, and are both 0 in a row's JSON.
  700: (c, s) => `hashfloat4extended(${c}, ${s.a})`,
  701: (c, s) => `hashfloat8extended(${c}, ${s.a})`,
  // text and varchar: their bytes (a column's own collation may call different strings equal).
  25: bytes,
  1043: bytes,
  // With its scale (1.0 and 1.00 hash alike), and its text when it has none (NaN and the infinities hash alike).
  1700: (c, s) => `(hash_numeric_extended(${c}, ${s.a}) # coalesce(hashint4extended(scale(${c}), ${s.b}), hashtextextended(${c}::text, ${s.b})))`,
  // time, timestamp, and timestamptz (its epoch is the instant's, whatever the session's time zone; infinity stays infinity).
  1083: epoch,
  1114: epoch,
  1184: epoch,
  2950: (c, s) => `uuid_hash_extended(${c}, ${s.a})`,
};

/**
 * The fingerprint for a model of these columns (`q`): each column's own hash, seeded by its place (a
 * value moved to another column changes it), a NULL as a constant of its place, XORed together; the
 * other columns (date, bytea, json, arrays, …) by their text form, together, as one more part. Models
 * whose column names repeat (a column cannot be named) get the text form's hash; servers before
 * PostgreSQL 11 (no 64-bit hash functions) its MD5's.
 */
export function fingerprintFor(fields: readonly { name: string; dataTypeID: number }[], serverVersion: number): string {
  if (serverVersion < 110000) return TEXT_FINGERPRINT_BEFORE_11;
  if (new Set(fields.map((f) => f.name)).size !== fields.length) return TEXT_FINGERPRINT;
  const parts: string[] = [];
  const asText: string[] = [];
  fields.forEach((f, i) => {
    const col = `q.${ident(f.name)}`;
    const hash = COLUMN_HASH[f.dataTypeID];
    const seeds = seedsOf(i + 1);
    if (hash) parts.push(`coalesce(${hash(col, seeds)}, ${seeds.nul})`);
    else asText.push(col);
  });
  if (asText.length > 0) parts.push(`hashtextextended(ROW(${asText.join(', ')})::text, ${seedsOf(fields.length + 1).a})`);
  return `(${parts.join(' # ')})`;
}
