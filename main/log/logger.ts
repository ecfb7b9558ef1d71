import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from '../secrets/redactor';
import { toRedactedJson } from './redacted-json';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** The last lines of the log (the current file, then the rotated ones), already redacted. */
  tail(lines: number): string[];
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A failed log write is told on stderr once per process, not once per line. */
let logFailureNoticed = false;

/** sluice.log is rotated before it grows past this size… */
export const LOG_MAX_BYTES = 10 * 1024 * 1024;
/** …keeping this many files: sluice.log, sluice.log.1, sluice.log.2 (the oldest is dropped). */
export const LOG_FILES = 3;

export interface LogRotation {
  maxBytes?: number;
  files?: number;
}

/** How much of a file `tail` reads per step, from the end backwards. */
const TAIL_CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * JSON-lines log in `<workspace>/logs/sluice.log`. Every line's strings go through the redactor
 * before they are JSON-escaped (so a secret holding `"`, `\` or a newline is found as typed), and
 * the line once more as written. The file is rotated at `LOG_MAX_BYTES` (sluice.log → sluice.log.1
 * → sluice.log.2); `tail` reads only the end of the files.
 */
export class FileLogger implements Logger {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly files: number;
  /** This process's idea of the current file's size (re-read from disk before rotating). */
  private size: number;

  constructor(
    logDir: string,
    private readonly redactor: Redactor,
    private readonly minLevel: LogLevel = 'info',
    private readonly echo: ((line: string) => void) | undefined = undefined,
    rotation: LogRotation = {},
  ) {
    fs.mkdirSync(logDir, { recursive: true });
    this.file = path.join(logDir, 'sluice.log');
    this.maxBytes = rotation.maxBytes ?? LOG_MAX_BYTES;
    this.files = Math.max(1, rotation.files ?? LOG_FILES);
    this.size = fileSize(this.file);
  }

  debug(event: string, fields?: LogFields): void {
    this.write('debug', event, fields);
  }
  info(event: string, fields?: LogFields): void {
    this.write('info', event, fields);
  }
  warn(event: string, fields?: LogFields): void {
    this.write('warn', event, fields);
  }
  error(event: string, fields?: LogFields): void {
    this.write('error', event, fields);
  }

  tail(lines: number): string[] {
    if (lines <= 0) return [];
    const found: string[] = [];
    for (let i = 0; i < this.files && found.length < lines; i++) {
      found.unshift(...lastLines(this.rotated(i), lines - found.length));
    }
    return found.map((line) => this.redactLine(line));
  }

  /**
   * Never throws: log calls come from timers and event handlers, where a full disk (ENOSPC) or a
   * permission problem (EACCES) would crash the process. A line that cannot be appended is dropped
   * (said once per process on stderr) and the next line is tried again; a rotation that fails keeps
   * the line in sluice.log, which then grows past its size until rotating works again.
   */
  private write(level: LogLevel, event: string, fields?: LogFields): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    let line: string;
    try {
      line = toRedactedJson({ time: new Date().toISOString(), level, event, ...fields }, this.redactor);
    } catch (err) {
      this.failed('write', err);
      return;
    }
    const bytes = Buffer.byteLength(line) + 1;
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      try {
        this.rotate(bytes);
      } catch (err) {
        this.failed('rotate', err);
      }
    }
    try {
      fs.appendFileSync(this.file, line + '\n');
      this.size += bytes;
    } catch (err) {
      this.failed('write', err);
    }
    try {
      this.echo?.(line);
    } catch {
      // The terminal's copy is best effort too.
    }
  }

  /** The one notice per process that the log is not being written as it should (a line dropped, or the file not rotated). */
  private failed(what: 'write' | 'rotate', err: unknown): void {
    if (logFailureNoticed) return;
    logFailureNoticed = true;
    const reason = err instanceof Error ? err.message : String(err);
    const text =
      what === 'write'
        ? `Sluice could not write to its log ${this.file} (${reason}): the line was dropped, and each later line is tried again (said once).`
        : `Sluice could not rotate its log ${this.file} (${reason}): it keeps writing to it past ${this.maxBytes} bytes, and tries again with each later line (said once).`;
    try {
      process.stderr.write(`${this.redactor.redact(text).replace(/\n/g, ' ')}\n`);
    } catch {
      // Nowhere left to say it.
    }
  }

  /** sluice.log.N-1 → sluice.log.N … sluice.log → sluice.log.1; the oldest is overwritten. */
  private rotate(incoming: number): void {
    // Another Sluice process on this workspace may have rotated already.
    this.size = fileSize(this.file);
    if (this.size === 0 || this.size + incoming <= this.maxBytes) return;
    if (this.files === 1) {
      fs.truncateSync(this.file, 0);
    } else {
      for (let i = this.files - 1; i >= 1; i--) {
        try {
          fs.renameSync(this.rotated(i - 1), this.rotated(i));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    }
    this.size = 0;
  }

  private rotated(n: number): string {
    return n === 0 ? this.file : `${this.file}.${n}`;
  }

  /**
   * Redacted again as it is read, for secrets learnt after the line was written: a line with JSON
   * escapes is parsed and its strings redacted before escaping, as `write` does.
   */
  private redactLine(line: string): string {
    if (!line.includes('\\')) return this.redactor.redact(line);
    try {
      return toRedactedJson(JSON.parse(line) as unknown, this.redactor);
    } catch {
      return this.redactor.redact(line);
    }
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last `count` non-empty lines of `file` (oldest first), reading backwards from its end only as far as needed. */
function lastLines(file: string, count: number): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const chunks: Buffer[] = [];
    let position = fs.fstatSync(fd).size;
    let newlines = 0;
    // count + 1 newlines: the one before the first wanted line too (plus one for a final newline).
    while (position > 0 && newlines <= count + 1) {
      const length = Math.min(TAIL_CHUNK, position);
      position -= length;
      const chunk = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, chunk, done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      for (let i = 0; i < done; i++) if (chunk[i] === NEWLINE) newlines++;
      chunks.unshift(chunk.subarray(0, done));
    }
    // A newline byte never occurs inside a multi-byte UTF-8 character, so splitting the bytes is safe;
    // a character cut at the start of the first chunk is in the partial first line, dropped below.
    const parts = Buffer.concat(chunks).toString('utf8').split('\n');
    if (position > 0) parts.shift();
    return parts.filter((line) => line.length > 0).slice(-count);
  } finally {
    fs.closeSync(fd);
  }
}
