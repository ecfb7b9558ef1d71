const DELIMITERS: readonly [string, string][] = [
  [',', 'Comma ,'],
  [';', 'Semicolon ;'],
  ['\t', 'Tab'],
  ['|', 'Pipe |'],
];

/**
 * When a model's one column has a delimiter in its name ("id,name,city"), the words that say why: a CSV
 * source whose delimiter is not the file's reads each line as one value. Empty otherwise.
 */
export function delimiterHint(columns: readonly string[]): string {
  if (columns.length !== 1) return '';
  const found = DELIMITERS.find(([d]) => columns[0]!.includes(d));
  return found ? `. The model has one column, its header's whole line: if it reads a CSV file, set its source's delimiter to the file's (${found[1]})` : '';
}
