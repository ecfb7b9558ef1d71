// Option and argument parsers shared by the CLI's verbs: numbers are checked where they are typed, so
// `--retry-failed abc` or `--limit 10x` is refused with a clear message (exit 1) instead of becoming NaN.
import { InvalidArgumentError } from 'commander';

export interface WholeNumberRange {
  /** Smallest accepted value (default 1). */
  min?: number;
  /** Largest accepted value (default: none). */
  max?: number;
}

function rangeText(min: number, max: number | undefined): string {
  if (max !== undefined) return `from ${min} to ${max}`;
  return min === 1 ? 'greater than 0' : min === 0 ? 'of 0 or more' : `of at least ${min}`;
}

/**
 * Parses a whole number typed on the command line: digits only (no sign, decimals, exponent or
 * trailing text, so "12abc" is refused rather than read as 12), within the range. Use it for every
 * numeric option and argument; `what` names the value in the message ("A run id", "--limit").
 */
export function parseWholeNumber(text: string, what: string, range: WholeNumberRange = {}): number {
  const min = range.min ?? 1;
  const trimmed = text.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || (range.max !== undefined && n > range.max)) {
    throw new InvalidArgumentError(`${what} must be a whole number ${rangeText(min, range.max)} (got "${text}").`);
  }
  return n;
}

/** A commander parser for one whole number. */
export function wholeNumber(what: string, range: WholeNumberRange = {}): (text: string) => number {
  return (text) => parseWholeNumber(text, what, range);
}

/** A commander parser for whole numbers given comma-separated or by repeating the option. */
export function wholeNumberList(what: string, range: WholeNumberRange = {}): (text: string, previous?: number[]) => number[] {
  return (text, previous = []) => [
    ...previous,
    ...text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseWholeNumber(s, what, range)),
  ];
}

/** A run id (`--retry-failed`, `--run`, `sluice ledger RUN_ID`). */
export const runIdArgument = wholeNumber('A run id');

/** Quotes a name for a command line the user can paste (names may contain spaces). */
export function shellArg(text: string): string {
  return /^[A-Za-z0-9._/:=@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
