// The keys a differ refused, counted: null keys (with the empty parts of the first few) and keys on
// several rows (with the first few), whatever the number listed in a run. The model editor's key check
// (main/catalog/model-key-check.ts) reads them, so it says what a run would refuse.
import type { StagedKeyReject } from './differ-steps';

/** Examples kept of each kind. */
export const KEY_EXAMPLES = 5;

export interface KeyTally {
  nullRows: number;
  /** The empty key parts of the first null keys, one entry per row. */
  nullColumns: string[][];
  duplicateKeys: number;
  duplicateRows: number;
  /** The first keys on several rows: the key's text (a composite key's JSON array) and its rows. */
  duplicates: { key: string; rows: number }[];
}

export const emptyKeyTally = (): KeyTally => ({ nullRows: 0, nullColumns: [], duplicateKeys: 0, duplicateRows: 0, duplicates: [] });

/** Counts one refused key in `tally`. */
export function tallyKeyReject(tally: KeyTally, r: StagedKeyReject): void {
  if (r.reject.reason === 'null-key') {
    tally.nullRows++;
    if (tally.nullColumns.length < KEY_EXAMPLES) tally.nullColumns.push(r.nullColumns ?? []);
    return;
  }
  tally.duplicateKeys++;
  tally.duplicateRows += r.extraRows + 1;
  if (tally.duplicates.length < KEY_EXAMPLES && r.reject.key !== null) tally.duplicates.push({ key: r.reject.key, rows: r.extraRows + 1 });
}
