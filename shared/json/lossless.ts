/**
 * JSON parsed without losing numbers: every number keeps its source text (9007199254740993 stays
 * that, where JSON.parse would round it to …992). For comparing and re-printing JSON that users wrote
 * or templates rendered. Objects keep their key order in a Map.
 */
import { showInvisible } from '../format/invisible';

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | Map<string, LosslessJson>;

/** Text that is not JSON: where it first goes wrong (a character offset) and what is wrong there. */
export class JsonSyntaxError extends SyntaxError {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${reason} at position ${offset}`);
  }
}

/**
 * Parses JSON text; throws a JsonSyntaxError with the offset and a reason a person can act on. The one
 * JSON scanner of the text path (`errors.ts` reports positions with it; the byte path is `bytes.ts`).
 */
export function parseLossless(text: string): LosslessJson {
  const parser = new LosslessParser(text);
  const out = parser.value();
  parser.space();
  if (parser.i !== text.length) parser.fail(`unexpected ${describe(text, parser.i)} after the end of the JSON value`);
  return out;
}

/**
 * The first name an object of the JSON text gives twice (`{"id":1,"id":2}`: JSON.parse keeps the last without a
 * word), and the offset of its second time; null when none is, or when the text nests past `MAX_NESTING`.
 */
export function firstRepeatedName(text: string): { name: string; offset: number } | null {
  const parser = new LosslessParser(text, true);
  try {
    parser.value();
  } catch {
    return null; // (not JSON, or nested too deep: said by what reads it)
  }
  return parser.repeated;
}

/** A JSON number, where `lastIndex` says (sticky). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** How deep arrays and objects may nest: deeper, the recursive steps after parsing (and this one) would run out of stack. */
export const MAX_NESTING = 1000;

/** A recursive-descent scanner over the text, at offset `i`. */
class LosslessParser {
  i = 0;
  private depth = 0;
  /** With `findRepeated`: the first name an object gives twice (`firstRepeatedName`). */
  repeated: { name: string; offset: number } | null = null;
  constructor(
    private readonly text: string,
    private readonly findRepeated = false,
  ) {}

  fail(reason: string): never {
    throw new JsonSyntaxError(this.i, reason);
  }

  space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  value(): LosslessJson {
    this.space();
    const c = this.text[this.i];
    if (c === undefined) this.fail('the text ends where a value should be');
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_NESTING) this.fail(`arrays and objects nested deeper than ${MAX_NESTING.toLocaleString('en-US')} levels`);
      const out = c === '{' ? this.object() : this.array();
      this.depth--;
      return out;
    }
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    // (every digit: PostgreSQL writes a jsonb 1e400 as a 1 and 400 zeros)
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail(`unexpected ${describe(this.text, this.i)}`);
    this.i += m[0].length;
    return new JsonNumber(m[0]);
  }

  private literal(word: string, value: LosslessJson): LosslessJson {
    if (!this.text.startsWith(word, this.i)) this.fail(`unexpected ${describe(this.text, this.i)}`);
    this.i += word.length;
    return value;
  }

  private string(): string {
    const { text } = this;
    const start = this.i++;
    let escaped = false;
    while (this.i < text.length) {
      const c = text[this.i]!;
      if (c === '"') {
        this.i++;
        return escaped ? (JSON.parse(text.slice(start, this.i)) as string) : text.slice(start + 1, this.i - 1);
      }
      if (c === '\\') {
        escaped = true;
        this.escape();
        continue;
      }
      if (c.charCodeAt(0) < 0x20) this.fail('a line break or control character inside a string');
      this.i++;
    }
    return this.fail('a string that is never closed');
  }

  /** A backslash escape at `i`: `\uXXXX` or one of `"\/bfnrt`. */
  private escape(): void {
    const e = this.text[this.i + 1];
    if (e === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) this.fail('bad \\u escape in a string');
      this.i += 6;
    } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
    else this.fail('bad escape in a string');
  }

  private object(): Map<string, LosslessJson> {
    const { text } = this;
    this.i++;
    const out = new Map<string, LosslessJson>();
    this.space();
    if (text[this.i] === '}') return (this.i++, out);
    for (;;) {
      this.space();
      if (text[this.i] !== '"') this.fail(`expected a "quoted" key, found ${describe(text, this.i)}`);
      const at = this.i;
      const key = this.string();
      if (this.findRepeated && this.repeated === null && out.has(key)) this.repeated = { name: key, offset: at };
      this.space();
      if (text[this.i] !== ':') this.fail(`expected ":" after the key, found ${describe(text, this.i)}`);
      this.i++;
      out.set(key, this.value());
      this.space();
      if (text[this.i] === ',') this.i++;
      else if (text[this.i] === '}') return (this.i++, out);
      else this.fail(`expected "," or "}", found ${describe(text, this.i)}`);
    }
  }

  private array(): LosslessJson[] {
    const { text } = this;
    this.i++;
    const out: LosslessJson[] = [];
    this.space();
    if (text[this.i] === ']') return (this.i++, out);
    for (;;) {
      out.push(this.value());
      this.space();
      if (text[this.i] === ',') this.i++;
      else if (text[this.i] === ']') return (this.i++, out);
      else this.fail(`expected "," or "]", found ${describe(text, this.i)}`);
    }
  }
}

/** The token at i, quoted, for an error message. */
function describe(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  // A byte-order mark where a line starts (files joined together, the second one's mark kept) read 'unexpected "" '.
  if (text[i] === '\uFEFF') return 'byte-order mark (U+FEFF)';
  const word = /^[^\s,:{}[\]"]+/.exec(text.slice(i))?.[0];
  return `"${showInvisible(word ? word.slice(0, 20) : text[i]!)}"`;
}

/** Two numbers are the same when their text is, or when they are equal and exactly representable. */
export function sameNumber(a: JsonNumber, b: JsonNumber): boolean {
  if (a.text === b.text) return true;
  const x = Number(a.text);
  const y = Number(b.text);
  const exact = (n: JsonNumber, v: number) => !/^-?\d+$/.test(n.text) || Number.isSafeInteger(v);
  return x === y && exact(a, x) && exact(b, y);
}

/** JSON text for a parsed value, numbers as written; `indent` spaces per level (0: minified). */
export function stringifyLossless(value: LosslessJson, indent = 0): string {
  const nl = (depth: number) => (indent ? `\n${' '.repeat(indent * depth)}` : '');
  const print = (v: LosslessJson, depth: number): string => {
    if (v instanceof JsonNumber) return v.text;
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map((x) => nl(depth + 1) + print(x, depth + 1)).join(',')}${nl(depth)}]`;
    if (v instanceof Map)
      return v.size === 0
        ? '{}'
        : `{${[...v].map(([k, x]) => `${nl(depth + 1)}${JSON.stringify(k)}:${indent ? ' ' : ''}${print(x, depth + 1)}`).join(',')}${nl(depth)}}`;
    return JSON.stringify(v);
  };
  return print(value, 0);
}
