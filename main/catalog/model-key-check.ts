import type { Column, RowValue } from '../../shared/config/source';
import type { KeyCheck } from '../../shared/config/source-admin';
import { createFormat } from '../../shared/format/format';
import { SluiceError } from '../../shared/ipc/errors';
import { delimiterHint } from '../sources/delimiter-hint';
import { lookalikeHint } from '../sources/lookalike-hint';
import type { ModelReader } from '../sources/reader';
import { SqliteReader } from '../sources/sqlite-reader';
import { Differ } from '../sync/differ';
import type { KeyTally } from '../sync/key-tally';

/** Counts in its words with thousands separators ("1,000,000 rows"), in English as the words are. */
const n = createFormat({ locale: 'en-US' }).number;

/** The sync id a key check's differ compares with: none (a check has no snapshot). */
const NO_SYNC = -1;

function shown(value: RowValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Reads the whole model once and checks its primary key as a run would: rows with a null key column,
 * and keys that more than one row has, counted, with a few examples in words
 * ("2 rows have id 17", "1 row has a null id"). The model is staged by a differ as a run stages it (a
 * SQLite model inside SQLite, in the staging process; other sources a batch at a time), in a scratch
 * file: its keys are the run's keys, and memory stays flat. Keeping each key's row in a JavaScript map
 * took 4.3 s and 424 MB for 1M rows of four columns, enough at warehouse sizes to take the app down.
 * `at`: the workspace database (attached by the differ) and the model's name.
 */
export async function checkKeys(reader: ModelReader, primaryKey: string[], at: { stateFile: string; model: string }, signal?: AbortSignal): Promise<KeyCheck> {
  const columns = await reader.columns();
  requireCheckColumns(columns, primaryKey);
  const differ = new Differ(at.stateFile, NO_SYNC, at.model);
  try {
    const ignore = () => undefined;
    let rows: number;
    if (reader instanceof SqliteReader && reader.stagesInSqlite()) {
      await reader.close();
      rows = (await differ.stageSqlite(reader.file, reader.query, columns, primaryKey, ignore, signal)).read;
    } else {
      rows = (await differ.stage(reader, primaryKey, ignore, signal)).read;
    }
    if (signal?.aborted) throw new SluiceError('internal', 'The key check was cancelled');
    return keyCheckOf(primaryKey, rows, differ.keyTally());
  } finally {
    differ.dispose();
  }
}

/** The check's refusal of a key column the model does not have (the delimiter hint for a CSV file read with another). */
function requireCheckColumns(columns: readonly Column[], primaryKey: readonly string[]): void {
  const names = columns.map((c) => c.name);
  const missing = primaryKey.filter((k) => !names.includes(k));
  if (missing.length > 0) {
    throw new SluiceError(
      'invalid-input',
      `The model has no column ${missing.map((m) => `"${m}"`).join(', ')} (its columns: ${names.join(', ')})${delimiterHint(names) || lookalikeHint(missing, names)}`,
      [{ path: 'primaryKey', message: `Not a column of the model: ${missing.join(', ')}` }],
    );
  }
}

/** The check from the rows read and the keys the differ refused. */
function keyCheckOf(primaryKey: string[], rows: number, tally: Readonly<KeyTally>): KeyCheck {
  const { nullRows, duplicateKeys, duplicateRows } = tally;
  const examples = tally.duplicates.map(({ key, rows: shared }) => {
    const values = primaryKey.length === 1 ? [key] : (JSON.parse(key) as RowValue[]).map(shown);
    return `${n(shared)} rows have ${primaryKey.map((k, i) => `${k} ${values[i]!}`).join(' and ')}`;
  });
  if (nullRows > 0) {
    // Counted over every null row, named by its columns (the examples only say which).
    const byColumns = new Set(tally.nullColumns.map((c) => c.join(', ')));
    const label = byColumns.size === 1 ? [...byColumns][0]! : primaryKey.join(' or ');
    examples.push(`${n(nullRows)} row${nullRows === 1 ? ' has' : 's have'} a null ${label}`);
  }
  const unique = duplicateKeys === 0 && nullRows === 0;
  const message = keyMessage(primaryKey, { rows, unique, nullRows, duplicateKeys, duplicateRows });
  return { rows, unique, nullRows, duplicateKeys, duplicateRows, examples, message };
}

function keyMessage(
  primaryKey: readonly string[],
  { rows, unique, nullRows, duplicateKeys, duplicateRows }: { rows: number; unique: boolean; nullRows: number; duplicateKeys: number; duplicateRows: number },
): string {
  const keyName = primaryKey.join(' + ');
  // (a composite key's row lacks one of its parts, not the whole key: "1 row has no id + name" read as if both were null)
  const lacking = primaryKey.length === 1 ? `no ${keyName}` : `a null ${primaryKey.join(' or ')}`;
  return unique
    ? `${n(rows)} row${rows === 1 ? '' : 's'}, each with its own ${keyName}: the key is unique`
    : [
        duplicateKeys > 0 ? `${n(duplicateKeys)} ${keyName} value${duplicateKeys === 1 ? ' is' : 's are'} shared by ${n(duplicateRows)} rows` : '',
        nullRows > 0 ? `${n(nullRows)} row${nullRows === 1 ? ' has' : 's have'} ${lacking}` : '',
      ]
        .filter(Boolean)
        .join('; ') + ` (of ${n(rows)} rows): a run would reject those rows. Choose a key that is unique and never null, or fix the data.`;
}
