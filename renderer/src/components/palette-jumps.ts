import type { Destination } from '../../../shared/config/destination';
import type { Model, Source } from '../../../shared/config/source';
import type { Sync } from '../../../shared/config/sync';
import { selectHash } from './select-from-hash';

/** One place the palette goes to: an item of the catalog (selected on its page) or a page. */
export type Jump = { kind: 'Sync' | 'Model' | 'Destination' | 'Source' | 'Page'; name: string; detail: string; href: string };

const PAGES: readonly [string, string][] = [
  ['sources', 'Sources'],
  ['models', 'Models'],
  ['destinations', 'Destinations'],
  ['syncs', 'Syncs'],
  ['debugger', 'Debugger'],
  ['inspector', 'Inspector'],
  ['settings', 'Settings'],
];

/** The pages, there to jump to even without the catalog. */
export const pageJumps = (): Jump[] => PAGES.map(([id, label]): Jump => ({ kind: 'Page', name: label, detail: 'page', href: `#/${id}` }));

/** Every sync, model, destination and source, then the pages. */
export function catalogJumps(catalog: {
  syncs: readonly { sync: Sync }[];
  models: readonly Model[];
  destinations: readonly Pick<Destination, 'name' | 'kind'>[];
  sources: readonly Source[];
}): Jump[] {
  return [
    ...catalog.syncs.map(({ sync }): Jump => ({
      kind: 'Sync',
      name: sync.name,
      detail: `${sync.model} → ${sync.destination}`,
      href: selectHash('syncs', sync.name),
    })),
    ...catalog.models.map((m): Jump => ({ kind: 'Model', name: m.name, detail: `from ${m.source}`, href: selectHash('models', m.name) })),
    ...catalog.destinations.map((d): Jump => ({ kind: 'Destination', name: d.name, detail: d.kind, href: selectHash('destinations', d.name) })),
    ...catalog.sources.map((s): Jump => ({ kind: 'Source', name: s.name, detail: s.kind, href: selectHash('sources', s.name) })),
    ...pageJumps(),
  ];
}

/** The jumps whose name, kind or detail holds every word typed (in any case). */
export function matchingJumps(jumps: readonly Jump[], query: string): Jump[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return jumps.filter((jump) => {
    const text = `${jump.name} ${jump.kind} ${jump.detail}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The match a key moves to from `index` (of `count`), or null for a key that does not move. */
export function movedTo(key: string, ctrl: boolean, index: number, count: number): number | null {
  if (key === 'ArrowDown') return Math.min(count - 1, index + 1);
  if (key === 'ArrowUp') return Math.max(0, index - 1);
  if (key === 'Home' && ctrl) return 0;
  if (key === 'End' && ctrl) return count - 1;
  return null;
}
