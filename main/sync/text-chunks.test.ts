import { describe, expect, it } from 'vitest';
import { TextChunks, TextReader } from './text-chunks';

// Values joined into texts of a few characters here (32M in a run), read back by their lengths.

function roundTrip(values: string[], chunk: number): { texts: string[]; back: string[] } {
  const chunks = new TextChunks(chunk);
  for (const v of values) chunks.add(v);
  const texts = structuredClone(chunks.finish());
  const reader = new TextReader(texts);
  return { texts, back: values.map((v) => reader.next(v.length)) };
}

describe('text chunks', () => {
  it('cuts between values, never inside one, and reads every value back: empty ones, one longer than a text, at the edges', () => {
    const values = ['ab', '', 'cd', 'efghij', '', '', 'k', 'lmnopqrstu', '', 'é𝄞', 'v'];
    const { texts, back } = roundTrip(values, 4);
    expect(back).toEqual(values);
    expect(texts).toEqual(['abcd', 'efghij', 'k', 'lmnopqrstu', 'é𝄞v']);
    expect(texts.every((t) => t.length <= 4 || values.includes(t))).toBe(true);
  });

  it('no values, only empty ones, one text', () => {
    expect(roundTrip([], 4)).toEqual({ texts: [], back: [] });
    expect(roundTrip(['', ''], 4).back).toEqual(['', '']);
    expect(roundTrip(['a', 'b', 'c'], 100)).toEqual({ texts: ['abc'], back: ['a', 'b', 'c'] });
  });
});
