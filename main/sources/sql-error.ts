import { SluiceError } from '../../shared/ipc/errors';

/** Line and column (1-based) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Turns a database's SQL error into one that says where: SQLite reports the token ("near "FORM"",
 * "no such column: nme"); PostgreSQL reports a character position. Either way: line and column.
 */
export function sqlError(query: string, message: string, position?: number): SluiceError {
  let offset = position !== undefined ? position - 1 : -1;
  if (offset < 0) {
    const token = /near "([^"]+)"/.exec(message)?.[1] ?? /no such (?:column|table|function): ([\w.]+)/.exec(message)?.[1];
    if (token) offset = query.indexOf(token);
    if (offset < 0 && token?.includes('.')) offset = query.indexOf(token.split('.').pop()!);
  }
  if (offset < 0) return new SluiceError('invalid-input', `SQL error: ${message}`, [{ path: 'query', message }]);
  const { line, column } = lineAndColumn(query, offset);
  return new SluiceError('invalid-input', `SQL error at line ${line}, column ${column}: ${message}`, [
    { path: 'query', message: `line ${line}, column ${column}: ${message}` },
  ]);
}
