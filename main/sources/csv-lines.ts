/** Line breaks in a record's values: CRLF, LF or a lone CR each count once. */
function breaks(values: readonly unknown[]): number {
  let n = 0;
  for (const value of values) {
    if (typeof value !== 'string' || (value.indexOf('\n') < 0 && value.indexOf('\r') < 0)) continue;
    n += value.match(/\r\n|\r|\n/g)!.length;
  }
  return n;
}

/**
 * The line each CSV record starts on. csv-parse's `info.lines` is the line a record ends on, and counts a
 * quoted CRLF as two lines; a record's own line breaks are those in its quoted values, so counting them (and
 * the empty lines skipped before it) gives the line a user finds the row on. Only a record csv-parse saw
 * span lines has its values looked at (a record on one line, nearly every one, costs two subtractions).
 */
export class CsvLines {
  private lastLine = 0;
  private emptySeen = 0;
  /** csv-parse's `info.lines` at the record before (none before the first record). */
  private lastInfo: number | undefined;

  /** The header's fields: line 1, and its own quoted line breaks. */
  header(fields: readonly unknown[]): void {
    this.lastLine = 1 + breaks(fields);
  }

  /**
   * The line the next record starts on, `emptyLines` being csv-parse's count of skipped empty lines so far:
   * where a row the parser stopped in (an error) starts.
   */
  next(emptyLines: number): number {
    return this.lastLine + 1 + (emptyLines - this.emptySeen);
  }

  /**
   * The line the record starts on. `info`: csv-parse's `lines` (where it ends, by its count) and
   * `empty_lines` (its running count of skipped empty lines); `values`: the record's values, asked only
   * when it may span lines.
   */
  record(info: { lines: number; empty_lines: number }, values: () => readonly unknown[]): number {
    const start = this.next(info.empty_lines);
    const skipped = info.empty_lines - this.emptySeen;
    const oneLine = this.lastInfo !== undefined && info.lines - this.lastInfo - skipped <= 1;
    this.lastLine = oneLine ? start : start + breaks(values());
    this.emptySeen = info.empty_lines;
    this.lastInfo = info.lines;
    return start;
  }
}
