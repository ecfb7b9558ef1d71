import { describe, expect, it } from 'vitest';
import { renamedNotice, usersOf } from './catalog-text';

describe('catalog-text', () => {
  it('says how many users followed a rename, and nothing when none did', () => {
    expect(renamedNotice('a', 'b', 0, 'sync')).toBe('Renamed "a" to "b".');
    expect(renamedNotice('a', 'b', 2, 'sync', '; their history is kept')).toBe('Renamed "a" to "b" (2 syncs updated; their history is kept).');
    expect(renamedNotice('a', 'b', 1, 'model')).toBe('Renamed "a" to "b" (1 model updated).');
  });

  it('lists the users of a name by the field that refers to it', () => {
    const syncs = [
      { name: 's1', model: 'orders' },
      { name: 's2', model: 'users' },
      { name: 's3', model: 'orders' },
    ];
    expect(usersOf(syncs, 'model', 'orders')).toEqual(['s1', 's3']);
    expect(usersOf(syncs, 'model', 'none')).toEqual([]);
  });
});
