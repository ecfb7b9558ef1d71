import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { SluiceError } from '../../shared/ipc/errors';

/**
 * How many bytes at the end of `b` begin a character the next chunk completes (0 to 3): held back, so a
 * character split between two chunks is checked whole.
 */
function incompleteTail(b: Buffer): number {
  for (let i = 1; i <= Math.min(3, b.length); i++) {
    const c = b[b.length - i]!;
    if (c < 0x80) return 0;
    if (c >= 0xc0) {
      const length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return length > i ? i : 0;
    }
  }
  return 0;
}

/** The offset of the first byte of `b` that does not start a whole UTF-8 character (`b.length` when every one does). */
export function firstNotUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const length = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (length === 0 || !isUtf8(b.subarray(i, i + length))) return i;
    i += length;
  }
  return b.length;
}

/** The line (1-based) of the file's byte at `offset`: its line breaks before it, read again (only when the file is refused). */
export function lineAt(file: string, offset: number): number | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(64 * 1024);
    let line = 1;
    for (let pos = 0; pos < offset;) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
      if (n === 0) break;
      for (let at = buf.indexOf(10); at >= 0 && at < n; at = buf.indexOf(10, at + 1)) line++;
      pos += n;
    }
    return line;
  } catch {
    return null; // (the file gone meanwhile: said without its line)
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The refusal of a file whose byte at `offset` is not UTF-8, naming the line, the byte and what to do. */
export function notUtf8Error(file: string, offset: number, byte: number | undefined): SluiceError {
  const line = lineAt(file, offset);
  const where = line === null ? `byte ${offset + 1}` : `line ${line}`;
  const what = byte === undefined ? 'a character cut short' : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const why = `not UTF-8 text (${what}; e.g. a file saved as Latin-1, Windows-1252 or UTF-16): re-save it as UTF-8`;
  return new SluiceError('invalid-input', `${file}, ${where} is ${why}`, [{ path: 'path', message: `${where} is ${why}` }]);
}

/** A `\uD800`–`\uDFFF` escape (any case): a line that holds none cannot hold a lone surrogate, and is not looked at again. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** The first string (a name or a value, at any depth) of `value` holding half of a UTF-16 pair alone, if any. */
function firstIllFormed(value: unknown): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : value;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const bad = (typeof k === 'string' ? firstIllFormed(k) : undefined) ?? firstIllFormed(v);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/**
 * Refuses a JSON line (`value`, as parsed from `line`) whose string holds a lone surrogate escape (`"\ud800"`):
 * as UTF-8 it becomes U+FFFD, so the key sent (EF BF BD) is not the key staged, and the row was sent again
 * on every run. Only a line holding such an escape is looked at (`SURROGATE_ESCAPE`).
 */
export function requireWellFormedLine(file: string, lineNumber: number, line: string, value: unknown): void {
  if (!SURROGATE_ESCAPE.test(line)) return;
  const bad = firstIllFormed(value);
  if (bad === undefined) return;
  const unit = [...bad].find((c) => c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdfff) ?? '\ud800';
  const escape = `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const why = `not UTF-8 text (the escape ${escape} is half of a UTF-16 surrogate pair, alone; no character is written so): write the whole pair or the character itself, or remove the escape`;
  throw new SluiceError('invalid-input', `${file}, line ${lineNumber} is ${why}`, [{ path: 'path', message: `line ${lineNumber} is ${why}` }]);
}

/**
 * Passes a file's bytes on unchanged, failing with `notUtf8Error` at the first byte that is not UTF-8:
 * decoded as it is, each such byte would become U+FFFD and be sent so, without a word.
 */
export class Utf8Check extends Transform {
  private held: Buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const whole = data.length - incompleteTail(data);
    const checked = data.subarray(0, whole);
    if (!isUtf8(checked)) {
      const bad = firstNotUtf8(checked);
      done(notUtf8Error(this.file, this.offset + bad, checked[bad]));
      return;
    }
    this.offset += whole;
    this.held = Buffer.from(data.subarray(whole));
    done(null, checked);
  }

  override _flush(done: TransformCallback): void {
    if (this.held.length > 0) done(notUtf8Error(this.file, this.offset, this.held[0]));
    else done();
  }
}
