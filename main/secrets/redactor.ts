/**
 * Remembers every secret value Sluice has seen in this process and blanks it out of any text
 * before that text is logged, exported or sent to the renderer (Signal-style: secrets never
 * reach a log line or an error, even by accident).
 */
export const REDACTED = '[redacted]';

export class Redactor {
  private readonly values = new Set<string>();

  /** Register a secret value. Very short values are still redacted: a 1-char password is a password. */
  remember(value: string): void {
    if (value.length > 0) this.values.add(value);
  }

  forget(value: string): void {
    this.values.delete(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    const ordered = [...this.values].sort((a, b) => b.length - a.length);
    for (const value of ordered) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out;
  }

  /** Redact every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T;
  }
}
