/**
 * JSON parsed without losing numbers: every number keeps its source text (9007199254740993 stays
 * that, where JSON.parse would round it to …992). For comparing and re-printing JSON that users wrote
 * or templates rendered. Objects keep their key order in a Map.
 */

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | Map<string, LosslessJson>;

/** Parses JSON text; throws a SyntaxError (with the offset) for text that is not JSON. */
export function parseLossless(text: string): LosslessJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string, value: LosslessJson): LosslessJson => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail('Unexpected token');
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('Unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): LosslessJson => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const out = new Map<string, LosslessJson>();
      space();
      if (text[i] === '}') return i++, out;
      for (;;) {
        space();
        if (text[i] !== '"') fail('Expected a property name');
        const key = string();
        space();
        if (text[i++] !== ':') fail('Expected ":"');
        out.set(key, value());
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, out;
        else fail('Expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const out: LosslessJson[] = [];
      space();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value());
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, out;
        else fail('Expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('Unexpected token');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const out = value();
  space();
  if (i !== text.length) fail('Unexpected text after the JSON value');
  return out;
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
    if (v instanceof Map) return v.size === 0 ? '{}' : `{${[...v].map(([k, x]) => `${nl(depth + 1)}${JSON.stringify(k)}:${indent ? ' ' : ''}${print(x, depth + 1)}`).join(',')}${nl(depth)}}`;
    return JSON.stringify(v);
  };
  return print(value, 0);
}
