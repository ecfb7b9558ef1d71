import type { Destination } from '../../shared/config/destination';
import type { CatalogStore, StoredSync } from '../catalog/catalog-store';
import { engineKind } from './kinds/registry';

/** Whether `next`, saved over `before`, points elsewhere: another kind, or another stream or topic (`EngineKind.target`). */
export function retargets(before: Destination | undefined, next: Destination): boolean {
  if (!before) return false;
  if (before.kind !== next.kind) return true;
  const kind = engineKind(next.kind);
  return kind.sameTarget ? !kind.sameTarget(before as never, next as never) : kind.target(before as never) !== kind.target(next as never);
}

/**
 * The syncs that saving `next` makes start over: the ones sending to it, when it now points at another
 * stream or topic (or is of another kind); none otherwise, or when it is new. The save itself asks this
 * (`putDestinationRetargeting`), and the app asks it before saving, to say so and ask first.
 */
export function syncsStartingOver(catalog: CatalogStore, next: Destination): StoredSync[] {
  const before = catalog.listDestinations().find((d) => d.name === next.name);
  if (!retargets(before, next)) return [];
  // Of another kind, every sync starts over; else those that send to the destination's own target.
  const uses = before!.kind === next.kind ? engineKind(next.kind).usesTarget : undefined;
  return catalog.syncsOf(next.name).filter((s) => uses?.(s.definition) ?? true);
}

/**
 * Saves a destination (`sluice apply`, the app's wizard). When it now points at another stream or topic
 * (or is of another kind), the syncs sending to it start over: their snapshots say what the old one got,
 * and kept, the new one would never get those rows (a run sent nothing: "unchanged"). Answers the names
 * of the syncs that start over. (Call inside a transaction.)
 */
export function putDestinationRetargeting(catalog: CatalogStore, next: Destination): { destination: Destination; startedOver: string[] } {
  const startsOver = syncsStartingOver(catalog, next);
  const destination = catalog.putDestination(next);
  return { destination, startedOver: catalog.startOverSyncs(destination.name, startsOver) };
}
