import { describe, expect, it } from 'vitest';
import { minifyJson, prettyJson, PRETTY_MAX_DEPTH } from './minify';

describe('prettyJson', () => {
  it('lays JSON out as JSON.stringify(value, null, 2) does', () => {
    const values: unknown[] = [
      { id: 1, name: 'Ada', tags: ['a', 'b'], nested: { deep: [1, { x: null }], empty: {}, none: [] }, ok: true },
      [],
      {},
      'text with { [ , : ] } and "quotes" \\ inside',
      [[], [{}], [[1, 2], { 'a,b': 'c:d' }]],
      -1.5e-7,
      { 'key with "quote"': '\u00e9\n\t' },
    ];
    for (const value of values) expect(prettyJson(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('keeps numbers and strings exactly as written (JSON.parse would round them)', () => {
    const sent = '{"big":9007199254740995,"huge":12345678901234567890123,"fine":1.000000000000000000001,"exp":1E400,"s":"\\u00e9"}';
    expect(prettyJson(sent)).toBe(
      '{\n  "big": 9007199254740995,\n  "huge": 12345678901234567890123,\n  "fine": 1.000000000000000000001,\n  "exp": 1E400,\n  "s": "\\u00e9"\n}',
    );
    expect(minifyJson(prettyJson(sent)!)).toBe(sent);
  });

  it('does not indent a value nested past PRETTY_MAX_DEPTH (16,000 nested arrays made half a billion characters)', () => {
    const deep = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);
    expect(prettyJson(deep(PRETTY_MAX_DEPTH))).toBe(JSON.stringify(JSON.parse(deep(PRETTY_MAX_DEPTH)), null, 2));
    expect(prettyJson(deep(PRETTY_MAX_DEPTH + 1))).toBeNull();
    expect(prettyJson(deep(16_000))).toBeNull();
  });
});
