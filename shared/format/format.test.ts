import { describe, expect, it } from 'vitest';
import { createFormat } from './format';

const en = createFormat({ locale: 'en-US', timeZone: 'Europe/Zurich' });

describe('numbers and counts', () => {
  it('writes thousands separators in the locale', () => {
    expect(en.number(1234567)).toBe('1,234,567');
    expect(en.number(12.345, 1)).toBe('12.3');
    expect(createFormat({ locale: 'de-DE' }).number(2000)).toBe('2.000');
  });

  it('makes the noun agree with the count', () => {
    expect(en.count(0, 'source')).toBe('0 sources');
    expect(en.count(1, 'source')).toBe('1 source');
    expect(en.count(2, 'source')).toBe('2 sources');
    expect(en.count(1, 'call')).toBe('1 call');
    expect(en.count(2000, 'row')).toBe('2,000 rows');
    expect(en.count(1, ['entry', 'entries'])).toBe('1 entry');
    expect(en.count(3, ['entry', 'entries'])).toBe('3 entries');
    expect(en.noun(1, ['row does', 'rows do'])).toBe('row does');
    expect(`${en.count(1, ['row does', 'rows do'])} not render`).toBe('1 row does not render');
    expect(`${en.count(4, ['row does', 'rows do'])} not render`).toBe('4 rows do not render');
  });

  it('writes percentages', () => {
    expect(en.percent(0.125)).toBe('13%');
    expect(en.percent(1)).toBe('100%');
    expect(en.percent(0.125, 1)).toBe('12.5%');
  });
});

describe('units', () => {
  it('writes sizes in binary units', () => {
    expect(en.bytes(null)).toBe('—');
    expect(en.bytes(0)).toBe('0 B');
    expect(en.bytes(1023)).toBe('1,023 B');
    expect(en.bytes(1536)).toBe('1.5 KiB');
    expect(en.bytes(64 * 1024)).toBe('64 KiB');
    expect(en.bytes(3_500_000)).toBe('3.34 MiB');
    expect(en.bytes(10 * 1024 * 1024)).toBe('10 MiB');
    expect(en.bytes(5 * 1024 ** 3)).toBe('5 GiB');
  });

  it('writes durations in ms, s, min and h', () => {
    expect(en.duration(7.25)).toBe('7.3 ms');
    expect(en.duration(412.4)).toBe('412 ms');
    expect(en.duration(2100)).toBe('2.1 s');
    expect(en.duration(12_340)).toBe('12.3 s');
    expect(en.duration(95_000)).toBe('1 min 35 s');
    expect(en.duration(3_700_000)).toBe('1 h 2 min');
  });

  it('writes rates with their unit', () => {
    expect(en.rate(1234.5)).toBe('1,235 records/s');
    expect(en.rate(2.46)).toBe('2.5 records/s');
    expect(en.rate(0)).toBe('0 records/s');
    expect(en.rate(3, 'calls')).toBe('3 calls/s');
  });
});

describe('times', () => {
  const iso = '2026-12-03T12:08:07.264Z';

  it('shows local times in the user’s zone, and the UTC time for the hover', () => {
    expect(en.localTime(iso)).toBe('Dec 3, 2026, 1:08:07 PM');
    expect(en.localTime(iso, { ms: true })).toBe('Dec 3, 2026, 1:08:07.264 PM');
    expect(en.clock(iso)).toBe('13:08:07.264');
    expect(en.utcTime(iso)).toBe('2026-12-03 12:08:07.264 UTC');
    expect(createFormat({ locale: 'en-GB', timeZone: 'America/New_York' }).localTime(iso)).toBe('3 Dec 2026, 07:08:07');
  });

  it('leaves what is not a time as it is', () => {
    expect(en.localTime('not a time')).toBe('not a time');
    expect(en.utcTime('')).toBe('');
  });
});
