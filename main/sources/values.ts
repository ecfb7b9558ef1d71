import type { Row, RowValue } from '../../shared/config/source';
import { JsonNumber, MAX_NESTING, parseLossless, type LosslessJson } from '../../shared/json/lossless';
import { isNumberText } from '../../shared/json/number-text';
import { SluiceError } from '../../shared/ipc/errors';

/**
 * A value nested past MAX_NESTING (arrays and objects within each other; `jsonSafeRow` names its column).
 * What Sluice does with a row after reading it (compare, render, write) walks it recursively: some
 * thousands of levels ran out of stack, a run failing with "Maximum call stack size exceeded".
 */
class TooDeepError extends Error {}

/**
 * Makes a value JSON-safe without losing information: integers past 2^53 become their exact decimal
 * string, blobs become base64, dates ISO strings. `depth`: how many arrays and objects hold it.
 */
export function jsonSafe(value: unknown, depth = 0): RowValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      if (value instanceof Date) return value.toISOString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (depth >= MAX_NESTING) throw new TooDeepError();
      if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1));
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonSafe(v, depth + 1)]));
    default:
      return String(value);
  }
}

/**
 * A source's row made JSON-safe (`jsonSafe`): an object, or its values by position with the columns' `names`
 * (a name given twice is at its first position with its last value, as in an object made of them).
 */
export function jsonSafeRow(row: Record<string, unknown>): Row;
export function jsonSafeRow(row: readonly unknown[], names: readonly string[]): Row;
export function jsonSafeRow(row: Record<string, unknown> | readonly unknown[], names?: readonly string[]): Row {
  // fromEntries keeps a column named __proto__ as a column (an assignment would set the prototype).
  if (names) return Object.fromEntries(names.map((name, i) => [name, safeColumn(name, (row as readonly unknown[])[i])]));
  const object = row as Record<string, unknown>;
  return Object.fromEntries(Object.keys(object).map((key) => [key, safeColumn(key, object[key])]));
}

function safeColumn(name: string, value: unknown): RowValue {
  try {
    return jsonSafe(value);
  } catch (err) {
    if (!(err instanceof TooDeepError)) throw err;
    throw new SluiceError(
      'invalid-input',
      `The value of column "${name}" is nested deeper than ${MAX_NESTING.toLocaleString('en-US')} levels (arrays and objects within each other), past what Sluice reads`,
    );
  }
}

/**
 * One JSON object's text as a row, numbers a JavaScript number cannot hold (`isNumberText`: integers past
 * 2^53, 1e400, 1e-400) kept as their text, as written (as from SQL sources). `kept` gets the names of the
 * row's fields whose number was.
 */
export function losslessRow(text: string, kept?: string[]): Row {
  const value = parseLossless(text);
  if (kept && value instanceof Map) for (const [name, v] of value) if (v instanceof JsonNumber && isNumberText(v.text)) kept.push(name);
  return fromLossless(value) as Row;
}

/**
 * A JSON value's text (a PostgreSQL json or jsonb value) as JSON.parse makes it, except that numbers a
 * JavaScript number cannot hold (`isNumberText`) are kept as their text, as an NDJSON file's are:
 * JSON.parse rounded 12345678901234567890 to …000. Text that cannot hold one goes to JSON.parse (faster).
 */
export function jsonValue(text: string): RowValue {
  if (MAY_NOT_FIT.test(text)) {
    try {
      return fromLossless(parseLossless(text));
    } catch {
      // Nested past what the lossless parser's recursion holds (JSON.parse takes any depth): read as
      // before. A parser of the driver must not throw: the read would wait forever.
    }
  }
  return JSON.parse(text) as RowValue;
}

/** Text that may hold a number past 2^53 or past a double's range: 16 digits in a row, or a 3-digit exponent. */
export const MAY_NOT_FIT = /\d{16}|[eE][+-]?\d{3}/;

function fromLossless(value: LosslessJson): RowValue {
  if (value instanceof JsonNumber) return isNumberText(value.text) ? value.text : Number(value.text);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, fromLossless(v)]));
  if (Array.isArray(value)) return value.map(fromLossless);
  return value;
}

/** A display type for a column, inferred from values (files have no declared types). */
export function inferType(values: RowValue[]): string {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return 'null';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (present.every((v) => typeof v === 'number')) return 'number';
  if (present.every((v) => typeof v === 'object')) return 'json';
  return 'text';
}
