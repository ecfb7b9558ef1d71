import { describe, expect, it } from 'vitest';
import type { Model, Source } from '../../../shared/config/source';
import type { Sync } from '../../../shared/config/sync';
import { catalogJumps, matchingJumps, movedTo, pageJumps } from './palette-jumps';

describe('the palette', () => {
  const jumps = catalogJumps({
    syncs: [{ sync: { name: 'orders-to-kinesis', model: 'orders', destination: 'stream' } as Sync }],
    models: [{ name: 'orders', source: 'shop' } as Model],
    destinations: [{ name: 'stream', kind: 'kinesis' }],
    sources: [{ name: 'shop', kind: 'sqlite' } as Source],
  });

  it('lists the catalog, each selected on its page, then the pages', () => {
    expect(jumps.slice(0, 4).map((j) => [j.kind, j.name, j.detail, j.href])).toEqual([
      ['Sync', 'orders-to-kinesis', 'orders → stream', '#/syncs?select=orders-to-kinesis'],
      ['Model', 'orders', 'from shop', '#/models?select=orders'],
      ['Destination', 'stream', 'kinesis', '#/destinations?select=stream'],
      ['Source', 'shop', 'sqlite', '#/sources?select=shop'],
    ]);
    expect(jumps.slice(4)).toEqual(pageJumps());
    expect(pageJumps()[0]).toEqual({ kind: 'Page', name: 'Sources', detail: 'page', href: '#/sources' });
  });

  it('keeps the jumps that hold every word typed, in any case', () => {
    expect(matchingJumps(jumps, '').length).toBe(jumps.length);
    expect(matchingJumps(jumps, 'ORDERS model').map((j) => j.name)).toEqual(['orders']);
    expect(matchingJumps(jumps, 'kinesis').map((j) => j.kind)).toEqual(['Sync', 'Destination']);
  });

  it('moves the choice with the arrows, and Ctrl+Home/End to the ends', () => {
    expect(movedTo('ArrowDown', false, 0, 3)).toBe(1);
    expect(movedTo('ArrowDown', false, 2, 3)).toBe(2);
    expect(movedTo('ArrowUp', false, 0, 3)).toBe(0);
    expect(movedTo('End', true, 0, 3)).toBe(2);
    expect(movedTo('Home', true, 2, 3)).toBe(0);
    expect(movedTo('Home', false, 2, 3)).toBeNull();
    expect(movedTo('Enter', false, 0, 3)).toBeNull();
  });
});
