// A model's SQL placed inside another statement (`SELECT … FROM (<query>) AS q`): the differ's staging
// in SQLite, the PostgreSQL reader's column probe, the in-database diff. Analysts end queries with a
// semicolon, or with a line comment; either would break the statement around it.

/**
 * The query with its trailing semicolons blanked (each replaced by a space, so an error's position in
 * the query stays where it was) and a line break after it, so a line comment at its end cannot comment
 * out what follows. Semicolons and `--` inside strings (E'…' ones with their backslash escapes), quoted
 * names and comments are left alone; a
 * semicolon between two statements is too (the database then refuses the second statement by name).
 */
export function asSubquery(query: string): string {
  // Indexes of the characters outside strings, quoted names and comments that are not blank.
  const code: number[] = [];
  let i = 0;
  const skipTo = (end: string, from: number): number => {
    const at = query.indexOf(end, from);
    return at < 0 ? query.length : at + end.length;
  };
  while (i < query.length) {
    const c = query[i]!;
    const next = query[i + 1];
    if (c === '-' && next === '-') i = skipTo('\n', i + 2);
    else if (c === '/' && next === '*') i = skipTo('*/', i + 2);
    else if (c === "'") i = skipQuoted(query, i, c, isEscapeString(query, i));
    else if (c === '"' || c === '`') i = skipQuoted(query, i, c, false);
    else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(query.slice(i));
      if (tag) i = skipTo(tag[0], i + tag[0].length);
      else {
        code.push(i);
        i++;
      }
    } else {
      if (!/\s/.test(c)) code.push(i);
      i++;
    }
  }
  let out = query;
  for (let k = code.length - 1; k >= 0 && query[code[k]!] === ';'; k--) out = `${out.slice(0, code[k]!)} ${out.slice(code[k]! + 1)}`;
  return `${out}\n`;
}

/** A string opened at `at` is PostgreSQL's (and DuckDB's) E'…', where a backslash escapes the next character. */
function isEscapeString(query: string, at: number): boolean {
  return /[Ee]/.test(query[at - 1] ?? '') && !/[\p{L}\p{N}_$]/u.test(query[at - 2] ?? '');
}

/** The index after a string or quoted name opened at `start` by `quote` (a doubled quote is one inside it). */
function skipQuoted(query: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < query.length) {
    if (backslashEscapes && query[i] === '\\') i += 2;
    else if (query[i] === quote) {
      if (query[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return query.length;
}
