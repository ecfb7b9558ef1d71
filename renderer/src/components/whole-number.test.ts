import { describe, expect, it } from 'vitest';
import { wholeNumber, wholeNumberProblem } from './whole-number';

describe('whole-number fields', () => {
  it('reads only digits (spaces around allowed): separators, decimals, signs and exponents are refused, not changed', () => {
    expect(wholeNumber('5432')).toBe(5432);
    expect(wholeNumber(' 15 ')).toBe(15);
    for (const text of ['33,747', '1,5', '1,000', '1.5', '1 000', '3e2', '-1', '+1', '0x10', '', ' ']) expect(wholeNumber(text)).toBeNaN();
  });

  it('says what the field takes when the text is not a whole number in range', () => {
    const port = 'Port: a whole number from 1 to 65535, without separators';
    expect(wholeNumberProblem('Port', '33,747', 1, 65535)).toBe(port);
    expect(wholeNumberProblem('Port', '0', 1, 65535)).toBe(port);
    expect(wholeNumberProblem('Port', '70000', 1, 65535)).toBe(port);
    expect(wholeNumberProblem('Port', '', 1, 65535)).toBe(port);
    expect(wholeNumberProblem('Port', '33747', 1, 65535)).toBeNull();
  });
});
