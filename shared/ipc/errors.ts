import type { z } from 'zod';
/**
 * Errors that cross the process boundary. Handlers throw `SluiceError`; adapters send its
 * `WireError` form; the renderer client turns it back into a `SluiceError`.
 */
/** `unavailable`: a destination or source that could not be reached, or did not answer (its words say which and why). */
export const ERROR_CODES = [
  'invalid-input',
  'unknown-channel',
  'forbidden-sender',
  'not-found',
  'conflict',
  'keychain-unavailable',
  'unavailable',
  /** The caller gave the request up while it waited (a test record's Cancel). */
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `debuggerRetentionDays` or `brokers.0`. Empty for the whole input. */
  path: string;
  message: string;
}

/** A schema's complaints as field issues (`brokers.0`: "…"), for any input checked against the contract. */
export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export interface WireError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  /** `options.cause`: the error it words (kept on this side of the process boundary only, never sent). */
  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'SluiceError';
    this.code = code;
    this.issues = issues;
  }

  toWire(): WireError {
    return this.issues.length > 0 ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromWire(error: WireError): SluiceError {
    return new SluiceError(error.code, error.message, error.issues ?? []);
  }
}

/**
 * One readable sentence for people: the message, then each field issue, its field named by `label` (the
 * app's labels: "Start offset"), else by its path as the CLI's files write it (`brokers[0]`).
 */
export function describeError(error: WireError, label?: (path: string) => string): string {
  if (!error.issues || error.issues.length === 0) return error.message;
  const details = readableIssues(error.issues, label).map((i) => (i.field ? `${i.field}: ${i.message}` : i.message));
  return `${error.message} — ${details.join('; ')}`;
}

/**
 * Issues as people read them: the first problem of each field (an empty name is "required", not also
 * "starts with a letter"), its field named by `label` in words (the app's: "Broker 1") or else by `fieldWords`
 * (`brokers[0]`, the CLI's); `path`: whether that is a path (shown as code) or words.
 * A field whose problems name it themselves (a rename's new name: "The new name is required"; "Limit must be …";
 * "Broker 2 (h:0): …" with the app's words) is not named again.
 */
export function readableIssues(
  issues: readonly { path: string; message: string }[],
  label?: (path: string) => string,
): { field: string; path: boolean; message: string }[] {
  const seen = new Set<string>();
  return issues.flatMap((i) => {
    if (i.path && seen.has(i.path)) return [];
    if (i.path) seen.add(i.path);
    const words = label && i.path ? label(i.path) : null;
    // A message that starts with its field's words ("Broker 2 (h:0): …") says them once.
    if (!i.path || namesItself(i) || (words && i.message.startsWith(words))) return [{ field: '', path: false, message: i.message }];
    return [words ? { field: words, path: false, message: i.message } : { field: fieldWords(i.path), path: true, message: i.message }];
  });
}

/** Input fields that are no key of the YAML or a form, whose schema's messages name them in words (a rename's `to` and `newName`: "The new name …", the inspector's `waitMs`: "Listen for new records from 0 to 20 seconds"). */
const SELF_NAMED = new Set(['to', 'newName', 'waitMs']);

/** Whether the message already says its field: one of SELF_NAMED, or a top-level field its message starts with ("limit": "Limit must be …"). */
function namesItself(i: { path: string; message: string }): boolean {
  return SELF_NAMED.has(i.path) || (i.path !== '' && !i.path.includes('.') && i.message.toLowerCase().startsWith(`${i.path.toLowerCase()} `));
}

/** A field's path as people read it: a list's place in brackets (brokers[0], as `sluice apply` writes YAML paths). */
export function fieldWords(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}
