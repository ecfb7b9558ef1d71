import type { Column, SourceKind } from './source';

/**
 * SQLite's column affinity from the declared type (sqlite.org/datatype3.html, 3.1): INTEGER and NUMERIC
 * columns turn a text that reads as a number into the number, so a string of digits past 2^53 in one is
 * an integer Sluice carries as text. 'any' is no declared type (an expression's column): it cannot tell.
 */
function sqliteHoldsNumbers(type: string): boolean {
  if (type === 'any' || type === '') return false;
  if (type.includes('int')) return true;
  return !['char', 'clob', 'text', 'blob', 'real', 'floa', 'doub'].some((part) => type.includes(part));
}

const DUCKDB_INTEGERS = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'hugeint', 'utinyint', 'usmallint', 'uinteger', 'ubigint', 'uhugeint', 'bignum']);

/** Per source kind, whether a column of this type (as the kind's reader names it, lower case) holds numbers. */
const HOLDS_NUMBERS: Record<SourceKind, (type: string) => boolean> = {
  sqlite: sqliteHoldsNumbers,
  // numeric is always its exact text ("42", "1.50"), whatever its size: it stays a string.
  postgres: (type) => ['smallint', 'integer', 'bigint'].includes(type),
  // DECIMAL is always its exact text too.
  duckdb: (type) => DUCKDB_INTEGERS.has(type),
  // Types seen in the file's first lines (`inferType`).
  ndjson: (type) => type === 'integer' || type === 'number',
  // Every CSV value is text.
  csv: () => false,
};

/**
 * The model's columns that hold numbers, by the types its source reports: a value of one that Sluice
 * carries as text because a JavaScript number cannot hold it (`isNumberText`: 12345678901234567890,
 * 1e400) is a number, and a mapping payload sends it as one. A column whose source cannot say (a SQLite
 * expression, a CSV file) is not one: its values are sent as they are carried.
 */
export function numberColumns(kind: SourceKind, columns: readonly Column[]): string[] {
  return columns.filter((c) => HOLDS_NUMBERS[kind](c.type.toLowerCase())).map((c) => c.name);
}

/**
 * The number columns with those in which the rows read held a number carried as its text
 * (`ModelReader.numbersRead`: a SQLite expression's INTEGER past 2^53, an NDJSON field with a big number
 * in one line and a string in another), whose type alone could not say.
 */
export function withNumbersRead(numbers: readonly string[], read: readonly string[] | undefined): string[] {
  return read === undefined || read.length === 0 ? [...numbers] : [...new Set([...numbers, ...read])];
}
