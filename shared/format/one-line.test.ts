import { describe, expect, it } from 'vitest';
import { oneLine } from './one-line';

// A failure reason cut to one line ends at a word and never leaves a parenthesis open: "…9093/9094/9096/… (e.g.
// key 1)" read as if the example key were part of the broker list.

describe('oneLine', () => {
  it('keeps a short text whole, on one line', () => {
    expect(oneLine('a  b\n c')).toBe('a b c');
  });

  it('cuts a long text after a word, not inside one', () => {
    const text = `The destination refused the record ${'because it was wrong '.repeat(20)}`;
    const line = oneLine(text, 100);
    expect(line.length).toBeLessThanOrEqual(100);
    expect(line).toMatch(/ …$/);
    const kept = line.slice(0, -2);
    expect(text.startsWith(kept)).toBe(true);
    expect(text[kept.length]).toBe(' '); // a whole word before the cut
  });

  it('never leaves a parenthesis open: cut before one opened late, closed when opened early', () => {
    const brokers = Array.from({ length: 60 }, (_, i) => `localhost:${9092 + i}`).join('/');
    const late = oneLine(`Kafka could not be reached for 60 s, no broker answered at all in that time (${brokers}): is it running?`, 100);
    expect(late).toBe('Kafka could not be reached for 60 s, no broker answered at all in that time …');
    const early = oneLine(`Kafka (${brokers}) could not be reached for 60 s`, 100);
    expect(early).toMatch(/^Kafka \(localhost:9092\/localhost:9093\/.*localhost:\d+ …\)$/);
    expect(early.length).toBeLessThanOrEqual(100);
    const nested = oneLine(`Kafka (brokers (${brokers}))`, 100);
    expect(nested).toMatch(/ …\)\)$/);
  });
});
