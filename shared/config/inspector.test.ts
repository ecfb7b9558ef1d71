import { describe, expect, it } from 'vitest';
import { StartPositionSchema } from './inspector';

const message = (input: unknown) => {
  const result = StartPositionSchema.safeParse(input);
  return result.success ? 'valid' : result.error.issues.map((i) => i.message).join('; ');
};

describe('where a read of the inspector starts', () => {
  it('says what is wrong with a sequence number or an offset: not digits, or too many of them', () => {
    expect(message({ at: 'sequence', sequenceNumber: '49680905809437926918430327923855116940282660918336159762' })).toBe('valid');
    expect(message({ at: 'sequence', sequenceNumber: 'abc' })).toBe('A sequence number is digits only, at most 128 of them');
    // All digits, too many: the message must not say "digits only".
    expect(message({ at: 'sequence', sequenceNumber: '1'.repeat(200) })).toBe('A sequence number is digits only, at most 128 of them');
    expect(message({ at: 'offset', offset: '12' })).toBe('valid');
    expect(message({ at: 'offset', offset: '-1' })).toBe('An offset is a whole number, 0 or more, of at most 19 digits');
    expect(message({ at: 'offset', offset: '9'.repeat(25) })).toBe('An offset is a whole number, 0 or more, of at most 19 digits');
  });
});
