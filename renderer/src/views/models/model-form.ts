import type { Source } from '../../../../shared/config/source';

/** The key after a column's box is ticked (added last) or cleared. */
export function toggledKey(key: readonly string[], column: string, on: boolean): string[] {
  const rest = key.filter((c) => c !== column);
  return on ? [...rest, column] : rest;
}

/** The key columns the new preview still has (a changed query may drop some). */
export function keptKey(key: readonly string[], columns: readonly { name: string }[]): string[] {
  return key.filter((c) => columns.some((col) => col.name === c));
}

/** What a file model reads: "every row of the CSV file". */
export function wholeFileText(kind: Source['kind']): string {
  return `The whole file is the model: every row of ${kind === 'csv' ? 'the CSV file' : 'the NDJSON file'}.`;
}

/** The hint beside Save: what is missing before a model can be saved, if anything. */
export function saveHint(previewed: boolean, keyColumns: number): string | null {
  if (!previewed) return 'Preview the model, then pick its primary key.';
  if (keyColumns === 0) return 'Pick the primary key from the preview’s columns.';
  return null;
}
