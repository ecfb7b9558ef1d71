/**
 * JSON parsed without losing numbers: every number keeps its source text (9007199254740993 stays
 * that, where JSON.parse would round it to …992). For comparing and re-printing JSON that users wrote
 * or templates rendered. Objects keep their key order in a Map.
 */

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
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntaxError(i, reason);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string, value: LosslessJson): LosslessJson => {
    if (!text.startsWith(word, i)) fail(`unexpected ${describe(text, i)}`);
    i += word.length;
    return value;
  };
  const string = (): string => {
    const start = i++;
    let escaped = false;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
      }
      if (c === '\\') {
        escaped = true;
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('bad escape in a string');
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('a line break or control character inside a string');
      i++;
    }
    return fail('a string that is never closed');
  };
  const object = (): Map<string, LosslessJson> => {
    i++;
    const out = new Map<string, LosslessJson>();
    space();
    if (text[i] === '}') return (i++, out);
    for (;;) {
      space();
      if (text[i] !== '"') fail(`expected a "quoted" key, found ${describe(text, i)}`);
      const key = string();
      space();
      if (text[i] !== ':') fail(`expected ":" after the key, found ${describe(text, i)}`);
      i++;
      out.set(key, value());
      space();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return (i++, out);
      else fail(`expected "," or "}", found ${describe(text, i)}`);
    }
  };
  const array = (): LosslessJson[] => {
    i++;
    const out: LosslessJson[] = [];
    space();
    if (text[i] === ']') return (i++, out);
    for (;;) {
      out.push(value());
      space();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return (i++, out);
      else fail(`expected "," or "]", found ${describe(text, i)}`);
    }
  };
  const value = (): LosslessJson => {
    space();
    const c = text[i];
    if (c === undefined) fail('the text ends where a value should be');
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail(`unexpected ${describe(text, i)}`);
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const out = value();
  space();
  if (i !== text.length) fail(`unexpected ${describe(text, i)} after the end of the JSON value`);
  return out;
}

/** The token at i, quoted, for an error message. */
function describe(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  const word = /^[^\s,:{}[\]"]+/.exec(text.slice(i))?.[0];
  return word ? `"${word.slice(0, 20)}"` : `"${text[i]}"`;
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
