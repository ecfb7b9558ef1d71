import {
  DuckDBBlobValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  type DuckDBValueConverter,
  type Json,
} from '@duckdb/node-api';
import type { RowValue } from '../../shared/config/source';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact integer: a number when it fits in 2^53, else its decimal string (as from the other SQL sources). */
function exactInteger(value: unknown): RowValue {
  const n = typeof value === 'bigint' ? value : BigInt(String(value));
  return n >= -SAFE && n <= SAFE ? Number(n) : n.toString();
}

/** Microseconds since the epoch as ISO 8601 in UTC, to the microsecond (2024-01-02T03:04:05.123456Z). */
function isoMicros(micros: bigint, fallback: string): string {
  const ms = micros / 1000n;
  const date = new Date(Number(ms));
  if (!Number.isFinite(date.getTime())) return fallback; // infinity, -infinity, out of range
  const frac = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${date.toISOString().slice(0, 19)}.${frac.toString().padStart(6, '0')}Z`;
}

/**
 * DuckDB values as Sluice carries them, without loss: integers past 2^53 (BIGINT, HUGEINT, UBIGINT…)
 * as exact decimal strings, DECIMAL as its exact text, timestamps as ISO 8601 UTC with microseconds,
 * BLOBs as base64, NULL as null, lists/structs/maps as JSON (each element converted the same way).
 * Everything else as DuckDB's own JSON conversion gives it (dates, times, UUIDs, intervals, NaN as "NaN").
 */
export const sluiceDuckDBConverter: DuckDBValueConverter<Json> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return exactInteger(value);
    case DuckDBTypeId.TIMESTAMP:
      return value instanceof DuckDBTimestampValue ? isoMicros(value.micros, value.toString()) : String(value);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return value instanceof DuckDBTimestampTZValue ? isoMicros(value.micros, value.toString()) : String(value);
    case DuckDBTypeId.BLOB:
      return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes).toString('base64') : String(value);
    default:
      return JsonDuckDBValueConverter(value, type, converter);
  }
};
