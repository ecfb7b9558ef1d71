import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from '../secrets/redactor';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** The last lines of the current log file, already redacted. */
  tail(lines: number): string[];
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * JSON-lines log in `<workspace>/logs/sluice.log`. Every line goes through the redactor before
 * it is written, so a secret that slipped into a message or a stack trace never reaches disk.
 */
export class FileLogger implements Logger {
  readonly file: string;

  constructor(
    logDir: string,
    private readonly redactor: Redactor,
    private readonly minLevel: LogLevel = 'info',
    private readonly echo: ((line: string) => void) | undefined = undefined,
  ) {
    fs.mkdirSync(logDir, { recursive: true });
    this.file = path.join(logDir, 'sluice.log');
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
    if (!fs.existsSync(this.file)) return [];
    const all = fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    return all.slice(-lines).map((line) => this.redactor.redact(line));
  }

  private write(level: LogLevel, event: string, fields?: LogFields): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    const line = this.redactor.redact(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
    fs.appendFileSync(this.file, line + '\n');
    this.echo?.(line);
  }
}
