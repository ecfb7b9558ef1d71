/**
 * Remembers every secret value Sluice has seen in this process and blanks it out of any text
 * before that text is logged, exported or sent to the renderer (Signal-style: secrets never
 * reach a log line or an error, even by accident).
 */
export const REDACTED = '[redacted]';

/**
 * Secrets this short are redacted where they stand alone (no letter or digit just before or after),
 * not inside every word: blanking each "a" of a message both mangles it and shows what the secret is.
 * Where such a secret is used it stands alone (user:a@host, password=a&, "a").
 */
const SHORT = 3;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private readonly values = new Set<string>();
  /** The values longest first (so a secret that contains another is replaced whole); rebuilt on change. */
  private ordered: (string | RegExp)[] | undefined;
  private readonly replacer = (_key: string, v: unknown): unknown => (typeof v === 'string' ? this.redact(v) : v);

  /** Register a secret value. Very short values are still redacted (where they stand alone: SHORT): a 1-char password is a password. */
  remember(value: string): void {
    if (value.length > 0 && !this.values.has(value)) {
      this.values.add(value);
      this.ordered = undefined;
    }
  }

  forget(value: string): void {
    if (this.values.delete(value)) this.ordered = undefined;
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    this.ordered ??= [...this.values]
      .sort((a, b) => b.length - a.length)
      .map((v) => (v.length > SHORT ? v : new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(v)}(?![\\p{L}\\p{N}])`, 'gu')));
    for (const value of this.ordered) {
      if (typeof value !== 'string') out = out.replace(value, REDACTED);
      else if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out;
  }

  /**
   * A JSON-like value as JSON text with every string in it redacted. Strings are redacted before
   * they are escaped, so a secret holding `"` or `\` is found too.
   */
  redactJson(value: unknown): string {
    return JSON.stringify(value ?? null, this.replacer) ?? 'null';
  }

  /** Redact every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    return JSON.parse(this.redactJson(value)) as T;
  }
}
