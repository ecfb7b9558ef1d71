import { describe, expect, it } from 'vitest';
import type { ApiCallFacets } from '../../../shared/debugger/api-call';
import { nameOptions, parseWidth, runOptions, withSearchText } from './debugger-state';

describe('debugger-state', () => {
  it('puts the trimmed search text in the filter, and keeps the same filter when nothing changes', () => {
    const filter = { service: 'Kinesis', text: 'throttl' };
    expect(withSearchText(filter, '  throttl ')).toBe(filter);
    expect(withSearchText(filter, ' ')).toEqual({ service: 'Kinesis', text: undefined });
    expect(withSearchText({}, 'PutRecords')).toEqual({ text: 'PutRecords' });
    const blank = {};
    expect(withSearchText(blank, '')).toBe(blank);
  });

  it('reads a remembered width only when it is a positive number', () => {
    expect(parseWidth('420')).toBe(420);
    expect(parseWidth(null)).toBeNull();
    expect(parseWidth('0')).toBeNull();
    expect(parseWidth('wide')).toBeNull();
  });

  it('makes the menus: names as they are, runs with their call count', () => {
    expect(nameOptions(undefined)).toEqual([]);
    expect(nameOptions(['a'])).toEqual([{ value: 'a', label: 'a' }]);
    expect(runOptions(null)).toEqual([]);
    const facets = { runs: [{ runId: 7, calls: 1 }] } as unknown as ApiCallFacets;
    expect(runOptions(facets)).toEqual([{ value: '7', label: 'Run 7 (1 call)' }]);
  });
});
