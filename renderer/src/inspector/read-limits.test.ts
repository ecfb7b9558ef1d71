import { describe, expect, it } from 'vitest';
import { InspectReadRequestSchema } from '../../../shared/config/inspector';
import { describeError, SluiceError, issuesFromZod } from '../../../shared/ipc/errors';
import { zodWords } from '../../../shared/zod-words';
import { readErrorFor, readLimit, readLimitProblems } from './read-limits';

describe("the inspector's read form", () => {
  it('refuses a limit or a wait out of range before asking, saying the range in the field’s unit', () => {
    expect(readLimitProblems('100', '0')).toEqual({ limit: null, wait: null });
    expect(readLimitProblems('1000', '20')).toEqual({ limit: null, wait: null });
    expect(readLimitProblems('1000', '2.5')).toEqual({ limit: null, wait: null });
    for (const limit of ['0', '1001', '1.5', '', '99999999999999999999', '1,001', '2 000'])
      expect(readLimitProblems(limit, '0').limit).toBe('Limit must be a whole number from 1 to 1,000');
    for (const wait of ['99999999', '20.5', '-1', '', 'x']) expect(readLimitProblems('1', wait).wait).toBe('Listen for new records from 0 to 20 seconds');
  });

  it('takes the limit as its own words write it (1,000), or with spaces between the digit groups; says text that is no number is none', () => {
    for (const [text, n] of [
      ['1,000', 1000],
      [' 1 000 ', 1000],
      ['1\u202f000', 1000],
      ['1000', 1000],
      ['250', 250],
    ] as const) {
      expect(readLimitProblems(text, '0').limit).toBeNull();
      expect(readLimit(text)).toBe(n);
    }
    expect(readLimitProblems('x', '0').limit).toBe('"x" is not a number. Limit must be a whole number from 1 to 1,000');
    expect(readLimitProblems('1,00', '0').limit).toBe('"1,00" is not a number. Limit must be a whole number from 1 to 1,000');
    expect(readLimitProblems('1,0000', '0').limit).toBe('"1,0000" is not a number. Limit must be a whole number from 1 to 1,000');
    expect(readLimitProblems('10 0', '0').limit).toBe('"10 0" is not a number. Limit must be a whole number from 1 to 1,000');
    expect(readLimitProblems('1e3', '0').limit).toBe('"1e3" is not a number. Limit must be a whole number from 1 to 1,000');
    expect(readLimitProblems('abcdefghijklmnopqrstuvwxyz', '0').limit).toBe(
      '"abcdefghijklmnopqrst…" is not a number. Limit must be a whole number from 1 to 1,000',
    );
  });

  it("words the engine's refusal of the same numbers, in seconds, naming no internal field", () => {
    const parsed = InspectReadRequestSchema.safeParse({ destination: 'd', limit: 1e20, waitMs: 99999999 }, { error: zodWords });
    const error = new SluiceError(
      'invalid-input',
      'Could not read records from the stream: the input is not valid',
      parsed.success ? [] : issuesFromZod(parsed.error),
    );
    expect(describeError(error.toWire())).toBe(
      'Could not read records from the stream: the input is not valid — Limit must be a whole number from 1 to 1,000; Listen for new records from 0 to 20 seconds',
    );
    const partitions = InspectReadRequestSchema.safeParse({ destination: 'd', partitions: [-1] }, { error: zodWords });
    expect(partitions.success ? [] : issuesFromZod(partitions.error)).toEqual([{ path: 'partitions.0', message: 'partitions must be at least 0' }]);
  });

  it("heads a read's refusal with what the kind reads: a Kafka destination's topic", () => {
    const refused = new SluiceError('invalid-input', 'Could not read records from the stream: the input is not valid', [{ path: 'limit', message: 'x' }]);
    const topic = readErrorFor(refused, 'topic') as SluiceError;
    expect([topic.message, topic.issues]).toEqual(['Could not read records from the topic: the input is not valid', [{ path: 'limit', message: 'x' }]]);
    const other = new SluiceError('unavailable', 'The topic "t" does not exist');
    expect(readErrorFor(other, 'topic')).toBe(other);
  });
});
