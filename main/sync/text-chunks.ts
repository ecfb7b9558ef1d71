// Many strings sent to another thread as a few: joined into texts of at most CHUNK_CHARS characters
// each (one string per value cost a clone each; one string of them all can pass V8's limit of about
// 2^29 characters — 2,000 rows of 300 KB). A value is never split between texts.

/** The most characters a text holds, unless one value alone is longer. */
export const CHUNK_CHARS = 32 * 1024 * 1024;

/** Joins values, in order, into texts of at most `chunk` characters. */
export class TextChunks {
  private readonly texts: string[] = [];
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly chunk = CHUNK_CHARS) {}

  add(value: string): void {
    if (this.chars > 0 && this.chars + value.length > this.chunk) this.cut();
    this.parts.push(value);
    this.chars += value.length;
  }

  /** The texts (the values joined, cut between values). */
  finish(): string[] {
    if (this.parts.length > 0) this.cut();
    return this.texts;
  }

  private cut(): void {
    this.texts.push(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
  }
}

/** Reads back, in order, the values TextChunks joined, given each one's length. */
export class TextReader {
  private text = 0;
  private at = 0;

  constructor(private readonly texts: readonly string[]) {}

  next(length: number): string {
    if (length === 0) return '';
    // (a value is never split: one that does not start in this text starts the next)
    while (this.text < this.texts.length - 1 && this.at >= this.texts[this.text]!.length) {
      this.text++;
      this.at = 0;
    }
    const value = this.texts[this.text]?.slice(this.at, this.at + length) ?? '';
    this.at += length;
    return value;
  }
}
