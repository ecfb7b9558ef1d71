import { Transform, type TransformCallback } from 'node:stream';
import { SluiceError } from '../../shared/ipc/errors';
import { lineAt } from './utf8-check';

/** The longest line an NDJSON file may have: far past any record a destination takes (1 MiB), well within a string's. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** The refusal of a file whose line starting at `offset` is longer than `MAX_LINE_BYTES`, naming the line and what to do. */
export function longLineError(file: string, offset: number): SluiceError {
  const line = lineAt(file, offset);
  const where = line === null ? `the line at byte ${offset + 1}` : `line ${line}`;
  const why = `longer than 64 MiB: each line of an NDJSON file is one row, a JSON object (a JSON array or an indented document is not NDJSON; a DuckDB source reads those)`;
  return new SluiceError('invalid-input', `${file}, ${where} is ${why}`, [{ path: 'path', message: `${where} is ${why}` }]);
}

/**
 * Passes a file's bytes on unchanged, failing with `longLineError` once a line passes `MAX_LINE_BYTES`:
 * read whole, a line past a string's length (a 600 MB JSON array on one line) failed the read with
 * "Invalid string length", said as an unexpected error. Looks only at each chunk's first and last line break.
 */
export class LineLengthCheck extends Transform {
  /** The bytes of the line being read (since the last line break), and where it starts in the file. */
  private length = 0;
  private start = 0;

  // (no other limit: a line within one chunk, between its first and last line break, is not measured)
  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const first = chunk.indexOf(10);
    if ((first < 0 ? this.length + chunk.length : this.length + first) > MAX_LINE_BYTES) {
      done(longLineError(this.file, this.start));
      return;
    }
    if (first < 0) this.length += chunk.length;
    else {
      const last = chunk.lastIndexOf(10);
      this.start += this.length + last + 1;
      this.length = chunk.length - last - 1;
    }
    done(null, chunk);
  }
}
