import { SluiceError } from '../../shared/ipc/errors';

/** What csv-parse's errors carry (its `CsvError`: a code, and the parser's state where it stopped). */
interface CsvParseError extends Error {
  code?: string;
  /** The record's fields so far (a row whose count of fields is not the header's). */
  record?: unknown[];
  /** The column the parser was in: its name once the header is read, else its index. */
  column?: string | number | null;
  /** The field being read, so far. */
  field?: string;
}

const DELIMITER_WORDS: Record<string, string> = { ',': 'a comma', ';': 'a semicolon', '\t': 'a tab', '|': 'a pipe (|)' };

function delimiterWords(delimiter: string): string {
  return DELIMITER_WORDS[delimiter] ?? `the delimiter "${delimiter}"`;
}

/** "the column "name"" or "column 3", where the parser stopped. */
function columnWords(err: CsvParseError): string {
  if (typeof err.column === 'string') return `the column "${err.column}"`;
  if (typeof err.column === 'number') return `column ${err.column + 1}`;
  return 'a value';
}

/** The header's names as a short list: "id, name, city" (the first 8, then how many more). */
function headerList(header: readonly string[]): string {
  const shown = header.slice(0, 8).join(', ');
  return header.length > 8 ? `${shown} and ${header.length - 8} more` : shown;
}

function countWords(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Why the row is not one value per column, and what to change. */
function fieldCountWords(err: CsvParseError, header: readonly string[], delimiter: string): string {
  const got = err.record?.length ?? 0;
  const has = `this row has ${countWords(got, 'value')} but the header (line 1) has ${countWords(header.length, 'column')} (${headerList(header)})`;
  const d = delimiterWords(delimiter);
  return got > header.length
    ? `${has}: a value that holds ${d} must be in double quotes ("…"), or the row has a value too many`
    : `${has}: give every column a value (an empty one is null)`;
}

/**
 * A CSV file csv-parse could not read, in words a user can act on: the file, the line the row starts on
 * (`line`, counted as a person counts them), what is wrong and how to mend it; never the parser's own words
 * ("Invalid Record Length: columns length is 2, got 3 on line 189543").
 */
export function csvParseError(file: string, line: number, err: unknown, header: readonly string[], delimiter: string): SluiceError {
  const e = err as CsvParseError;
  const at = `${file}, line ${line}`;
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return new SluiceError('invalid-input', `${at}: ${fieldCountWords(e, header, delimiter)}`);
    case 'CSV_QUOTE_NOT_CLOSED':
      return new SluiceError(
        'invalid-input',
        `${at}: a quoted value (in ${columnWords(e)}) starts on this row and is never closed, so the rest of the file is read as that value; end it with a quote (") and write each quote inside it twice ("")`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const after = /got "(.*?)" at line/.exec(e.message)?.[1];
      return new SluiceError(
        'invalid-input',
        `${at}: in ${columnWords(e)}, a quoted value's closing quote is followed by ${after ? `"${after}"` : 'more text'} instead of the delimiter or the end of the line; write each quote inside a quoted value twice ("")`,
      );
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_OPENING_QUOTE':
      return new SluiceError(
        'invalid-input',
        `${at}: in ${columnWords(e)}, a quote (") comes after the value's start${e.field ? ` ("${e.field}…")` : ''}; put the whole value in quotes and write each quote inside it twice ("")`,
      );
    case 'CSV_MAX_RECORD_SIZE':
      // (csv-parse does not say whether it was in quotes: both causes are said)
      return new SluiceError(
        'invalid-input',
        `${at}: the row runs on past 64 MiB (in ${columnWords(e)}): is a quoted value left open (end it with a quote ", and write each quote inside it twice "")? A CSV file has a line break after each row and ${delimiterWords(delimiter)} between its values`,
      );
    default:
      return new SluiceError('invalid-input', `${at}: not readable as CSV (${e.message.replace(/ (?:at|on) line \d+/, '')})`);
  }
}
