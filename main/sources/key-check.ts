import type { Row, RowValue } from '../../shared/config/source';
import type { KeyCheck } from '../../shared/config/source-admin';
import { SluiceError } from '../../shared/ipc/errors';
import type { ModelReader } from './reader';
import { delimiterHint } from './delimiter-hint';

const EXAMPLES = 5;

function shown(value: RowValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Reads the whole model once and checks its primary key as a run would: rows with a null key column,
 * and keys that more than one row has, counted, with a few examples in words
 * ("2 rows have id 17", "1 row has a null id").
 */
export async function checkKeys(reader: ModelReader, primaryKey: string[], signal?: AbortSignal): Promise<KeyCheck> {
  const columns = (await reader.columns()).map((c) => c.name);
  const missing = primaryKey.filter((k) => !columns.includes(k));
  if (missing.length > 0) {
    throw new SluiceError(
      'invalid-input',
      `The model has no column ${missing.map((m) => `"${m}"`).join(', ')} (its columns: ${columns.join(', ')})${delimiterHint(columns)}`,
      [{ path: 'primaryKey', message: `Not a column of the model: ${missing.join(', ')}` }],
    );
  }
  const { counts, rows, nullRows, nullExamples } = await tally(reader, primaryKey, signal);
  const { duplicateKeys, duplicateRows, examples } = duplicates(counts, primaryKey);
  const byColumns = new Map<string, number>();
  for (const cols of nullExamples) byColumns.set(cols, (byColumns.get(cols) ?? 0) + 1);
  if (nullRows > 0) {
    // Counted over every null row, named by its columns (the examples only say which).
    const label = [...byColumns.keys()][0]!;
    examples.push(`${nullRows} row${nullRows === 1 ? ' has' : 's have'} a null ${byColumns.size === 1 ? label : primaryKey.join(' or ')}`);
  }
  const unique = duplicateKeys === 0 && nullRows === 0;
  const message = keyMessage(primaryKey.join(' + '), { rows, unique, nullRows, duplicateKeys, duplicateRows });
  return { rows, unique, nullRows, duplicateKeys, duplicateRows, examples, message };
}

/** Reads every row: keys with their counts (and one row each), and the rows with a null key column. */
async function tally(reader: ModelReader, primaryKey: string[], signal: AbortSignal | undefined) {
  const counts = new Map<string, { n: number; row: Row }>();
  const nullExamples: string[] = [];
  let rows = 0;
  let nullRows = 0;
  for await (const batch of reader.batches()) {
    if (signal?.aborted) throw new SluiceError('internal', 'The key check was cancelled');
    for (const { row } of batch) {
      rows++;
      const nulls = primaryKey.filter((k) => row[k] === null || row[k] === undefined);
      if (nulls.length > 0) {
        nullRows++;
        if (nullExamples.length < EXAMPLES) nullExamples.push(nulls.join(', '));
        continue;
      }
      const key = primaryKey.length === 1 ? shown(row[primaryKey[0]!]!) : JSON.stringify(primaryKey.map((k) => row[k]));
      const seen = counts.get(key);
      if (seen) seen.n++;
      else counts.set(key, { n: 1, row });
    }
  }
  return { counts, rows, nullRows, nullExamples };
}

/** Keys more than one row has, and examples in words. */
function duplicates(counts: Map<string, { n: number; row: Row }>, primaryKey: string[]) {
  let duplicateKeys = 0;
  let duplicateRows = 0;
  const examples: string[] = [];
  for (const [, { n, row }] of counts) {
    if (n < 2) continue;
    duplicateKeys++;
    duplicateRows += n;
    if (examples.length < EXAMPLES) examples.push(`${n} rows have ${primaryKey.map((k) => `${k} ${shown(row[k]!)}`).join(' and ')}`);
  }
  return { duplicateKeys, duplicateRows, examples };
}

function keyMessage(
  keyName: string,
  { rows, unique, nullRows, duplicateKeys, duplicateRows }: { rows: number; unique: boolean; nullRows: number; duplicateKeys: number; duplicateRows: number },
): string {
  return unique
    ? `${rows} row${rows === 1 ? '' : 's'}, each with its own ${keyName}: the key is unique`
    : [
        duplicateKeys > 0 ? `${duplicateKeys} ${keyName} value${duplicateKeys === 1 ? ' is' : 's are'} shared by ${duplicateRows} rows` : '',
        nullRows > 0 ? `${nullRows} row${nullRows === 1 ? ' has' : 's have'} no ${keyName}` : '',
      ]
        .filter(Boolean)
        .join('; ') + ` (of ${rows} rows): a run would reject those rows. Choose a key that is unique and never null, or fix the data.`;
}
