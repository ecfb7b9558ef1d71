// A SQL model whose query returns two columns of one name (`SELECT c.id, o.id FROM customers c JOIN orders o …`):
// a row is an object, one value per name, so the last one's value took the first one's place and was sent
// as it without a word. Refused instead, as a CSV header that names a column twice is (file-readers.ts).
import { SluiceError } from '../../shared/ipc/errors';

/** The path of the issue that says it (`sluice apply` tells this refusal from a source it could not read by it). */
export const REPEATED_COLUMNS_ISSUE = 'query';

/** Each name the columns carry more than once, with its 1-based positions, in the order they first come. */
export function repeatedColumns(names: readonly string[]): { name: string; positions: number[] }[] {
  const at = new Map<string, number[]>();
  names.forEach((name, i) => at.set(name, [...(at.get(name) ?? []), i + 1]));
  return [...at].filter(([, positions]) => positions.length > 1).map(([name, positions]) => ({ name, positions }));
}

const times = (n: number) => (n === 2 ? 'twice' : `${n} times`);
const list = (ns: readonly number[]) => (ns.length === 2 ? `${ns[0]} and ${ns[1]}` : `${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]}`);

/**
 * Refuses columns that name one column twice (exactly: "id" and "ID" are two names to a row, to JSON and to a
 * template, so both are sent). `model`: its name ('' for a query not saved yet, the editor's preview).
 */
export function requireDistinctColumns(names: readonly string[], model: string): void {
  const repeated = repeatedColumns(names);
  if (repeated.length === 0) return;
  const which = model === '' ? 'The query' : `The query of model "${model}"`;
  const each = repeated.map((r) => `"${r.name}" ${times(r.positions.length)} (columns ${list(r.positions)})`).join(', ');
  // The example with the first repeated name, where it needs no quotes in SQL.
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(repeated[0]!.name) ? repeated[0]!.name : 'id';
  throw new SluiceError(
    'invalid-input',
    `${which} returns ${each}: a row holds one value per name, so only the last would be sent, in the first one's place. Give one of them another name with AS (e.g. o.${name} AS order_${name})`,
    [{ path: REPEATED_COLUMNS_ISSUE, message: `Columns of one name: ${repeated.map((r) => r.name).join(', ')}; give each but one another name with AS` }],
  );
}

/** The path of the issue of a CSV header that names a column twice (the model's source: its file). */
export const REPEATED_HEADER_ISSUE = 'source';

/** A CSV header that names a column twice (columns `first` and `second`, 1-based): a row could carry only one of them. */
export function repeatedHeaderError(file: string, name: string, first: number, second: number): SluiceError {
  return new SluiceError('invalid-input', `${file}, line 1: the header names "${name}" twice (columns ${first} and ${second}); rename one of them`, [
    { path: REPEATED_HEADER_ISSUE, message: `Header names of one column: ${name}; rename each but one in the file` },
  ]);
}

/**
 * A CSV header line the parser refuses (a stray quote in a name): no row of the file can be read as columns, as
 * with a header naming a column twice. `err` says where and why (`csvParseError`).
 */
export function unreadableHeaderError(err: SluiceError): SluiceError {
  return new SluiceError(err.code, err.message, [
    ...err.issues,
    { path: REPEATED_HEADER_ISSUE, message: 'A header line that cannot be read; fix it in the file' },
  ]);
}

/** Whether an error is `unreadableHeaderError`'s. */
export function isUnreadableHeaderError(err: unknown): err is SluiceError {
  return err instanceof SluiceError && err.issues.some((i) => i.path === REPEATED_HEADER_ISSUE && i.message.startsWith('A header line that cannot be read'));
}

/** Whether an error is a CSV header's refusal (`repeatedHeaderError`). */
export function isRepeatedHeaderError(err: unknown): err is SluiceError {
  return err instanceof SluiceError && err.issues.some((i) => i.path === REPEATED_HEADER_ISSUE && i.message.startsWith('Header names of one column: '));
}

/** Whether an error is this refusal. */
export function isRepeatedColumnsError(err: unknown): err is SluiceError {
  return err instanceof SluiceError && err.issues.some((i) => i.path === REPEATED_COLUMNS_ISSUE && i.message.startsWith('Columns of one name: '));
}
