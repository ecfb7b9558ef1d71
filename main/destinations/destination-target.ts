import type { Destination } from '../../shared/config/destination';
import type { CatalogStore } from '../catalog/catalog-store';
import { engineKind } from './kinds/registry';

/** Whether `next`, saved over `before`, points elsewhere: another kind, or another stream or topic (`EngineKind.target`). */
export function retargets(before: Destination | undefined, next: Destination): boolean {
  if (!before) return false;
  return before.kind !== next.kind || engineKind(before.kind).target(before as never) !== engineKind(next.kind).target(next as never);
}

/**
 * Saves a destination (`sluice apply`, the app's wizard). When it now points at another stream or topic
 * (or is of another kind), the syncs sending to it start over: their snapshots say what the old one got,
 * and kept, the new one would never get those rows (a run sent nothing: "unchanged"). Answers the names
 * of the syncs that start over. (Call inside a transaction.)
 */
export function putDestinationRetargeting(catalog: CatalogStore, next: Destination): { destination: Destination; startedOver: string[] } {
  const before = catalog.listDestinations().find((d) => d.name === next.name);
  const destination = catalog.putDestination(next);
  return { destination, startedOver: retargets(before, destination) ? catalog.startOverSyncsOf(destination.name) : [] };
}
