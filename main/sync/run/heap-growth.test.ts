import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boundHeapGrowth } from './heap-growth';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('heap growth while runs send', () => {
  it('is bounded from the first run sending until the last one ends, however the runs overlap', () => {
    const flags = vi.spyOn(v8, 'setFlagsFromString');
    const first = boundHeapGrowth();
    const second = boundHeapGrowth();
    expect(flags.mock.calls).toEqual([['--heap-growing-percent=100']]);
    first();
    first(); // a second release of the same run changes nothing
    expect(flags).toHaveBeenCalledTimes(1);
    second();
    expect(flags.mock.calls).toEqual([['--heap-growing-percent=100'], ['--heap-growing-percent=0']]);
    boundHeapGrowth()();
    expect(flags).toHaveBeenCalledTimes(4);
  });
});
