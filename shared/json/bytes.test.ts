import { describe, expect, it } from 'vitest';
import { minifyJsonBytesIfValid } from './bytes';
import { minifyJson } from './minify';
import { describeJsonError, findJsonError } from './errors';
import { JsonSyntaxError, parseLossless, stringifyLossless } from './lossless';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the byte path makes of a text: its minified text, or null when it refuses it. */
function viaBytes(text: string): string | null {
  const bytes = encoder.encode(text);
  const n = minifyJsonBytesIfValid(bytes);
  return n < 0 ? null : decoder.decode(bytes.subarray(0, n));
}

/** What JSON.parse + minifyJson make of it. */
function viaText(text: string): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  return minifyJson(text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, ''));
}

const CASES = [
  '{}',
  '[]',
  ' { } ',
  '{"a":1}',
  '{ "a" : [ 1 , 2 , { "b" : null } ] }\n',
  '"x"',
  '0',
  '-0',
  '-0.5e-7',
  '1E+2',
  'true',
  'false',
  'null',
  '"\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t"',
  '"Ünïcode ✓ 🎉"',
  '"\u2028"',
  '12345678901234567890',
  '{"a b": "c d", "e": "  "}',
  // refused
  '',
  ' ',
  '{',
  '}',
  '[1,]',
  '{"a":1,}',
  '{"a" 1}',
  '{1:2}',
  '[1 2]',
  '01',
  '1.',
  '.5',
  '1e',
  '1e+',
  '+1',
  '--1',
  'tru',
  'nul',
  'True',
  '"abc',
  '"\\x"',
  '"\\u12G4"',
  '"\\u12"',
  '"a\tb"',
  '"a\nb"',
  '\uFEFF{}',
  '\u00a0{}',
  '{} {}',
  '[]]',
  '[[]',
  '{"a":1}}',
  "{'a':1}",
  'NaN',
  'Infinity',
  '{"a":}',
  '[,1]',
  '{,}',
  '"\\',
  '"\\u',
];

describe('JSON: the byte path (check and minify in one pass) and the text path (lossless parse, error positions)', () => {
  it('accepts and refuses exactly what JSON.parse does, and minifies as minifyJson does', () => {
    for (const text of CASES) expect([text, viaBytes(text)]).toEqual([text, viaText(text)]);
  });

  it('agrees with JSON.parse on thousands of mutated JSON texts', () => {
    // A seeded generator, so a failure can be replayed.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const value = (depth: number): unknown => {
      const kind = depth > 3 ? Math.floor(random() * 4) : Math.floor(random() * 6);
      if (kind === 0) return (Math.floor(random() * 1e6) / pick([1, 7, 1000])) * pick([1, -1]);
      if (kind === 1) return pick(['', 'a', 'é "q" \\ \n', '🎉', 'x y']);
      if (kind === 2) return pick([true, false, null]);
      if (kind === 3) return 1e21 * random();
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [pick(['k', 'a b', 'ü']) + i, value(depth + 1)]));
    };
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '0', '1', '-', '.', 'e', '+', 't', 'n', 'u', '\t', 'é'];
    let refused = 0;
    for (let k = 0; k < 5000; k++) {
      let text = JSON.stringify(value(0), null, pick([0, 1, 2, '\t']));
      for (let m = Math.floor(random() * 3); m > 0; m--) {
        const at = Math.floor(random() * (text.length + 1));
        const op = Math.floor(random() * 3);
        text = text.slice(0, at) + (op === 0 ? '' : pick(alphabet)) + text.slice(op === 1 ? at : at + 1);
      }
      // A mutation can split a surrogate pair; the bytes then hold U+FFFD, as Buffer.from makes them.
      text = decoder.decode(encoder.encode(text));
      const expected = viaText(text);
      if (expected === null) refused++;
      expect([text, viaBytes(text)]).toEqual([text, expected]);
      expect([text, findJsonError(text) === undefined]).toEqual([text, expected !== null]);
    }
    expect(refused).toBeGreaterThan(500); // the mutations do reach the refusals
  });

  it('the text path — one lossless parser, also behind the error positions — accepts what JSON.parse does and keeps every digit', () => {
    for (const text of CASES) {
      const expected = viaText(text);
      expect([text, findJsonError(text) === undefined]).toEqual([text, expected !== null]);
      if (expected === null) expect(() => parseLossless(text)).toThrow(JsonSyntaxError);
    }
    expect(stringifyLossless(parseLossless('{"id": 12345678901234567890, "b": [1.50, -0e3]}'))).toBe('{"id":12345678901234567890,"b":[1.50,-0e3]}');
    expect(findJsonError('{"a": 1, "b": person}')).toEqual({ offset: 14, message: 'unexpected "person"' });
    expect(describeJsonError('{\n  "a": 1\n  "b": 2\n}')).toBe('expected "," or "}", found """ at line 3, column 3');
    expect(describeJsonError('"a\tb"')).toBe('a line break or control character inside a string at line 1, column 3');
  });

  it('reads only the first n bytes of a reused buffer', () => {
    const scratch = encoder.encode('[1, 2]345 "stale"');
    expect(minifyJsonBytesIfValid(scratch, 6)).toBe(5);
    expect(decoder.decode(scratch.subarray(0, 5))).toBe('[1,2]');
    const number = encoder.encode('12345');
    expect(minifyJsonBytesIfValid(number, 2)).toBe(2);
    expect(minifyJsonBytesIfValid(encoder.encode('"ab"'), 3)).toBe(-1);
    expect(minifyJsonBytesIfValid(encoder.encode('truex'), 3)).toBe(-1);
  });

  it('takes deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(viaBytes(deep)).toBe(deep);
  });
});
