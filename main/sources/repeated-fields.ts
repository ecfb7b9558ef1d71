// An NDJSON line that gives a field twice (`{"id":1,"id":2}`): JSON.parse keeps the last value without a word,
// so the row was read, keyed and sent with it. A JSON object with a name twice is ambiguous (RFC 8259: names
// SHOULD be unique), so the file is refused, as a CSV header naming a column twice is (file-readers.ts).
import { firstRepeatedName } from '../../shared/json/lossless';
import { SluiceError } from '../../shared/ipc/errors';

/** A `\u003a` escape (any case): a colon a string holds that the line's text does not show as one. */
const ESCAPED_COLON = /\\u003a/i;

function colonsIn(text: string): number {
  let n = 0;
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', at + 1)) n++;
  return n;
}

/** Adds the member names of `value`'s objects (at any depth) and the colons of its strings, names included. */
function tally(value: unknown, into: { names: number; colons: number }): void {
  if (typeof value === 'string') {
    into.colons += colonsIn(value);
  } else if (Array.isArray(value)) {
    for (const v of value) tally(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const name in value) {
      into.names++;
      into.colons += colonsIn(name);
      tally((value as Record<string, unknown>)[name], into);
    }
  }
}

/**
 * Refuses a line (`value`, as JSON.parse made it from `line`) that gives a field twice, naming it and where.
 * Cheap: outside strings, the line holds one colon per member it writes, so when its colons, less those its
 * strings hold, are no more than the names `value` kept, none was dropped; only a line that may have dropped
 * one (or holds a `\u003a` escape, a colon the text does not show) is scanned again (`firstRepeatedName`).
 */
export function requireDistinctFields(file: string, lineNumber: number, line: string, value: unknown): void {
  const kept = { names: 0, colons: 0 };
  tally(value, kept);
  if (colonsIn(line) - kept.colons <= kept.names && !ESCAPED_COLON.test(line)) return;
  const repeated = firstRepeatedName(line);
  if (repeated === null) return;
  throw new SluiceError(
    'invalid-input',
    `${file}, line ${lineNumber} gives the field "${repeated.name}" twice (again at column ${repeated.offset + 1}): a row holds one value per name, so only the last would be sent, without a word. Remove or rename one of them`,
    [{ path: 'path', message: `line ${lineNumber} gives the field "${repeated.name}" twice` }],
  );
}
