import { describe, expect, it } from 'vitest';
import { isNumberText } from './number-text';

describe('isNumberText', () => {
  it('is true for the numbers a JavaScript number would change, as written', () => {
    for (const t of ['9007199254740992', '-9007199254740993', '12345678901234567890', '1e400', '-1E+400', '1e-400', '123.5e999'])
      expect(isNumberText(t), t).toBe(true);
  });

  it('is false for numbers a double holds, and for text that is not a JSON number', () => {
    for (const t of [
      '9007199254740991',
      '-9007199254740991',
      '0',
      '-0',
      '1.5',
      '1e300',
      '5e-324',
      '0e-400',
      '0.000e-999',
      '1e20',
      '',
      '12345678901234567890 ',
      '+1',
      '01',
      '1.',
      'Infinity',
      'NaN',
      'abc',
    ])
      expect(isNumberText(t), t).toBe(false);
  });
});
