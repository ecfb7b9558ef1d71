/** Line breaks in a value: CRLF, LF or a lone CR each count once. */
function breaks(value: unknown): number {
  return typeof value === 'string' ? (value.match(/\r\n|\r|\n/g)?.length ?? 0) : 0;
}

/**
 * The line each CSV record starts on. csv-parse's `info.lines` is the line a record ends on, and counts a
 * quoted CRLF as two lines; a record's own line breaks are those in its quoted values, so counting them (and
 * the empty lines skipped before it) gives the line a user finds the row on.
 */
export class CsvLines {
  private lastLine = 0;
  private emptySeen = 0;

  /** The header's fields: line 1, and its own quoted line breaks. */
  header(fields: readonly unknown[]): void {
    this.lastLine = 1 + fields.reduce<number>((n, f) => n + breaks(f), 0);
  }

  /** The line the record starts on; `emptyLines` is csv-parse's running count of skipped empty lines. */
  record(values: readonly unknown[], emptyLines: number): number {
    const start = this.lastLine + 1 + (emptyLines - this.emptySeen);
    this.emptySeen = emptyLines;
    this.lastLine = start + values.reduce<number>((n, v) => n + breaks(v), 0);
    return start;
  }
}
