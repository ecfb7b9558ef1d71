/**
 * Numbers a JavaScript number cannot hold, which Sluice carries as their text: an integer past ±2^53
 * (`12345678901234567890`: a number would round it to …000), and a number past a double's range, too
 * large (`1e400`: a number would be Infinity, sent as null) or too small (`1e-400`: it would be 0).
 * Sources give such a value as a string of its digits (a SQLite or PostgreSQL BIGINT, DuckDB's HUGEINT,
 * an NDJSON number); a column that holds numbers sends it back as the number (`numberColumns`).
 */

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Whether `text` is a JSON number that a JavaScript number would change (round, make infinite or zero). */
export function isNumberText(text: string): boolean {
  if (!JSON_NUMBER.test(text)) return false;
  const n = Number(text);
  if (/^-?\d+$/.test(text)) return !Number.isSafeInteger(n);
  if (!Number.isFinite(n)) return true;
  // Zero only when its digits are: 1e-400 is not 0.
  return n === 0 && /[1-9]/.test(text.split(/[eE]/)[0]!);
}
