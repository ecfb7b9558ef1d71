import type { Row } from '../../shared/config/source';

/**
 * A row with the model's columns its source left out as null. A line of an NDJSON file can leave out a
 * field other lines have: to a template, a mapping or a preview that is a NULL column, as in a table
 * (it rendered as nothing, and the error called a column of the model "not a column"). A row's stored
 * form, which the diff compares, keeps only its own fields: filling it there made it depend on the
 * file's first lines, which set the columns. Missing columns are defined as own properties ("__proto__"
 * too); the row is changed in place and returned.
 */
export function withColumns(row: Row, columns: readonly string[] | undefined): Row {
  if (columns)
    for (const name of columns)
      if (!Object.hasOwn(row, name)) Object.defineProperty(row, name, { value: null, enumerable: true, writable: true, configurable: true });
  return row;
}
