import type { Row, RowValue } from '../../shared/config/source';

/** A non-null column value as text: strings as they are, numbers and booleans as written, arrays and objects as JSON. */
export function columnText(v: Exclude<RowValue, null>): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * A row's key: the primary-key value as text for a one-column key, a JSON array for a composite
 * one. Undefined when any key column is null (such rows cannot be tracked and are never sent).
 */
export function rowKey(row: Row, primaryKey: readonly string[]): string | undefined {
  if (primaryKey.length === 1) {
    const v = row[primaryKey[0]!];
    if (v === null || v === undefined) return undefined;
    return columnText(v);
  }
  const values = [];
  for (const column of primaryKey) {
    const v = row[column];
    if (v === null || v === undefined) return undefined;
    values.push(v);
  }
  return JSON.stringify(values);
}

/** The row as stored in the snapshot: its JSON text, which is also what "changed" compares. */
export function rowJson(row: Row): string {
  return JSON.stringify(row);
}
